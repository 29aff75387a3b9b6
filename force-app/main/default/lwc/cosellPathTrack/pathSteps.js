/**
 * Steps of the SLDS path for one deal: the model's open stages and its won
 * stage, in order, with the won stage replaced by the lost stage when the deal
 * was lost. Stages before the current one are complete; for a lost deal, the
 * stages up to the one it was lost from are.
 */

const STEP_CLASSES = {
    complete: 'slds-path__item slds-is-complete',
    current: 'slds-path__item slds-is-current slds-is-active',
    won: 'slds-path__item slds-is-won slds-is-current slds-is-active',
    lost: 'slds-path__item slds-is-lost slds-is-current slds-is-active',
    incomplete: 'slds-path__item slds-is-incomplete',
};

function isLostStage(stage) {
    return Boolean(stage && stage.closed && !stage.won);
}

/** Returns the order of the stage the deal was lost from, or 0 when unknown. */
function lostFromOrder(ordered, lostValue, transitions) {
    const intoLost = (transitions ?? []).filter(
        (transition) => transition.toStage === lostValue,
    );
    const last = intoLost[intoLost.length - 1];
    const from = last && ordered.find((s) => s.value === last.fromStage);
    return from ? from.order : 0;
}

function statusOf(stage, current, reachedOrder) {
    if (current && stage.value === current.value) {
        if (isLostStage(current)) {
            return 'lost';
        }
        return current.won ? 'won' : 'current';
    }
    return stage.order <= reachedOrder ? 'complete' : 'incomplete';
}

/**
 * Builds the path steps.
 * @param {object[]} stages the model's stages (`value`, `label`, `order`,
 *   `closed`, `won`)
 * @param {object|null} current the deal's stage, or null for none yet
 * @param {object[]} transitions the deal's transitions, oldest first
 * @returns {{ value: string, label: string, status: string, className: string }[]}
 */
export function pathSteps(stages, current, transitions) {
    const ordered = [...(stages ?? [])].sort((a, b) => a.order - b.order);
    let shown = ordered.filter((stage) => !isLostStage(stage));
    let reachedOrder = current ? current.order - 1 : 0;
    if (isLostStage(current)) {
        shown = shown.filter((stage) => !stage.closed).concat(current);
        reachedOrder = lostFromOrder(ordered, current.value, transitions);
    }
    return shown.map((stage) => {
        const status = statusOf(stage, current, reachedOrder);
        return {
            value: stage.value,
            label: stage.label,
            status,
            className: STEP_CLASSES[status],
        };
    });
}

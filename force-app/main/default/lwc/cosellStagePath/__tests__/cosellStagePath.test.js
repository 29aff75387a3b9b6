import { createElement } from 'lwc';
import CosellStagePath from 'c/cosellStagePath';
import { refreshApex } from '@salesforce/apex';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import getDeal from '@salesforce/apex/CosellStageController.getDeal';
import getEvaluation from '@salesforce/apex/CosellStageController.getEvaluation';
import getTransitions from '@salesforce/apex/CosellStageController.getTransitions';
import getStageModels from '@salesforce/apex/CosellStageController.getStageModels';
import requestStage from '@salesforce/apex/CosellStageController.requestStage';
import confirmRequest from '@salesforce/apex/CosellStageController.confirmRequest';
import {
    deepActiveElement,
    deferred,
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

// Apex modules exist only in an org, so each mock is virtual.
jest.mock(
    '@salesforce/apex/CosellStageController.getDeal',
    () => require('../../../../../test/lwcTestUtils').apexWireAdapterModule(),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/CosellStageController.getEvaluation',
    () => require('../../../../../test/lwcTestUtils').apexWireAdapterModule(),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/CosellStageController.getTransitions',
    () => require('../../../../../test/lwcTestUtils').apexWireAdapterModule(),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/CosellStageController.getStageModels',
    () => require('../../../../../test/lwcTestUtils').apexWireAdapterModule(),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/CosellStageController.requestStage',
    () => ({ default: jest.fn() }),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/CosellStageController.confirmRequest',
    () => ({ default: jest.fn() }),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex',
    () => ({ refreshApex: jest.fn(() => Promise.resolve()) }),
    { virtual: true },
);

const MODELS = require('./data/stageModels.json');
const DEAL_OPEN = require('./data/dealOpen.json');
const EVALUATION_UNMET = require('./data/evaluationUnmet.json');
const TRANSITIONS = require('./data/transitions.json');
const DEAL_REQUESTER = require('./data/dealPendingRequester.json');
const DEAL_CONFIRMER = require('./data/dealPendingConfirmer.json');
const EVALUATION_MET = require('./data/evaluationMet.json');
const TRANSITIONS_PENDING = require('./data/transitionsPending.json');
const DEAL_NO_STAGE = require('./data/dealNoStage.json');
const EVALUATION_NO_STAGE = require('./data/evaluationNoStage.json');
const DEAL_CLOSED_LOST = require('./data/dealClosedLost.json');
const EVALUATION_CLOSED_LOST = require('./data/evaluationClosedLost.json');
const TRANSITIONS_CLOSED_LOST = require('./data/transitionsClosedLost.json');
const CONFIRM_RESULT = require('./data/confirmResult.json');

/** The message `CosellMiddlewareException` builds for a 422 `criteria_unmet`. */
const UNMET_MESSAGE =
    'The move needs these criteria met first: Customer confirmed the evaluation; Customer owns a close plan step. Record the missing evidence on the deal, then try again.';

function mount(recordId = DEAL_OPEN.id) {
    const element = createElement('c-cosell-stage-path', {
        is: CosellStagePath,
    });
    element.recordId = recordId;
    document.body.appendChild(element);
    return element;
}

async function emit({ deal, evaluation, transitions, models = MODELS }) {
    getStageModels.emit(models);
    getDeal.emit(deal);
    getEvaluation.emit(evaluation);
    getTransitions.emit(transitions);
    await flushPromises();
}

function stepStatuses(element) {
    return shadowQueryAll(element, 'c-cosell-path-track', 'li').map((li) => [
        li.dataset.stage,
        li.className,
    ]);
}

function buttonModes(element) {
    return shadowQueryAll(element, 'c-cosell-request-actions', 'button').map(
        (button) => button.dataset.mode,
    );
}

function actionButton(element, mode) {
    return shadowQuery(
        element,
        'c-cosell-request-actions',
        `button[data-mode="${mode}"]`,
    );
}

function criteriaStatuses(element) {
    return shadowQueryAll(
        element,
        'c-cosell-criteria-list',
        'li[data-criterion]',
    ).map((li) => [
        li.dataset.criterion,
        textOf(li.querySelector('[data-id="status"]')),
    ]);
}

describe('c-cosell-stage-path', () => {
    afterEach(() => {
        resetDocument();
        jest.clearAllMocks();
    });

    it('renders a spinner while loading', async () => {
        const element = mount();
        await flushPromises();

        const spinner = shadowQuery(element, 'lightning-spinner');
        expect(spinner).not.toBeNull();
        expect(spinner.alternativeText).toBe('Loading the co-sell stage…');
        expect(shadowQuery(element, 'c-cosell-path-track')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('passes the record Id to every deal wire', async () => {
        mount('006000000000029AAA');
        await flushPromises();

        const expected = { opportunityId: '006000000000029AAA' };
        expect(getDeal.getLastConfig()).toEqual(expected);
        expect(getEvaluation.getLastConfig()).toEqual(expected);
        expect(getTransitions.getLastConfig()).toEqual(expected);
    });

    it('renders met and unmet criteria of an open deal', async () => {
        const element = mount();
        await emit({
            deal: DEAL_OPEN,
            evaluation: EVALUATION_UNMET,
            transitions: TRANSITIONS,
        });

        expect(stepStatuses(element)).toEqual([
            ['Registered', 'slds-path__item slds-is-complete'],
            ['Jointly_Qualified', 'slds-path__item slds-is-complete'],
            ['Validating', 'slds-path__item slds-is-current slds-is-active'],
            ['Negotiating', 'slds-path__item slds-is-incomplete'],
            ['Closed_Attributed', 'slds-path__item slds-is-incomplete'],
        ]);
        // Jest runs with the user locale en-US and time zone America/Los_Angeles.
        expect(textOf(shadowQuery(element, '[data-id="current"]'))).toBe(
            'Current stage: Validating with Customer, since Nov 12, 2026, 6:09 AM',
        );
        expect(textOf(shadowQuery(element, '[data-id="criteria"] h3'))).toBe(
            'Criteria to move to In Negotiation & Approvals',
        );
        expect(criteriaStatuses(element)).toEqual([
            ['Default_Validating_Customer_Confirmed', 'Not met'],
            ['Default_Validating_Customer_Step', 'Not met'],
        ]);
        expect(buttonModes(element)).toEqual(['advance', 'back', 'lost']);
        expect(textOf(actionButton(element, 'advance'))).toBe(
            'Request move to In Negotiation & Approvals',
        );
        expect(shadowQuery(element, 'c-cosell-pending-request')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('renders met criteria and a pending request as the requester', async () => {
        const element = mount(DEAL_REQUESTER.id);
        await emit({
            deal: DEAL_REQUESTER,
            evaluation: EVALUATION_MET,
            transitions: TRANSITIONS_PENDING,
        });

        expect(criteriaStatuses(element)).toEqual([
            ['Default_Qualified_Content_Complete', 'Met'],
            ['Default_Qualified_Both_Sides_Confirmed', 'Met'],
        ]);
        const pending = shadowQuery(element, 'c-cosell-pending-request');
        expect(textOf(shadowQuery(pending, '[data-id="move"]'))).toBe(
            'Advance from Jointly Qualified to Validating with Customer',
        );
        expect(textOf(shadowQuery(pending, '[data-id="waiting"]'))).toBe(
            'Waiting for the partner to confirm or reject.',
        );
        expect(textOf(shadowQuery(pending, '[data-id="requester"]'))).toBe(
            'By you on Dec 4, 2026, 6:09 AM',
        );
        expect(textOf(shadowQuery(pending, '[data-id="expires"]'))).toBe(
            'Dec 7, 2026, 6:09 AM',
        );
        expect(buttonModes(element)).toEqual(['withdraw']);
        await expect(element).toBeAccessible();
    });

    it('renders a pending request as the confirmer', async () => {
        const element = mount(DEAL_CONFIRMER.id);
        await emit({
            deal: DEAL_CONFIRMER,
            evaluation: EVALUATION_MET,
            transitions: TRANSITIONS_PENDING,
        });

        const pending = shadowQuery(element, 'c-cosell-pending-request');
        expect(textOf(shadowQuery(pending, '[data-id="waiting"]'))).toBe(
            'Waiting for you to confirm or reject.',
        );
        // The middleware names only the acting user, so the requester shows by side.
        expect(textOf(shadowQuery(pending, '[data-id="requester"]'))).toBe(
            'By the vendor side on Dec 4, 2026, 6:09 AM',
        );
        expect(buttonModes(element)).toEqual(['confirm', 'reject']);
        await expect(element).toBeAccessible();
    });

    it('renders a deal with no stage yet', async () => {
        const element = mount(DEAL_NO_STAGE.id);
        await emit({
            deal: DEAL_NO_STAGE,
            evaluation: EVALUATION_NO_STAGE,
            transitions: { transitions: [] },
        });

        const statuses = stepStatuses(element).map(([, status]) => status);
        expect(new Set(statuses)).toEqual(
            new Set(['slds-path__item slds-is-incomplete']),
        );
        expect(textOf(shadowQuery(element, '[data-id="current"]'))).toBe(
            'No co-sell stage yet. Request the first stage once the deal is registered.',
        );
        expect(buttonModes(element)).toEqual(['advance']);
        expect(textOf(actionButton(element, 'advance'))).toBe(
            'Request move to Identified & Registered',
        );
        expect(
            textOf(
                shadowQuery(
                    element,
                    'c-cosell-transition-history',
                    '[data-id="empty"]',
                ),
            ),
        ).toBe('No stage moves yet.');
        await expect(element).toBeAccessible();
    });

    it('renders a closed lost deal', async () => {
        const element = mount(DEAL_CLOSED_LOST.id);
        await emit({
            deal: DEAL_CLOSED_LOST,
            evaluation: EVALUATION_CLOSED_LOST,
            transitions: TRANSITIONS_CLOSED_LOST,
        });

        expect(stepStatuses(element)).toEqual([
            ['Registered', 'slds-path__item slds-is-complete'],
            ['Jointly_Qualified', 'slds-path__item slds-is-complete'],
            ['Validating', 'slds-path__item slds-is-incomplete'],
            ['Negotiating', 'slds-path__item slds-is-incomplete'],
            [
                'Closed_Lost',
                'slds-path__item slds-is-lost slds-is-current slds-is-active',
            ],
        ]);
        expect(textOf(shadowQuery(element, '[data-id="criteria"] h3'))).toBe(
            'Closing criteria',
        );
        expect(buttonModes(element)).toEqual([]);
        expect(
            textOf(
                shadowQuery(
                    element,
                    'c-cosell-request-actions',
                    '[data-id="note"]',
                ),
            ),
        ).toBe('This deal is closed, so its co-sell stage no longer changes.');
        await expect(element).toBeAccessible();
    });

    it('renders a note for a user on neither side', async () => {
        const element = mount();
        await emit({
            deal: {
                ...DEAL_OPEN,
                viewer: {
                    ...DEAL_OPEN.viewer,
                    side: null,
                    canRequest: false,
                },
            },
            evaluation: EVALUATION_UNMET,
            transitions: TRANSITIONS,
        });

        expect(buttonModes(element)).toEqual([]);
        expect(
            textOf(
                shadowQuery(
                    element,
                    'c-cosell-request-actions',
                    '[data-id="note"]',
                ),
            ),
        ).toMatch(/not on its vendor or partner side/);
        await expect(element).toBeAccessible();
    });

    describe('read errors', () => {
        const apexError = {
            body: {
                message:
                    'The co-sell service is unavailable. Try again in a minute; if it persists, tell your Salesforce admin.',
            },
        };

        function errorPanel(element, ...path) {
            const panel = shadowQuery(element, ...path, 'c-cosell-error-panel');
            return {
                heading: textOf(shadowQuery(panel, '[data-id="heading"]')),
                messages: textOf(shadowQuery(panel, '[data-id="messages"]')),
            };
        }

        it('renders the error of getDeal', async () => {
            const element = mount();
            getStageModels.emit(MODELS);
            getDeal.error(apexError.body);
            getEvaluation.emit(EVALUATION_UNMET);
            getTransitions.emit(TRANSITIONS);
            await flushPromises();

            expect(errorPanel(element)).toEqual({
                heading: "Could not load the deal's co-sell stage",
                messages: apexError.body.message,
            });
            expect(shadowQuery(element, 'c-cosell-path-track')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('renders the error of getEvaluation', async () => {
            const element = mount();
            getStageModels.emit(MODELS);
            getDeal.emit(DEAL_OPEN);
            getEvaluation.error(apexError.body);
            getTransitions.emit(TRANSITIONS);
            await flushPromises();

            expect(errorPanel(element, '[data-id="criteria"]')).toEqual({
                heading: "Could not check the deal's criteria",
                messages: apexError.body.message,
            });
            expect(shadowQuery(element, 'c-cosell-path-track')).not.toBeNull();
            await expect(element).toBeAccessible();
        });

        it('renders the error of getTransitions', async () => {
            const element = mount();
            getStageModels.emit(MODELS);
            getDeal.emit(DEAL_OPEN);
            getEvaluation.emit(EVALUATION_UNMET);
            getTransitions.error(apexError.body);
            await flushPromises();

            expect(errorPanel(element, '[data-id="history"]')).toEqual({
                heading: 'Could not load the stage history',
                messages: apexError.body.message,
            });
            await expect(element).toBeAccessible();
        });

        it('renders the error of getStageModels', async () => {
            const element = mount();
            getStageModels.error(apexError.body);
            getDeal.emit(DEAL_OPEN);
            getEvaluation.emit(EVALUATION_UNMET);
            getTransitions.emit(TRANSITIONS);
            await flushPromises();

            expect(errorPanel(element)).toEqual({
                heading: 'Could not load the stage model',
                messages: apexError.body.message,
            });
            expect(shadowQuery(element, 'c-cosell-path-track')).toBeNull();
            // Requests still work without the model, but a back move needs its stages.
            expect(buttonModes(element)).toEqual(['advance', 'lost']);
            await expect(element).toBeAccessible();
        });

        it('renders a model the deal names but the org lacks', async () => {
            const element = mount();
            await emit({
                deal: { ...DEAL_OPEN, model: 'Retired_Model' },
                evaluation: EVALUATION_UNMET,
                transitions: TRANSITIONS,
            });

            expect(errorPanel(element).messages).toBe(
                "The deal uses the stage model Retired_Model, which was not found. Ask your Salesforce admin to check the deal's co-sell model and the deployed stage models.",
            );
            await expect(element).toBeAccessible();
        });
    });

    describe('actions', () => {
        it('requests the next stage, then refreshes and announces it', async () => {
            const call = deferred();
            requestStage.mockReturnValue(call.promise);
            const element = mount();
            await emit({
                deal: DEAL_OPEN,
                evaluation: EVALUATION_UNMET,
                transitions: TRANSITIONS,
            });

            actionButton(element, 'advance').click();
            await flushPromises();

            expect(requestStage).toHaveBeenCalledWith({
                opportunityId: DEAL_OPEN.id,
                kind: 'Advance',
                toStage: null,
                reason: null,
            });
            // Every action button is disabled while the call runs.
            const disabled = shadowQueryAll(
                element,
                'c-cosell-request-actions',
                'button',
            ).map((button) => button.disabled);
            expect(disabled).toEqual([true, true, true]);
            expect(
                shadowQuery(
                    element,
                    'c-cosell-request-actions',
                    '[data-id="sending"]',
                ),
            ).not.toBeNull();

            call.resolve({
                ...DEAL_REQUESTER.pendingRequest,
                toStage: 'Negotiating',
            });
            await flushPromises();
            await flushPromises();

            expect(refreshApex).toHaveBeenCalledTimes(3);
            const status = shadowQuery(element, '[data-id="status"]');
            expect(textOf(status)).toBe(
                'Request sent to move the deal to In Negotiation & Approvals. The partner side confirms or rejects it.',
            );
            expect(deepActiveElement()).toBe(status);
            await expect(element).toBeAccessible();
        });

        it('shows the unmet criteria when a move is refused', async () => {
            requestStage.mockRejectedValue({
                body: { message: UNMET_MESSAGE },
            });
            const element = mount();
            await emit({
                deal: DEAL_OPEN,
                evaluation: EVALUATION_UNMET,
                transitions: TRANSITIONS,
            });

            actionButton(element, 'advance').click();
            await flushPromises();
            await flushPromises();

            const panel = shadowQuery(
                element,
                'c-cosell-request-actions',
                'c-cosell-error-panel',
            );
            const heading = shadowQuery(panel, '[data-id="heading"]');
            expect(textOf(heading)).toBe('Could not request the move');
            const unmet = shadowQueryAll(panel, '[data-id="unmet"] li').map(
                textOf,
            );
            expect(unmet).toEqual([
                "Customer confirmed the evaluation: The customer's confirmation that the evaluation succeeded is recorded on the deal.",
                'Customer owns a close plan step: The close plan has at least one step owned by the customer.',
            ]);
            expect(deepActiveElement()).toBe(heading);
            expect(refreshApex).toHaveBeenCalledTimes(3);
            expect(textOf(shadowQuery(element, '[data-id="status"]'))).toBe('');
            // The buttons are usable again, so the request can be retried.
            expect(actionButton(element, 'advance').disabled).toBe(false);
            await expect(element).toBeAccessible();
        });

        it('confirms a pending request', async () => {
            confirmRequest.mockResolvedValue(CONFIRM_RESULT);
            const element = mount(DEAL_CONFIRMER.id);
            await emit({
                deal: DEAL_CONFIRMER,
                evaluation: EVALUATION_MET,
                transitions: TRANSITIONS_PENDING,
            });

            actionButton(element, 'confirm').click();
            await flushPromises();
            await flushPromises();

            expect(confirmRequest).toHaveBeenCalledWith({
                requestId: DEAL_CONFIRMER.pendingRequest.id,
            });
            expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([
                { recordId: DEAL_CONFIRMER.id },
            ]);
            expect(textOf(shadowQuery(element, '[data-id="status"]'))).toBe(
                'Move confirmed. The deal is now at Validating with Customer.',
            );
        });

        it('renders the error of confirmRequest', async () => {
            confirmRequest.mockRejectedValue({
                body: {
                    message:
                        'Request a06wEf1DcfXEomUQET is Withdrawn, not Pending. Reload the deal to see its current request.',
                },
            });
            const element = mount(DEAL_CONFIRMER.id);
            await emit({
                deal: DEAL_CONFIRMER,
                evaluation: EVALUATION_MET,
                transitions: TRANSITIONS_PENDING,
            });

            actionButton(element, 'confirm').click();
            await flushPromises();
            await flushPromises();

            const panel = shadowQuery(
                element,
                'c-cosell-request-actions',
                'c-cosell-error-panel',
            );
            expect(textOf(shadowQuery(panel, '[data-id="heading"]'))).toBe(
                'Could not confirm the move',
            );
            expect(textOf(shadowQuery(panel, '[data-id="messages"]'))).toMatch(
                /is Withdrawn, not Pending/,
            );
            expect(shadowQuery(panel, '[data-id="unmet"]')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('expands the evidence of a stage move', async () => {
            const element = mount();
            await emit({
                deal: DEAL_OPEN,
                evaluation: EVALUATION_UNMET,
                transitions: TRANSITIONS,
            });

            const toggle = shadowQuery(
                element,
                'c-cosell-transition-history',
                'button',
            );
            expect(toggle.getAttribute('aria-expanded')).toBe('false');
            toggle.click();
            await flushPromises();

            expect(toggle.getAttribute('aria-expanded')).toBe('true');
            const evidence = shadowQueryAll(
                element,
                'c-cosell-transition-history',
                'c-cosell-criteria-list',
            );
            expect(evidence).toHaveLength(1);
            await expect(element).toBeAccessible();
        });
    });
});

/**
 * The one error normaliser of the co-sell components. It turns what an Apex call,
 * a wire adapter or JavaScript throws into plain messages. It also reads the
 * unmet criteria out of the message that `CosellMiddlewareException` builds when
 * the middleware rejects a move with `criteria_unmet` (HTTP 422).
 */

/**
 * Start of the Apex message for unmet criteria: the unmet criteria's labels
 * follow, separated by `UNMET_SEPARATOR`, then ". " and what to do. Must match
 * `CosellMiddlewareException.UNMET_PREFIX`.
 */
export const UNMET_PREFIX = 'The move needs these criteria met first: ';
const UNMET_SEPARATOR = '; ';

function messagesOf(error) {
    if (typeof error === 'string') {
        return [error];
    }
    const body = error.body;
    if (Array.isArray(body)) {
        // UI API wire errors carry a list of { message } objects.
        return body.map((entry) => entry?.message);
    }
    if (body && Array.isArray(body.pageErrors) && body.pageErrors.length) {
        return body.pageErrors.map((entry) => entry?.message);
    }
    if (body && typeof body.message === 'string') {
        // Apex exceptions, AuraHandledException included.
        return [body.message];
    }
    if (typeof error.message === 'string') {
        return [error.message];
    }
    if (typeof error.statusText === 'string') {
        return [error.statusText];
    }
    return [];
}

/**
 * Reduces one error or a list of errors to the distinct, non-blank messages they
 * carry, in order. Accepts Apex and wire errors (`{ body: { message } }`), UI API
 * errors (`{ body: [{ message }] }`), DML page errors, `Error` objects and
 * strings; `null` and `undefined` entries are skipped.
 * @param {unknown} errors one error or an array of errors
 * @returns {string[]} the messages, or an empty array when none carries one
 */
export function reduceErrors(errors) {
    const list = Array.isArray(errors) ? errors : [errors];
    const messages = list
        .filter((error) => error !== null && error !== undefined)
        .flatMap(messagesOf)
        .filter((message) => typeof message === 'string')
        .map((message) => message.trim())
        .filter((message) => message !== '');
    return [...new Set(messages)];
}

function unmetLabelsOf(message) {
    if (!message.startsWith(UNMET_PREFIX)) {
        return [];
    }
    const rest = message.slice(UNMET_PREFIX.length);
    // NOTE: a criterion label containing ". " cuts the list short there.
    const end = rest.indexOf('. ');
    const list = end === -1 ? rest.replace(/\.$/, '') : rest.slice(0, end);
    return list
        .split(UNMET_SEPARATOR)
        .map((label) => label.trim())
        .filter((label) => label !== '');
}

/**
 * Lists the criteria that a failed stage request or confirmation named as unmet.
 * Each label is matched to a criterion result the component already has, so the
 * rule text can be shown. A label with no match becomes `{ name, label }`.
 * @param {unknown} errors what the Apex call threw
 * @param {object[]} [knownCriteria] criterion results, such as an evaluation's
 * @returns {object[]} the unmet criteria, or an empty array for any other error
 */
export function unmetCriteriaOf(errors, knownCriteria = []) {
    const byLabel = new Map(
        knownCriteria.map((criterion) => [criterion.label, criterion]),
    );
    const labels = reduceErrors(errors).flatMap(unmetLabelsOf);
    return [...new Set(labels)].map(
        (label) => byLabel.get(label) ?? { name: label, label },
    );
}

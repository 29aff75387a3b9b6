/**
 * Helpers for the LWC jest suites: Apex wire mocks, waiting for the component
 * to re-render, reaching into nested shadow roots, and reading the focused
 * element.
 */

/**
 * Returns a module whose default export is an Apex wire test adapter, for a
 * `jest.mock` factory of an `@salesforce/apex/...` import. The adapter comes from
 * wire-service-jest-util, because the index of sfdx-lwc-jest also loads an ES
 * module that jest cannot require under --experimental-vm-modules.
 */
export function apexWireAdapterModule() {
    const {
        createApexTestWireAdapter,
    } = require('@salesforce/wire-service-jest-util');
    return { default: createApexTestWireAdapter(jest.fn()) };
}

/** Resolves after pending promise callbacks and the re-render they cause. */
export function flushPromises() {
    // eslint-disable-next-line @lwc/lwc/no-async-operation -- a macrotask runs after every queued microtask.
    return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Finds an element through nested shadow roots: each selector but the last
 * names a child component whose shadow root the next one searches.
 * @returns {Element|null} the element, or null when a step finds nothing
 */
export function shadowQuery(root, ...selectors) {
    let scope = root;
    for (const selector of selectors) {
        const found = (scope.shadowRoot ?? scope).querySelector(selector);
        if (!found) {
            return null;
        }
        scope = found;
    }
    return scope;
}

/** Like `shadowQuery`, but returns every match of the last selector. */
export function shadowQueryAll(root, ...selectors) {
    const parents = selectors.slice(0, -1);
    const last = selectors[selectors.length - 1];
    const parent = parents.length ? shadowQuery(root, ...parents) : root;
    if (!parent) {
        return [];
    }
    return [...(parent.shadowRoot ?? parent).querySelectorAll(last)];
}

/** Returns the focused element, looking inside shadow roots. */
export function deepActiveElement() {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) {
        active = active.shadowRoot.activeElement;
    }
    return active;
}

/** Returns the text of an element with whitespace runs collapsed. */
export function textOf(element) {
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Removes every element the test appended to the document. */
export function resetDocument() {
    while (document.body.firstChild) {
        document.body.removeChild(document.body.firstChild);
    }
}

/** Returns a promise with its resolve and reject functions, to hold an Apex call open. */
export function deferred() {
    let resolve;
    let reject;
    const promise = new Promise((resolveFn, rejectFn) => {
        resolve = resolveFn;
        reject = rejectFn;
    });
    return { promise, resolve, reject };
}

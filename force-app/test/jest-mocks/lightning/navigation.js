/**
 * Jest stand-in for `lightning/navigation`. `NavigationMixin` records each
 * `Navigate` call so tests can read the page reference, and `GenerateUrl`
 * returns a URL built from the reference's record Id, as a record page URL.
 */
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

let navigateCalls = [];

/** Returns the page references passed to `Navigate`, oldest first. */
export function getNavigateCalls() {
    return navigateCalls;
}

/** Forgets the recorded `Navigate` calls; call it after each test. */
export function resetNavigateCalls() {
    navigateCalls = [];
}

export const NavigationMixin = (Base) => {
    return class extends Base {
        [Navigate](pageReference, replace) {
            navigateCalls.push({ pageReference, replace });
        }

        [GenerateUrl](pageReference) {
            const recordId = pageReference?.attributes?.recordId ?? '';
            return Promise.resolve(`/lightning/r/${recordId}/view`);
        }
    };
};
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

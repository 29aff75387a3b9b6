import { createElement } from 'lwc';
import CosellRegistrationResult from 'c/cosellRegistrationResult';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

const CLEAR = require('./data/registrationClear.json');
const CONFLICT = require('./data/registrationConflict.json');

async function mount(registration) {
    const element = createElement('c-cosell-registration-result', {
        is: CosellRegistrationResult,
    });
    element.registration = registration;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

function detailPairs(element) {
    const terms = shadowQueryAll(element, '[data-id="details"] dt').map(textOf);
    const values = shadowQueryAll(element, '[data-id="details"] dd').map(
        textOf,
    );
    return terms.map((term, index) => [term, values[index]]);
}

describe('c-cosell-registration-result', () => {
    afterEach(resetDocument);

    it('renders a clear result with related records apart', async () => {
        const element = await mount(CLEAR);

        expect(textOf(shadowQuery(element, '[data-id="status"]'))).toBe(
            'Status: Submitted. Expires on Mar 4, 2027, 7:00 AM.',
        );
        expect(shadowQuery(element, '[data-group="conflicts"]')).toBeNull();
        const related = shadowQueryAll(
            element,
            '[data-group="related"] li[data-match]',
        );
        expect(related).toHaveLength(3);
        expect(textOf(related[0].querySelector('[data-id="object"]'))).toBe(
            'Deal',
        );
        expect(detailPairs(element)).toEqual([
            ['Customer company', 'Northwind Traders'],
            ['Customer country', 'Germany'],
            ['Product line', 'Analytics'],
            ['Amount', '€48,000.00'],
            ['Expected close date', 'Mar 31, 2027'],
        ]);
        await expect(element).toBeAccessible();
    });

    it('renders a hidden match of another partner', async () => {
        const element = await mount({
            ...CONFLICT,
            conflictMatches: [
                {
                    object: 'Deal_Registration__c',
                    id: null,
                    name: null,
                    reasons: ['same company name: "tyrell biotech"'],
                    redacted: true,
                },
            ],
        });

        const match = shadowQuery(element, 'li[data-match]');
        expect(textOf(match.querySelector('[data-id="object"]'))).toBe(
            'Deal registration',
        );
        expect(textOf(match.querySelector('[data-id="name"]'))).toBe(
            'A record of another partner',
        );
        expect(match.querySelector('c-cosell-record-link')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('renders a registration not checked yet', async () => {
        const element = await mount({
            ...CLEAR,
            conflictStatus: 'Not Checked',
            relatedMatches: [],
            expiresAt: null,
        });

        expect(textOf(shadowQuery(element, '[data-id="outcome"]'))).toMatch(
            /^The conflict check has not run yet\./,
        );
        expect(textOf(shadowQuery(element, '[data-id="status"]'))).toBe(
            'Status: Submitted.',
        );
        await expect(element).toBeAccessible();
    });
});

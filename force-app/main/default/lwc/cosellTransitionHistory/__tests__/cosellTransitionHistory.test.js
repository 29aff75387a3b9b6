import { createElement } from 'lwc';
import CosellTransitionHistory from 'c/cosellTransitionHistory';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

const STAGES = require('./data/stages.json');
const {
    transitions: TRANSITIONS,
} = require('./data/transitionsClosedLost.json');

async function mount(transitions) {
    const element = createElement('c-cosell-transition-history', {
        is: CosellTransitionHistory,
    });
    element.transitions = transitions;
    element.stages = STAGES;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

function toggles(element) {
    return shadowQueryAll(element, 'button');
}

describe('c-cosell-transition-history', () => {
    afterEach(resetDocument);

    it('renders the moves newest first with who made them', async () => {
        const element = await mount(TRANSITIONS);

        const items = shadowQueryAll(element, 'li[data-transition]');
        expect(items.map((item) => textOf(item.querySelector('p')))).toEqual([
            'Jointly Qualified to Closed Lost',
            'Identified & Registered to Jointly Qualified',
            'no stage to Identified & Registered',
        ]);
        expect(textOf(items[0].querySelector('[data-id="people"]'))).toBe(
            'Oct 28, 2026, 7:09 AM: requested by Avery Chen (vendor), confirmed by Sam Okafor (partner)',
        );
        expect(toggles(element).map(textOf)).toEqual([
            'Show evidence (1)',
            'Show evidence (2)',
            'Show evidence (0)',
        ]);
        await expect(element).toBeAccessible();
    });

    it('expands and collapses the evidence of a move', async () => {
        const element = await mount(TRANSITIONS);
        const [first] = toggles(element);

        first.click();
        await flushPromises();
        expect(first.getAttribute('aria-expanded')).toBe('true');
        expect(textOf(first)).toBe('Hide evidence (1)');
        const panel = shadowQuery(element, 'li div[id]');
        expect(panel.id).toBe(first.getAttribute('aria-controls'));
        expect(panel.querySelector('c-cosell-criteria-list').criteria).toEqual(
            TRANSITIONS[2].evidence,
        );
        await expect(element).toBeAccessible();

        first.click();
        await flushPromises();
        expect(first.getAttribute('aria-expanded')).toBe('false');
        expect(shadowQuery(element, 'c-cosell-criteria-list')).toBeNull();
    });

    it('marks a one-sided override', async () => {
        const override = {
            ...TRANSITIONS[2],
            id: 'a07000000000999AAA',
            oneSided: true,
            confirmedBy: { id: '005000000000010AAA', name: null, side: null },
        };
        const element = await mount([override]);

        const item = shadowQuery(element, 'li[data-transition]');
        expect(textOf(item.querySelector('.slds-badge'))).toBe(
            'One-sided override',
        );
        expect(textOf(item.querySelector('[data-id="people"]'))).toMatch(
            /confirmed by Unknown user$/,
        );
        await expect(element).toBeAccessible();
    });

    it('renders an empty history', async () => {
        const element = await mount([]);

        expect(textOf(shadowQuery(element, '[data-id="empty"]'))).toBe(
            'No stage moves yet.',
        );
        await expect(element).toBeAccessible();
    });
});

import { createElement } from 'lwc';
import CosellAgendaSection from 'c/cosellAgendaSection';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

const STAGE = {
    model: 'Default',
    value: 'Validating',
    label: 'Validating with Customer',
    order: 3,
    probability: 50,
    forecastCategory: 'Best Case',
    stallDays: 30,
    closed: false,
    won: false,
};

const STALLED_ITEM = {
    dealId: '006000000000029AAA',
    dealName: 'Tyrell Biotech - Platform',
    partnerAccount: null,
    stage: STAGE,
    detail: 'In Validating with Customer for 31 days; stalls after 30 days',
    ageDays: 31,
};

async function mount(props) {
    const element = createElement('c-cosell-agenda-section', {
        is: CosellAgendaSection,
    });
    Object.assign(
        element,
        { heading: 'Stalled', emptyText: 'Nothing here.' },
        props,
    );
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-cosell-agenda-section', () => {
    afterEach(resetDocument);

    it('renders an empty section with its count', async () => {
        const element = await mount({ kind: 'stalled', items: [] });

        expect(textOf(shadowQuery(element, 'h3'))).toBe('Stalled (0)');
        expect(textOf(shadowQuery(element, '[data-id="empty"]'))).toBe(
            'Nothing here.',
        );
        await expect(element).toBeAccessible();
    });

    it('renders a stalled deal without a partner', async () => {
        const element = await mount({ kind: 'stalled', items: [STALLED_ITEM] });

        const lines = shadowQueryAll(element, 'li[data-deal] > p').map(textOf);
        expect(lines).toEqual([
            'In Validating with Customer for 31 days; it stalls after 30 days.',
        ]);
        expect(shadowQuery(element, 'c-cosell-record-link').label).toBe(
            'Tyrell Biotech - Platform',
        );
        await expect(element).toBeAccessible();
    });

    it('renders a single day in the singular', async () => {
        const element = await mount({
            kind: 'stalled',
            items: [
                {
                    ...STALLED_ITEM,
                    ageDays: 1,
                    stage: { ...STAGE, stallDays: 1 },
                },
            ],
        });

        expect(textOf(shadowQuery(element, 'li[data-deal] > p'))).toBe(
            'In Validating with Customer for 1 day; it stalls after 1 day.',
        );
    });
});

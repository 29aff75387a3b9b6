import { createElement } from 'lwc';
import CosellAgendaSection from 'c/cosellAgendaSection';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

// The running user has the Cosell_Channel_Manager custom permission in these tests.
jest.mock(
    '@salesforce/customPermission/Cosell_Channel_Manager',
    () => ({ default: true }),
    { virtual: true },
);

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

const GENERATED_AT = '2026-12-04T15:00:00.000Z';

function waitingItem(kind, expiresAt) {
    return {
        ...STALLED_ITEM,
        ageDays: 6,
        request: {
            id: `a06-${kind}-${expiresAt}`,
            dealId: STALLED_ITEM.dealId,
            kind,
            fromStage: 'Validating',
            toStage: kind === 'Close Lost' ? 'Closed_Lost' : 'Negotiating',
            requestingSide: 'Vendor',
            status: 'Pending',
            createdAt: '2026-11-28T15:00:00.000Z',
            expiresAt,
        },
    };
}

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

    it('offers the override of an expired Close Lost request', async () => {
        const element = await mount({
            kind: 'waiting',
            generatedAt: GENERATED_AT,
            items: [waitingItem('Close Lost', '2026-12-01T15:00:00.000Z')],
        });

        expect(shadowQuery(element, 'c-cosell-override-action')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('offers no override of other requests', async () => {
        const element = await mount({
            kind: 'waiting',
            generatedAt: GENERATED_AT,
            items: [
                waitingItem('Close Lost', '2026-12-07T15:00:00.000Z'),
                waitingItem('Advance', '2026-12-01T15:00:00.000Z'),
            ],
        });

        expect(shadowQuery(element, 'c-cosell-override-action')).toBeNull();
    });

    it('passes an override on as an agenda change', async () => {
        const element = await mount({
            kind: 'waiting',
            generatedAt: GENERATED_AT,
            items: [waitingItem('Close Lost', '2026-12-01T15:00:00.000Z')],
        });
        const changed = jest.fn();
        element.addEventListener('agendachange', changed);

        shadowQuery(element, 'c-cosell-override-action').dispatchEvent(
            new CustomEvent('overridedone', {
                detail: { message: 'Applied.' },
            }),
        );

        expect(changed.mock.calls[0][0].detail).toEqual({
            message: 'Applied.',
        });
    });
});

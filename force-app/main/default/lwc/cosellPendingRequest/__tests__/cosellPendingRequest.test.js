import { createElement } from 'lwc';
import CosellPendingRequest from 'c/cosellPendingRequest';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    textOf,
} from '../../../../../test/lwcTestUtils';

const STAGES = require('./data/stages.json');
const REQUEST = require('./data/pendingRequest.json');

const PARTNER_VIEWER = {
    userId: '005000000000100AAA',
    side: 'Partner',
    canRequest: false,
    canConfirm: true,
    isChannelManager: false,
};

async function mount(request, viewer) {
    const element = createElement('c-cosell-pending-request', {
        is: CosellPendingRequest,
    });
    element.request = request;
    element.viewer = viewer;
    element.stages = STAGES;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

function text(element, id) {
    return textOf(shadowQuery(element, `[data-id="${id}"]`));
}

describe('c-cosell-pending-request', () => {
    afterEach(resetDocument);

    it('renders the move and who waits for whom', async () => {
        const element = await mount(REQUEST, PARTNER_VIEWER);

        expect(text(element, 'move')).toBe(
            'Advance from Jointly Qualified to Validating with Customer',
        );
        expect(text(element, 'waiting')).toBe(
            'Waiting for you to confirm or reject.',
        );
        expect(shadowQuery(element, '[data-id="reason"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('renders the requester by name with the reason', async () => {
        const request = {
            ...REQUEST,
            kind: 'Close Lost',
            toStage: 'Closed_Lost',
            requestedBy: {
                id: '005000000000001AAA',
                name: 'Avery Chen',
                side: 'Vendor',
            },
            reason: 'Customer chose a competitor',
        };
        const element = await mount(request, PARTNER_VIEWER);

        expect(text(element, 'move')).toBe(
            'Close Lost from Jointly Qualified to Closed Lost',
        );
        expect(text(element, 'requester')).toBe(
            'By Avery Chen (vendor side) on Dec 4, 2026, 6:09 AM',
        );
        expect(text(element, 'reason')).toBe('Customer chose a competitor');
        await expect(element).toBeAccessible();
    });

    it('renders a wait for a colleague on the answering side', async () => {
        const viewer = { ...PARTNER_VIEWER, canConfirm: false };
        const element = await mount(REQUEST, viewer);

        expect(text(element, 'waiting')).toBe(
            'Waiting for your side (partner) to confirm or reject.',
        );
    });

    it('renders a wait for the vendor to a partner requester', async () => {
        const request = {
            ...REQUEST,
            requestingSide: 'Partner',
            waitingFor: 'Vendor',
            requestedBy: {
                id: PARTNER_VIEWER.userId,
                name: null,
                side: 'Partner',
            },
        };
        const viewer = { ...PARTNER_VIEWER, canConfirm: false };
        const element = await mount(request, viewer);

        expect(text(element, 'waiting')).toBe(
            'Waiting for the vendor to confirm or reject.',
        );
        expect(text(element, 'requester')).toBe(
            'By you on Dec 4, 2026, 6:09 AM',
        );
    });

    it('renders the criteria the request still needs', async () => {
        const unmet = {
            name: 'Default_Qualified_Both_Sides_Confirmed',
            label: 'Qualification confirmed by both sides',
            kind: 'Exit',
            stage: 'Jointly_Qualified',
            ruleText:
                'A vendor user and a partner user have each confirmed the joint qualification.',
            evidenceLabel:
                'Vendor and partner confirmation of the qualification',
            met: false,
            value: false,
            evidence: [],
        };
        const element = await mount(
            { ...REQUEST, unmet: [unmet] },
            PARTNER_VIEWER,
        );

        const list = shadowQuery(element, 'c-cosell-criteria-list');
        expect(list.criteria).toEqual([unmet]);
        await expect(element).toBeAccessible();
    });
});

import { createElement } from 'lwc';
import CosellExpiringRegistrations from 'c/cosellExpiringRegistrations';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    textOf,
} from '../../../../../test/lwcTestUtils';

const REGISTRATION = {
    id: 'a01kycvPeGPqafBAUR',
    name: 'DR-00658',
    status: 'Submitted',
    customerCompany: 'Northwind Traders',
    expiresAt: '2026-12-05T15:00:00.000Z',
    partnerAccount: { id: '001000000000100AAA', name: 'Acme Cloud Partners' },
};

async function mount(entries, withinDays = 14) {
    const element = createElement('c-cosell-expiring-registrations', {
        is: CosellExpiringRegistrations,
    });
    element.entries = entries;
    element.withinDays = withinDays;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-cosell-expiring-registrations', () => {
    afterEach(resetDocument);

    it('renders the window when nothing expires', async () => {
        const element = await mount([], 7);

        expect(textOf(shadowQuery(element, 'h3'))).toBe(
            'Registrations expiring soon (0)',
        );
        expect(textOf(shadowQuery(element, '[data-id="empty"]'))).toBe(
            'No registrations expire within 7 days.',
        );
        await expect(element).toBeAccessible();
    });

    it('renders a registration with its partner and days left', async () => {
        const element = await mount([
            { registration: REGISTRATION, daysLeft: 1 },
        ]);

        expect(textOf(shadowQuery(element, 'li p'))).toBe(
            'Partner: Acme Cloud Partners',
        );
        expect(textOf(shadowQuery(element, '[data-id="detail"]'))).toBe(
            'Expires in 1 day, on Dec 5, 2026, 7:00 AM (status: Submitted)',
        );
        await expect(element).toBeAccessible();
    });
});

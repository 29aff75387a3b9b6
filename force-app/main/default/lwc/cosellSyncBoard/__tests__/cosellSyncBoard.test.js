import { createElement } from 'lwc';
import CosellSyncBoard from 'c/cosellSyncBoard';
import { refreshApex } from '@salesforce/apex';
import getAgenda from '@salesforce/apex/CosellSyncBoardController.getAgenda';
import getStageModels from '@salesforce/apex/CosellStageController.getStageModels';
import { getNavigateCalls, resetNavigateCalls } from 'lightning/navigation';
import {
    deepActiveElement,
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

// Apex modules exist only in an org, so each mock is virtual.
jest.mock(
    '@salesforce/apex/CosellSyncBoardController.getAgenda',
    () => require('../../../../../test/lwcTestUtils').apexWireAdapterModule(),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/CosellStageController.getStageModels',
    () => require('../../../../../test/lwcTestUtils').apexWireAdapterModule(),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex',
    () => ({ refreshApex: jest.fn(() => Promise.resolve()) }),
    { virtual: true },
);

const AGENDA_FULL = require('./data/agendaFull.json');
const AGENDA_PARTNER = require('./data/agendaPartner.json');
const AGENDA_EMPTY = require('./data/agendaEmpty.json');
const MODELS = require('./data/stageModels.json');

function mount(props = {}) {
    const element = createElement('c-cosell-sync-board', {
        is: CosellSyncBoard,
    });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

async function emit(agenda) {
    getStageModels.emit(MODELS);
    getAgenda.emit(agenda);
    await flushPromises();
}

function section(element, kind) {
    return shadowQueryAll(element, 'c-cosell-agenda-section').find(
        (candidate) => shadowQuery(candidate, 'section').dataset.kind === kind,
    );
}

function sections(element) {
    return shadowQueryAll(element, 'c-cosell-agenda-section').map((item) =>
        textOf(shadowQuery(item, 'h3')),
    );
}

function rowsOf(sectionElement) {
    return shadowQueryAll(sectionElement, 'li[data-deal]').map((li) => ({
        deal: li.dataset.deal,
        lines: [...li.querySelectorAll(':scope > p')].map(textOf),
        unmet: [...li.querySelectorAll('[data-id="unmet"] li')].map(textOf),
    }));
}

describe('c-cosell-sync-board', () => {
    afterEach(() => {
        resetDocument();
        resetNavigateCalls();
        jest.clearAllMocks();
    });

    it('renders a spinner while loading', async () => {
        const element = mount();
        await flushPromises();

        expect(shadowQuery(element, 'lightning-spinner').alternativeText).toBe(
            'Loading the agenda…',
        );
        expect(
            shadowQuery(element, '[data-id="body"]').getAttribute('aria-busy'),
        ).toBe('true');
        await expect(element).toBeAccessible();
    });

    it('asks for every partner and the default window', async () => {
        mount();
        await flushPromises();

        expect(getAgenda.getLastConfig()).toEqual({
            partnerAccountId: null,
            expiringWithinDays: 14,
        });
    });

    it('asks for the configured partner and window', async () => {
        mount({
            partnerAccountId: '001000000000100AAA',
            expiringWithinDays: 30,
        });
        await flushPromises();

        expect(getAgenda.getLastConfig()).toEqual({
            partnerAccountId: '001000000000100AAA',
            expiringWithinDays: 30,
        });
    });

    it('renders an empty agenda', async () => {
        const element = mount();
        await emit(AGENDA_EMPTY);

        expect(textOf(shadowQuery(element, '[data-id="summary"]'))).toBe(
            'Agenda for the vendor side, as of Dec 4, 2026, 7:00 AM.',
        );
        expect(textOf(shadowQuery(element, '[data-id="empty"]'))).toBe(
            'Nothing needs attention: no requests waiting, no stalled, regressed or blocked deals, and no registrations expiring within 14 days.',
        );
        expect(sections(element)).toEqual([]);
        expect(shadowQuery(element, 'lightning-spinner')).toBeNull();
        expect(textOf(shadowQuery(element, '[data-id="live"]'))).toBe(
            'Agenda for the vendor side, as of Dec 4, 2026, 7:00 AM.',
        );
        await expect(element).toBeAccessible();
    });

    it('renders a full agenda for the vendor side', async () => {
        const element = mount();
        await emit(AGENDA_FULL);

        expect(sections(element)).toEqual([
            'Waiting for your side (2)',
            'Waiting for the partner (3)',
            'Blocked on unmet criteria (1)',
            'No longer meeting their stage (1)',
            'Stalled (2)',
        ]);
        await expect(element).toBeAccessible();
    });

    it('renders requests waiting with age and expiry', async () => {
        const element = mount();
        await emit(AGENDA_FULL);

        const waiting = shadowQueryAll(element, 'c-cosell-agenda-section')[1];
        const [expired, open] = rowsOf(waiting);
        expect(expired.lines).toEqual([
            'Partner: Cedar Systems Integration',
            'Close Lost from Identified & Registered to Closed Lost',
            'Waiting for 6 days',
            'Expired on Dec 1, 2026, 7:00 AM, unanswered; a channel manager may apply it as an override',
        ]);
        expect(open.lines).toEqual([
            'Partner: Cedar Systems Integration',
            'Advance from Identified & Registered to Jointly Qualified',
            'Requested today',
            'Expires on Dec 7, 2026, 7:00 AM',
        ]);
    });

    it('renders stalled, regressed and blocked deals', async () => {
        const element = mount();
        await emit(AGENDA_FULL);

        const [stalled] = rowsOf(section(element, 'stalled'));
        expect(stalled.lines[1]).toBe(
            'In In Negotiation & Approvals for 57 days; it stalls after 21 days.',
        );
        const [regressed] = rowsOf(section(element, 'regressed'));
        expect(regressed.lines[1]).toBe(
            'These criteria that let it into In Negotiation & Approvals no longer hold:',
        );
        expect(regressed.unmet).toEqual([
            'Customer confirmed the evaluation',
            'Customer owns a close plan step',
        ]);
        const [blocked] = rowsOf(section(element, 'blocked'));
        expect(blocked.lines[1]).toBe(
            'The move to Jointly Qualified waits on these criteria:',
        );
        expect(blocked.unmet).toEqual([
            'Approved registration, conflict clear',
            'Vendor and partner owners named',
        ]);
    });

    it('renders registrations expiring soon', async () => {
        const element = mount();
        await emit(AGENDA_FULL);

        const expiring = shadowQuery(
            element,
            'c-cosell-expiring-registrations',
        );
        const link = shadowQuery(expiring, 'c-cosell-record-link');
        expect(link.recordId).toBe('a01kycvPeGPqafBAUR');
        expect(link.label).toBe('DR-00658: Northwind Traders');
        expect(textOf(shadowQuery(expiring, '[data-id="detail"]'))).toBe(
            'Expires in 5 days, on Dec 9, 2026, 7:00 AM (status: Approved)',
        );
    });

    it('renders the partner side with its own requests first', async () => {
        const element = mount();
        await emit(AGENDA_PARTNER);

        expect(textOf(shadowQuery(element, '[data-id="summary"]'))).toBe(
            'Agenda for the partner side, as of Dec 4, 2026, 7:00 AM.',
        );
        expect(textOf(shadowQuery(element, '[data-id="limited"]'))).toBe(
            'Limited to the partner Acme Cloud Partners.',
        );
        expect(sections(element).slice(0, 2)).toEqual([
            'Waiting for your side (2)',
            'Waiting for the vendor (0)',
        ]);
        const emptyVendor = shadowQueryAll(
            element,
            'c-cosell-agenda-section',
        )[1];
        expect(textOf(shadowQuery(emptyVendor, '[data-id="empty"]'))).toBe(
            'Nothing here.',
        );
        await expect(element).toBeAccessible();
    });

    it('links each deal to its record page', async () => {
        const element = mount();
        await emit(AGENDA_FULL);

        const anchor = shadowQuery(
            section(element, 'stalled'),
            'c-cosell-record-link',
            'a',
        );
        expect(textOf(anchor)).toBe('Umbrella Health - Analytics');
        expect(anchor.getAttribute('href')).toBe(
            '/lightning/r/006000000000046AAA/view',
        );
        anchor.click();

        expect(getNavigateCalls()).toEqual([
            {
                pageReference: {
                    type: 'standard__recordPage',
                    attributes: {
                        recordId: '006000000000046AAA',
                        actionName: 'view',
                    },
                },
                replace: undefined,
            },
        ]);
    });

    it('reloads the agenda for a chosen window', async () => {
        const element = mount();
        await emit(AGENDA_EMPTY);

        const select = shadowQuery(element, 'select');
        expect(
            [...select.querySelectorAll('option')].map((option) => [
                option.value,
                textOf(option),
            ]),
        ).toEqual([
            ['7', '7 days'],
            ['14', '14 days'],
            ['30', '30 days'],
            ['60', '60 days'],
            ['90', '90 days'],
        ]);
        select.value = '60';
        select.dispatchEvent(new CustomEvent('change'));
        await flushPromises();

        expect(getAgenda.getLastConfig()).toEqual({
            partnerAccountId: null,
            expiringWithinDays: 60,
        });
        expect(shadowQuery(element, 'lightning-spinner')).not.toBeNull();

        getAgenda.emit({ ...AGENDA_EMPTY, expiringWithinDays: 60 });
        await flushPromises();
        expect(shadowQuery(element, 'lightning-spinner')).toBeNull();
        expect(textOf(shadowQuery(element, '[data-id="empty"]'))).toMatch(
            /expiring within 60 days\.$/,
        );
    });

    it('offers a configured window missing from the choices', async () => {
        const element = mount({ expiringWithinDays: 21 });
        await flushPromises();

        const values = [...shadowQuery(element, 'select').options].map(
            (option) => [option.value, option.selected],
        );
        expect(values).toContainEqual(['21', true]);
        expect(values.map(([value]) => value)).toEqual([
            '7',
            '14',
            '21',
            '30',
            '60',
            '90',
        ]);
    });

    it('refreshes the agenda from its button', async () => {
        const element = mount();
        await emit(AGENDA_FULL);

        shadowQuery(element, '[data-id="refresh"]').click();
        await flushPromises();

        expect(refreshApex).toHaveBeenCalledTimes(1);
        expect(refreshApex.mock.calls[0][0].data).toBe(AGENDA_FULL);
    });

    it('renders the error of getAgenda', async () => {
        const element = mount();
        getStageModels.emit(MODELS);
        getAgenda.error({
            message:
                'User 005000000000001AAA may not see partner account 001000000000101AAA. Ask a channel manager for the agenda of that partner.',
        });
        await flushPromises();

        const panel = shadowQuery(element, 'c-cosell-error-panel');
        expect(textOf(shadowQuery(panel, '[data-id="heading"]'))).toBe(
            'Could not load the agenda',
        );
        expect(textOf(shadowQuery(panel, '[data-id="messages"]'))).toMatch(
            /^User 005000000000001AAA may not see partner account/,
        );
        expect(shadowQuery(element, 'lightning-spinner')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('renders stage values when the models fail to load', async () => {
        const element = mount();
        getStageModels.error({ message: 'unavailable' });
        getAgenda.emit(AGENDA_FULL);
        await flushPromises();

        const waiting = shadowQueryAll(element, 'c-cosell-agenda-section')[1];
        expect(rowsOf(waiting)[1].lines[1]).toBe(
            'Advance from Registered to Jointly_Qualified',
        );
    });

    it('announces a change from a section and reloads', async () => {
        const element = mount();
        await emit(AGENDA_FULL);

        section(element, 'waiting').dispatchEvent(
            new CustomEvent('agendachange', {
                detail: {
                    message:
                        'Close Lost applied to Contoso Retail - Services as a one-sided override.',
                },
            }),
        );
        await flushPromises();

        const status = shadowQuery(element, '[data-id="status"]');
        expect(textOf(status)).toBe(
            'Close Lost applied to Contoso Retail - Services as a one-sided override.',
        );
        expect(deepActiveElement()).toBe(status);
        expect(refreshApex).toHaveBeenCalledTimes(1);
        await expect(element).toBeAccessible();
    });
});

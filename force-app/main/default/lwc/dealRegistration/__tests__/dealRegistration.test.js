import { createElement } from 'lwc';
import DealRegistration from 'c/dealRegistration';
import registerDeal from '@salesforce/apex/DealRegistrationController.registerDeal';
import getRegistration from '@salesforce/apex/DealRegistrationController.getRegistration';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import {
    deepActiveElement,
    deferred,
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

// Apex modules exist only in an org, so each mock is virtual.
jest.mock(
    '@salesforce/apex/DealRegistrationController.registerDeal',
    () => ({ default: jest.fn() }),
    { virtual: true },
);
jest.mock(
    '@salesforce/apex/DealRegistrationController.getRegistration',
    () => require('../../../../../test/lwcTestUtils').apexWireAdapterModule(),
    { virtual: true },
);

const OBJECT_INFO = require('./data/objectInfo.json');
const PRODUCT_LINES = require('./data/productLines.json');
const CURRENCIES = require('./data/currencies.json');
const REGISTRATION_CLEAR = require('./data/registrationClear.json');
const REGISTRATION_CONFLICT = require('./data/registrationConflict.json');

const VALID_VALUES = {
    customerCompany: '  Northwind Traders ',
    customerWebsite: 'https://northwind.example',
    customerCountry: 'Germany',
    productLine: 'Analytics',
    amount: '48000',
    currencyIsoCode: 'EUR',
    expectedCloseDate: '2099-03-31',
};

async function mount(recordId) {
    const element = createElement('c-deal-registration', {
        is: DealRegistration,
    });
    if (recordId) {
        element.recordId = recordId;
    }
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

async function emitChoices() {
    getObjectInfo.emit(OBJECT_INFO);
    await flushPromises();
    getPicklistValues.emit(
        PRODUCT_LINES,
        (config) => config.fieldApiName.fieldApiName === 'Product_Line__c',
    );
    getPicklistValues.emit(
        CURRENCIES,
        (config) => config.fieldApiName.fieldApiName === 'CurrencyIsoCode',
    );
    await flushPromises();
}

function form(element) {
    return shadowQuery(element, 'c-cosell-registration-form');
}

function field(element, name) {
    return shadowQuery(form(element), `[data-name="${name}"]`);
}

async function fill(element, values) {
    for (const [name, value] of Object.entries(values)) {
        const input = field(element, name);
        input.value = value;
        const eventName = input.tagName === 'SELECT' ? 'change' : 'input';
        input.dispatchEvent(new CustomEvent(eventName));
    }
    await flushPromises();
}

async function submit(element) {
    shadowQuery(form(element), 'button[type="submit"]').click();
    await flushPromises();
    await flushPromises();
}

function result(element) {
    return shadowQuery(element, 'c-cosell-registration-result');
}

describe('c-deal-registration', () => {
    afterEach(() => {
        resetDocument();
        jest.clearAllMocks();
    });

    it('renders the form with the org picklists', async () => {
        const element = await mount();
        await emitChoices();

        const productLines = [
            ...field(element, 'productLine').querySelectorAll('option'),
        ].map((option) => option.value);
        expect(productLines).toEqual([
            '',
            'Platform',
            'Analytics',
            'Security',
            'Services',
        ]);
        // The user's currency (USD in jest) is chosen at first.
        expect(field(element, 'currencyIsoCode').value).toBe('USD');
        // An Apex wire is not called while a parameter is undefined.
        expect(getRegistration.getLastConfig()).toEqual({
            registrationId: undefined,
        });
        await expect(element).toBeAccessible();
    });

    it('renders validation errors for missing fields', async () => {
        const element = await mount();
        await emitChoices();
        await fill(element, { currencyIsoCode: '' });

        await submit(element);

        expect(registerDeal).not.toHaveBeenCalled();
        const summary = shadowQuery(form(element), '[data-id="summary"]');
        expect(textOf(summary.querySelector('p'))).toBe(
            'Fix 6 fields before registering:',
        );
        expect([...summary.querySelectorAll('li')].map(textOf)).toEqual([
            "Customer company: Enter the customer's company name.",
            "Customer country: Enter the customer's country.",
            'Product line: Choose the product line.',
            'Amount: Enter an amount above 0 and up to 9999999999999.99, with up to two decimals, such as 125000.50.',
            'Currency: Choose the currency of the amount.',
            'Expected close date: Enter the date the deal is expected to close.',
        ]);
        const company = field(element, 'customerCompany');
        expect(company.getAttribute('aria-invalid')).toBe('true');
        expect(deepActiveElement()).toBe(company);
        expect(
            field(element, 'customerWebsite').getAttribute('aria-invalid'),
        ).toBe('false');
        await expect(element).toBeAccessible();
    });

    it('renders validation errors for invalid values', async () => {
        const element = await mount();
        await emitChoices();
        await fill(element, {
            ...VALID_VALUES,
            customerWebsite: 'not a website',
            amount: '12,50',
            expectedCloseDate: '2001-01-01',
        });

        await submit(element);

        expect(registerDeal).not.toHaveBeenCalled();
        const errors = shadowQueryAll(form(element), '[data-error]')
            .filter((item) => textOf(item))
            .map((item) => [item.dataset.error, textOf(item)]);
        expect(errors).toEqual([
            [
                'customerWebsite',
                'Enter a website such as https://www.example.com or example.com.',
            ],
            [
                'amount',
                'Enter an amount above 0 and up to 9999999999999.99, with up to two decimals, such as 125000.50.',
            ],
            ['expectedCloseDate', 'Enter today or a later date.'],
        ]);
        expect(deepActiveElement()).toBe(field(element, 'customerWebsite'));
        await expect(element).toBeAccessible();
    });

    it('renders a registration whose conflict check is clear', async () => {
        const call = deferred();
        registerDeal.mockReturnValue(call.promise);
        const element = await mount();
        await emitChoices();
        await fill(element, VALID_VALUES);

        shadowQuery(form(element), 'button[type="submit"]').click();
        await flushPromises();

        expect(registerDeal).toHaveBeenCalledWith({
            registration: {
                customerCompany: 'Northwind Traders',
                customerWebsite: 'https://northwind.example',
                customerCountry: 'Germany',
                productLine: 'Analytics',
                amount: '48000',
                currencyIsoCode: 'EUR',
                expectedCloseDate: '2099-03-31',
            },
        });
        expect(textOf(shadowQuery(element, '[data-id="sending"]'))).toBe(
            'Registering the deal and checking for conflicts…',
        );
        expect(
            shadowQuery(form(element), 'button[type="submit"]').disabled,
        ).toBe(true);

        call.resolve(REGISTRATION_CLEAR);
        await flushPromises();
        await flushPromises();

        expect(form(element)).toBeNull();
        const heading = shadowQuery(result(element), '[data-id="heading"]');
        expect(textOf(heading)).toBe('Registration DR-00658');
        expect(deepActiveElement()).toBe(heading);
        expect(
            textOf(shadowQuery(result(element), '[data-id="outcome"]')),
        ).toBe(
            'No conflicting deal or registration found. A channel manager reviews the registration next.',
        );
        await expect(element).toBeAccessible();
    });

    it('renders a registration with conflicts', async () => {
        registerDeal.mockResolvedValue(REGISTRATION_CONFLICT);
        const element = await mount();
        await emitChoices();
        await fill(element, {
            ...VALID_VALUES,
            customerCompany: 'Tyrell Biotech',
            productLine: 'Platform',
        });

        await submit(element);

        expect(
            textOf(shadowQuery(result(element), '[data-id="outcome"]')),
        ).toBe(
            'This registration matches existing records, so a channel manager decides which one keeps the deal:',
        );
        const matches = shadowQueryAll(
            result(element),
            '[data-group="conflicts"] li[data-match]',
        );
        expect(matches).toHaveLength(3);
        const link = matches[0].querySelector('c-cosell-record-link');
        expect(link.recordId).toBe('006000000000009AAA');
        expect(link.label).toBe('Tyrell Biotech - Platform');
        expect(
            [...matches[0].querySelectorAll('[data-id="reasons"] li')].map(
                textOf,
            ),
        ).toEqual([
            'same company name: "tyrell biotech"',
            'same website domain: tyrellbiotech.example',
            'same product line: Platform',
        ]);
        await expect(element).toBeAccessible();
    });

    it('renders the error of registerDeal and keeps the form', async () => {
        registerDeal.mockRejectedValue({
            body: {
                message:
                    'User 005000000000001AAA is not a partner user; deals are registered by the partner that brings them. Ask a partner seller of the registering partner to submit the registration.',
            },
        });
        const element = await mount();
        await emitChoices();
        await fill(element, VALID_VALUES);

        await submit(element);

        const panel = shadowQuery(element, 'c-cosell-error-panel');
        const heading = shadowQuery(panel, '[data-id="heading"]');
        expect(textOf(heading)).toBe('Could not register the deal');
        expect(textOf(shadowQuery(panel, '[data-id="messages"]'))).toMatch(
            /is not a partner user/,
        );
        expect(deepActiveElement()).toBe(heading);
        expect(field(element, 'customerCompany').value).toBe(
            VALID_VALUES.customerCompany,
        );
        await expect(element).toBeAccessible();
    });

    it('starts a new registration after a result', async () => {
        registerDeal.mockResolvedValue(REGISTRATION_CLEAR);
        const element = await mount();
        await emitChoices();
        await fill(element, VALID_VALUES);
        await submit(element);

        shadowQuery(element, '[data-id="another"]').click();
        await flushPromises();
        await emitChoices();

        expect(result(element)).toBeNull();
        expect(field(element, 'customerCompany').value).toBe('');
        expect(deepActiveElement()).toBe(field(element, 'customerCompany'));
    });

    describe('on a registration record page', () => {
        it('renders a spinner while the registration loads', async () => {
            const element = await mount(REGISTRATION_CONFLICT.id);

            expect(getRegistration.getLastConfig()).toEqual({
                registrationId: REGISTRATION_CONFLICT.id,
            });
            expect(shadowQuery(element, 'lightning-spinner')).not.toBeNull();
            expect(form(element)).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('renders the stored registration', async () => {
            const element = await mount(REGISTRATION_CONFLICT.id);
            getRegistration.emit(REGISTRATION_CONFLICT);
            await flushPromises();

            expect(
                textOf(shadowQuery(result(element), '[data-id="heading"]')),
            ).toBe('Registration DR-00659');
            expect(shadowQuery(element, 'lightning-spinner')).toBeNull();
            expect(shadowQuery(element, '[data-id="another"]')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('renders the error of getRegistration', async () => {
            const element = await mount(REGISTRATION_CONFLICT.id);
            getRegistration.error({
                message:
                    'Registration a01czzduI0ghnelAIA was not found. Check the Id, or ask a channel manager whether it was deleted.',
            });
            await flushPromises();

            const panel = shadowQuery(element, 'c-cosell-error-panel');
            expect(textOf(shadowQuery(panel, '[data-id="heading"]'))).toBe(
                'Could not load the deal registration',
            );
            expect(result(element)).toBeNull();
            await expect(element).toBeAccessible();
        });
    });
});

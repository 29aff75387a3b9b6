import { createElement } from 'lwc';
import CosellRegistrationForm from 'c/cosellRegistrationForm';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import { registrationOf, validateRegistration } from '../registrationRules';
import {
    flushPromises,
    resetDocument,
    shadowQuery,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

const OBJECT_INFO = require('./data/objectInfo.json');
const PRODUCT_LINES = require('./data/productLines.json');
const CURRENCIES = require('./data/currencies.json');

const VALID = {
    customerCompany: 'Northwind Traders',
    customerWebsite: '',
    customerCountry: 'Germany',
    productLine: 'Analytics',
    amount: '48000.50',
    currencyIsoCode: 'EUR',
    expectedCloseDate: '2026-12-04',
};
const TODAY = '2026-12-04';

async function mount() {
    const element = createElement('c-cosell-registration-form', {
        is: CosellRegistrationForm,
    });
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-cosell-registration-form', () => {
    afterEach(resetDocument);

    describe('validateRegistration', () => {
        it('accepts a complete registration', () => {
            expect(validateRegistration(VALID, TODAY)).toEqual({});
        });

        it.each([
            ['amount', '0'],
            ['amount', '-5'],
            ['amount', '1.234'],
            ['amount', '123456789012345'],
            ['amount', '99999999999999.99'],
            ['amount', '1e5'],
            ['customerWebsite', 'northwind'],
            ['customerWebsite', 'https://north wind.example'],
            ['expectedCloseDate', '2026-12-03'],
            ['expectedCloseDate', 'next month'],
            ['customerCompany', '   '],
            ['customerCompany', '!!'],
            ['customerCompany', 'North\twind'],
            ['customerCompany', 'North\u202Ewind'],
            ['customerCountry', '--'],
            ['customerCountry', 'Germ\u0007any'],
            ['customerWebsite', 'example.com\u0000'],
        ])('rejects %s %p', (name, value) => {
            const errors = validateRegistration(
                { ...VALID, [name]: value },
                TODAY,
            );
            expect(Object.keys(errors)).toEqual([name]);
        });

        it.each([
            ['customerCompany', '3M'],
            ['customerCompany', '日本電気'],
            ['customerCountry', "Côte d'Ivoire"],
            ['customerCountry', 'DE'],
        ])('accepts %s %p', (name, value) => {
            expect(
                validateRegistration({ ...VALID, [name]: value }, TODAY),
            ).toEqual({});
        });

        it.each([
            'example.com',
            'https://www.example.com',
            'http://example.co.uk/about',
        ])('accepts the website %p', (website) => {
            expect(
                validateRegistration(
                    { ...VALID, customerWebsite: website },
                    TODAY,
                ),
            ).toEqual({});
        });
    });

    describe('registrationOf', () => {
        it('trims values and leaves out a blank website', () => {
            expect(
                registrationOf({ ...VALID, customerCompany: ' Northwind ' }),
            ).toEqual({
                customerCompany: 'Northwind',
                customerCountry: 'Germany',
                productLine: 'Analytics',
                amount: '48000.50',
                currencyIsoCode: 'EUR',
                expectedCloseDate: '2026-12-04',
            });
        });
    });

    it('renders every field with a label', async () => {
        const element = await mount();
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

        // As in lightning-input, an asterisk with the title "required" marks a required field.
        const labels = shadowQueryAll(element, 'label').map(textOf);
        expect(labels).toEqual([
            '*Customer company',
            'Customer website',
            '*Customer country',
            '*Product line',
            '*Amount',
            '*Currency',
            '*Expected close date',
        ]);
        const required = shadowQueryAll(element, '[data-name]').map(
            (input) => input.required,
        );
        expect(required).toEqual([true, false, true, true, true, true, true]);
        const date = shadowQuery(element, '[data-name="expectedCloseDate"]');
        expect(date.type).toBe('date');
        expect(date.min).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        await expect(element).toBeAccessible();
    });

    it('renders the error of the picklist wires', async () => {
        const element = await mount();
        getObjectInfo.error({
            message: 'Insufficient access to Deal_Registration__c',
        });
        await flushPromises();

        const panel = shadowQuery(element, 'c-cosell-error-panel');
        expect(textOf(shadowQuery(panel, '[data-id="heading"]'))).toBe(
            'Could not load the product lines and currencies',
        );
        await expect(element).toBeAccessible();
    });

    it('clears a field error once the field changes', async () => {
        const element = await mount();
        shadowQuery(element, 'button[type="submit"]').click();
        await flushPromises();
        const company = shadowQuery(element, '[data-name="customerCompany"]');
        expect(company.getAttribute('aria-invalid')).toBe('true');

        company.value = 'Northwind';
        company.dispatchEvent(new CustomEvent('input'));
        await flushPromises();

        expect(company.getAttribute('aria-invalid')).toBe('false');
        expect(
            textOf(shadowQuery(element, '[data-error="customerCompany"]')),
        ).toBe('');
    });
});

/**
 * Client-side checks of a deal registration. They mirror what the middleware
 * accepts on `POST /v1/registrations`, so the form lists every problem at once
 * before anything is sent.
 */
import COMPANY_MISSING from '@salesforce/label/c.Cosell_Register_Company_Missing';
import COMPANY_NO_LETTER from '@salesforce/label/c.Cosell_Register_Company_No_Letter';
import COUNTRY_NO_LETTER from '@salesforce/label/c.Cosell_Register_Country_No_Letter';
import TEXT_CONTROL from '@salesforce/label/c.Cosell_Register_Text_Control';
import WEBSITE_INVALID from '@salesforce/label/c.Cosell_Register_Website_Invalid';
import COUNTRY_MISSING from '@salesforce/label/c.Cosell_Register_Country_Missing';
import PRODUCT_LINE_MISSING from '@salesforce/label/c.Cosell_Register_Product_Line_Missing';
import AMOUNT_INVALID from '@salesforce/label/c.Cosell_Register_Amount_Invalid';
import CURRENCY_MISSING from '@salesforce/label/c.Cosell_Register_Currency_Missing';
import CLOSE_DATE_MISSING from '@salesforce/label/c.Cosell_Register_Close_Date_Missing';
import CLOSE_DATE_PAST from '@salesforce/label/c.Cosell_Register_Close_Date_Past';

/**
 * Up to 13 digits before the point and 2 after, as the middleware accepts.
 * `Amount__c` is Currency(16,2), but amounts are read back as doubles, which
 * keep 15 significant digits exactly.
 */
const AMOUNT_TEXT = /^\d{1,13}(\.\d{1,2})?$/;
/** A host name with at least one dot, with an optional scheme and path. */
const WEBSITE_TEXT = /^(https?:\/\/)?[^\s/:.]+(\.[^\s/:.]+)+(:\d+)?(\/\S*)?$/i;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
/** A letter of any script, so "Côte d'Ivoire" and "日本" count. */
const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/**
 * C0 controls, DEL and the bidirectional embedding, override and isolate controls,
 * which the middleware rejects in one-line text.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x1F\x7F\u202A-\u202E\u2066-\u2069]/;

function text(value) {
    return typeof value === 'string' ? value.trim() : '';
}

/**
 * Checks the form's values.
 * @param {object} values the form's values by field name
 * @param {string} today today's date in the user's time zone, `YYYY-MM-DD`
 * @returns {object} a message by the name of each invalid field; empty when all are valid
 */
export function validateRegistration(values, today) {
    const errors = {};
    const company = text(values.customerCompany);
    if (!company) {
        errors.customerCompany = COMPANY_MISSING;
    } else if (CONTROL_CHARACTERS.test(company)) {
        errors.customerCompany = TEXT_CONTROL;
    } else if (!LETTER_OR_DIGIT.test(company)) {
        errors.customerCompany = COMPANY_NO_LETTER;
    }
    const website = text(values.customerWebsite);
    if (CONTROL_CHARACTERS.test(website)) {
        errors.customerWebsite = TEXT_CONTROL;
    } else if (website && !WEBSITE_TEXT.test(website)) {
        errors.customerWebsite = WEBSITE_INVALID;
    }
    const country = text(values.customerCountry);
    if (!country) {
        errors.customerCountry = COUNTRY_MISSING;
    } else if (CONTROL_CHARACTERS.test(country)) {
        errors.customerCountry = TEXT_CONTROL;
    } else if (!LETTER.test(country)) {
        errors.customerCountry = COUNTRY_NO_LETTER;
    }
    if (!text(values.productLine)) {
        errors.productLine = PRODUCT_LINE_MISSING;
    }
    const amount = text(values.amount);
    if (!AMOUNT_TEXT.test(amount) || Number(amount) <= 0) {
        // NOTE: only "." is accepted as the decimal separator, as the middleware reads amounts.
        errors.amount = AMOUNT_INVALID;
    }
    if (!text(values.currencyIsoCode)) {
        errors.currencyIsoCode = CURRENCY_MISSING;
    }
    const closeDate = text(values.expectedCloseDate);
    if (!DATE_TEXT.test(closeDate)) {
        errors.expectedCloseDate = CLOSE_DATE_MISSING;
    } else if (closeDate < today) {
        errors.expectedCloseDate = CLOSE_DATE_PAST;
    }
    return errors;
}

/**
 * Builds the registration the Apex controller sends to the middleware: trimmed
 * text, and no website when none was given.
 */
export function registrationOf(values) {
    const registration = {
        customerCompany: text(values.customerCompany),
        customerCountry: text(values.customerCountry),
        productLine: text(values.productLine),
        amount: text(values.amount),
        currencyIsoCode: text(values.currencyIsoCode),
        expectedCloseDate: text(values.expectedCloseDate),
    };
    const website = text(values.customerWebsite);
    if (website) {
        registration.customerWebsite = website;
    }
    return registration;
}

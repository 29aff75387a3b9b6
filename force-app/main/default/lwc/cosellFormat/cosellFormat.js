/**
 * Text helpers shared by the co-sell components: label templates with `{0}`
 * placeholders, side names, stage labels, and dates and amounts in the user's
 * locale and time zone. Dates are formatted here rather than by
 * `lightning-formatted-date-time` so that a whole sentence, date included, is
 * one custom label that translators can reorder.
 */
import SIDE_VENDOR from '@salesforce/label/c.Cosell_Side_Vendor';
import SIDE_PARTNER from '@salesforce/label/c.Cosell_Side_Partner';
import NO_STAGE from '@salesforce/label/c.Cosell_No_Stage';
import DAYS_ONE from '@salesforce/label/c.Cosell_Days_One';
import DAYS_MANY from '@salesforce/label/c.Cosell_Days_Many';
import STATUS_SUBMITTED from '@salesforce/label/c.Cosell_Registration_Status_Submitted';
import STATUS_APPROVED from '@salesforce/label/c.Cosell_Registration_Status_Approved';
import STATUS_REJECTED from '@salesforce/label/c.Cosell_Registration_Status_Rejected';
import STATUS_EXPIRED from '@salesforce/label/c.Cosell_Registration_Status_Expired';
import STATUS_CONVERTED from '@salesforce/label/c.Cosell_Registration_Status_Converted';
import LOCALE from '@salesforce/i18n/locale';
import TIME_ZONE from '@salesforce/i18n/timeZone';

/**
 * Replaces `{0}`, `{1}`, ... in a custom label with the values, as
 * `String.format` does in Apex. A placeholder without a value stays as it is.
 * @param {string} template the label's text
 * @param {...unknown} values the values, in placeholder order
 * @returns {string} the text
 */
export function formatLabel(template, ...values) {
    return String(template).replace(/\{(\d+)\}/g, (placeholder, index) => {
        const value = values[Number(index)];
        return value === undefined || value === null
            ? placeholder
            : String(value);
    });
}

/** Returns the side's name for people ("vendor", "partner"), or '' for none. */
export function sideName(side) {
    if (side === 'Vendor') {
        return SIDE_VENDOR;
    }
    if (side === 'Partner') {
        return SIDE_PARTNER;
    }
    return '';
}

/**
 * Returns the label of a stage value among the model's stages; the value itself
 * when the model has no such stage, and "no stage" for null.
 */
export function stageLabel(stages, value) {
    if (value === null || value === undefined || value === '') {
        return NO_STAGE;
    }
    const stage = (stages ?? []).find((candidate) => candidate.value === value);
    return stage ? stage.label : value;
}

const REGISTRATION_STATUS_TEXT = {
    Submitted: STATUS_SUBMITTED,
    Approved: STATUS_APPROVED,
    Rejected: STATUS_REJECTED,
    Expired: STATUS_EXPIRED,
    Converted: STATUS_CONVERTED,
};

/** Returns the label of a `Deal_Registration__c` status, or the value itself when unknown. */
export function registrationStatusText(status) {
    return REGISTRATION_STATUS_TEXT[status] ?? status;
}

/** Returns "1 day" or "{n} days". */
export function daysText(days) {
    return days === 1 ? DAYS_ONE : formatLabel(DAYS_MANY, days);
}

/**
 * Formats an ISO 8601 instant as a date and time in the user's locale and time
 * zone. Text that is not a valid instant is returned unchanged.
 */
export function formatDateTime(instant) {
    const date = new Date(instant);
    if (!instant || Number.isNaN(date.getTime())) {
        return instant ?? '';
    }
    return new Intl.DateTimeFormat(LOCALE, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: TIME_ZONE,
    }).format(date);
}

/**
 * Formats a calendar date (`YYYY-MM-DD`) in the user's locale. The date has no
 * time zone, so it is formatted in UTC to keep its day.
 */
export function formatDate(value) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!value || Number.isNaN(date.getTime())) {
        return value ?? '';
    }
    return new Intl.DateTimeFormat(LOCALE, {
        dateStyle: 'medium',
        timeZone: 'UTC',
    }).format(date);
}

/**
 * Formats an amount (decimal text, as the middleware sends it) in a currency,
 * in the user's locale; without a currency code, as a plain number.
 */
export function formatAmount(amount, currencyIsoCode) {
    const number = Number(amount);
    if (amount === null || amount === undefined || Number.isNaN(number)) {
        return '';
    }
    // NOTE: Number() rounds amounts beyond 15 significant digits; display only.
    const options = currencyIsoCode
        ? { style: 'currency', currency: currencyIsoCode }
        : { style: 'decimal' };
    return new Intl.NumberFormat(LOCALE, options).format(number);
}

/** Returns today's date in the user's time zone, as `YYYY-MM-DD`. */
export function todayInUserZone(now = new Date()) {
    const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: TIME_ZONE,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
    }).formatToParts(now);
    const part = (type) => parts.find((item) => item.type === type).value;
    return `${part('year')}-${part('month')}-${part('day')}`;
}

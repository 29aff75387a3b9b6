import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import REGISTRATION_OBJECT from '@salesforce/schema/Deal_Registration__c';
import PRODUCT_LINE_FIELD from '@salesforce/schema/Deal_Registration__c.Product_Line__c';
import CURRENCY_FIELD from '@salesforce/schema/Deal_Registration__c.CurrencyIsoCode';
import USER_CURRENCY from '@salesforce/i18n/currency';
import { formatLabel, todayInUserZone } from 'c/cosellFormat';
import { registrationOf, validateRegistration } from './registrationRules';
import { FIELDS, LABELS } from './labels';

/**
 * The deal registration form of a partner user. Product lines and currencies
 * come from the org's picklists through the UI API. On submit it checks every
 * field. Problems are listed in an alert, each invalid field is marked, and
 * focus moves to the first one. When all fields are valid, the form fires
 * `registrationsubmit` with the registration as `POST /v1/registrations` takes it.
 */
export default class CosellRegistrationForm extends LightningElement {
    /** Set by the parent while the registration is sent. */
    @api disabled = false;

    label = LABELS;
    values = { currencyIsoCode: USER_CURRENCY };
    errors = {};
    focusFirstError = false;

    @wire(getObjectInfo, { objectApiName: REGISTRATION_OBJECT })
    objectInfo;

    @wire(getPicklistValues, {
        recordTypeId: '$recordTypeId',
        fieldApiName: PRODUCT_LINE_FIELD,
    })
    productLines;

    @wire(getPicklistValues, {
        recordTypeId: '$recordTypeId',
        fieldApiName: CURRENCY_FIELD,
    })
    currencies;

    get recordTypeId() {
        return this.objectInfo?.data?.defaultRecordTypeId;
    }

    get choicesError() {
        return (
            this.objectInfo?.error ??
            this.productLines?.error ??
            this.currencies?.error
        );
    }

    get today() {
        return todayInUserZone();
    }

    get fields() {
        return FIELDS.map((field) => {
            const error = this.errors[field.name] ?? '';
            const picklist = field.options ? this[field.options]?.data : null;
            const value = this.values[field.name] ?? '';
            return {
                ...field,
                isSelect: Boolean(field.options),
                id: `field-${field.name}`,
                helpId: `help-${field.name}`,
                errorId: `error-${field.name}`,
                describedBy: `help-${field.name} error-${field.name}`,
                value,
                min: field.type === 'date' ? this.today : undefined,
                error,
                invalid: error ? 'true' : 'false',
                className: error
                    ? 'slds-form-element slds-has-error slds-m-bottom_small'
                    : 'slds-form-element slds-m-bottom_small',
                choices: (picklist?.values ?? []).map((choice) => ({
                    value: choice.value,
                    label: choice.label,
                    selected: choice.value === value,
                })),
            };
        });
    }

    get errorList() {
        return FIELDS.filter((field) => this.errors[field.name]).map(
            (field) => ({
                name: field.name,
                text: formatLabel(
                    LABELS.errorItem,
                    field.label,
                    this.errors[field.name],
                ),
            }),
        );
    }

    get summaryText() {
        const count = this.errorList.length;
        return count === 1
            ? LABELS.summaryOne
            : formatLabel(LABELS.summary, count);
    }

    get hasErrors() {
        return this.errorList.length > 0;
    }

    renderedCallback() {
        if (this.focusFirstError) {
            this.focusFirstError = false;
            const first = this.errorList[0];
            this.template
                .querySelector(`[data-name="${first?.name}"]`)
                ?.focus();
        }
    }

    handleChange(event) {
        const name = event.target.dataset.name;
        this.values = { ...this.values, [name]: event.target.value };
        if (this.errors[name]) {
            const errors = { ...this.errors };
            delete errors[name];
            this.errors = errors;
        }
    }

    handleSubmit(event) {
        event.preventDefault();
        this.errors = validateRegistration(this.values, this.today);
        if (this.hasErrors) {
            this.focusFirstError = true;
            return;
        }
        this.dispatchEvent(
            new CustomEvent('registrationsubmit', {
                detail: { registration: registrationOf(this.values) },
            }),
        );
    }

    /** Moves keyboard focus to the form's first field. */
    @api
    focus() {
        this.template.querySelector('[data-name]')?.focus();
    }
}

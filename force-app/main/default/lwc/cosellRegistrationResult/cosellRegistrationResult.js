import { LightningElement, api } from 'lwc';
import {
    formatAmount,
    formatDate,
    formatDateTime,
    formatLabel,
    registrationStatusText,
} from 'c/cosellFormat';
import HEADING from '@salesforce/label/c.Cosell_Result_Heading';
import STATUS from '@salesforce/label/c.Cosell_Result_Status';
import STATUS_EXPIRES from '@salesforce/label/c.Cosell_Result_Status_Expires';
import CLEAR from '@salesforce/label/c.Cosell_Result_Clear';
import CONFLICT from '@salesforce/label/c.Cosell_Result_Conflict';
import NOT_CHECKED from '@salesforce/label/c.Cosell_Result_Not_Checked';
import RELATED from '@salesforce/label/c.Cosell_Result_Related';
import OBJECT_DEAL from '@salesforce/label/c.Cosell_Result_Object_Deal';
import OBJECT_REGISTRATION from '@salesforce/label/c.Cosell_Result_Object_Registration';
import HIDDEN_RECORD from '@salesforce/label/c.Cosell_Result_Hidden_Record';
import DETAILS from '@salesforce/label/c.Cosell_Result_Details';
import COMPANY from '@salesforce/label/c.Cosell_Register_Company';
import COUNTRY from '@salesforce/label/c.Cosell_Register_Country';
import PRODUCT_LINE from '@salesforce/label/c.Cosell_Register_Product_Line';
import AMOUNT from '@salesforce/label/c.Cosell_Register_Amount';
import CLOSE_DATE from '@salesforce/label/c.Cosell_Register_Close_Date';

const OBJECT_TEXT = {
    Opportunity: OBJECT_DEAL,
    Deal_Registration__c: OBJECT_REGISTRATION,
};

function matchRows(matches) {
    return (matches ?? []).map((match, index) => ({
        key: match.id ?? `hidden-${index}`,
        id: match.id,
        // A partner user sees another partner's record without its Id and name.
        name: match.id ? match.name : HIDDEN_RECORD,
        objectText: OBJECT_TEXT[match.object] ?? match.object,
        reasons: (match.reasons ?? []).map((reason, reasonIndex) => ({
            key: `${index}-${reasonIndex}`,
            text: reason,
        })),
    }));
}

/**
 * The outcome of a deal registration: its number and status, and the conflict
 * check, which is clear or lists the matching deals and registrations with the
 * reasons they matched. Records that share only the company are listed apart,
 * because they do not block approval.
 */
export default class CosellRegistrationResult extends LightningElement {
    /** The `Registration` the middleware returned. */
    @api registration;

    label = { details: DETAILS };

    get headingText() {
        return formatLabel(HEADING, this.registration.name);
    }

    get statusText() {
        const { status, expiresAt } = this.registration;
        const statusLabel = registrationStatusText(status);
        return expiresAt
            ? formatLabel(
                  STATUS_EXPIRES,
                  statusLabel,
                  formatDateTime(expiresAt),
              )
            : formatLabel(STATUS, statusLabel);
    }

    get isClear() {
        return this.registration.conflictStatus === 'Clear';
    }

    get isConflict() {
        return this.registration.conflictStatus === 'Conflict';
    }

    get outcomeText() {
        if (this.isClear) {
            return CLEAR;
        }
        return this.isConflict ? CONFLICT : NOT_CHECKED;
    }

    get outcomeClass() {
        if (this.isClear) {
            return 'slds-scoped-notification slds-theme_success slds-m-vertical_small';
        }
        return this.isConflict
            ? 'slds-scoped-notification slds-theme_warning slds-m-vertical_small'
            : 'slds-scoped-notification slds-theme_info slds-m-vertical_small';
    }

    /** The blocking matches, then the related ones under their own heading. */
    get matchGroups() {
        return [
            {
                key: 'conflicts',
                heading: '',
                rows: matchRows(this.registration.conflictMatches),
            },
            {
                key: 'related',
                heading: RELATED,
                rows: matchRows(this.registration.relatedMatches),
            },
        ].filter((group) => group.rows.length > 0);
    }

    get details() {
        const r = this.registration;
        return [
            { key: 'company', label: COMPANY, value: r.customerCompany },
            { key: 'country', label: COUNTRY, value: r.customerCountry },
            { key: 'productLine', label: PRODUCT_LINE, value: r.productLine },
            {
                key: 'amount',
                label: AMOUNT,
                value: formatAmount(r.amount, r.currencyIsoCode),
            },
            {
                key: 'closeDate',
                label: CLOSE_DATE,
                value: formatDate(r.expectedCloseDate),
            },
        ]
            .filter((detail) => detail.value)
            .map((detail) => ({
                ...detail,
                labelKey: `${detail.key}-label`,
                valueKey: `${detail.key}-value`,
            }));
    }

    /** Moves keyboard focus to the result's heading, after a submit. */
    @api
    focus() {
        this.template.querySelector('[data-id="heading"]')?.focus();
    }
}

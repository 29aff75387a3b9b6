import { LightningElement, api } from 'lwc';
import {
    daysText,
    formatDateTime,
    formatLabel,
    registrationStatusText,
} from 'c/cosellFormat';
import HEADING from '@salesforce/label/c.Cosell_Agenda_Expiring_Heading';
import HEADING_COUNT from '@salesforce/label/c.Cosell_Agenda_Heading_Count';
import EMPTY from '@salesforce/label/c.Cosell_Agenda_Expiring_Empty';
import DETAIL from '@salesforce/label/c.Cosell_Agenda_Expiring_Detail';
import PARTNER from '@salesforce/label/c.Cosell_Agenda_Partner';
import NAME from '@salesforce/label/c.Cosell_Agenda_Registration_Name';

/**
 * Deal registrations that expire within the agenda's window, soonest first,
 * each linked to its record page with its customer and how long it has left.
 */
export default class CosellExpiringRegistrations extends LightningElement {
    /** `{ registration, daysLeft }` entries of the agenda. */
    @api entries = [];
    /** The window in days, for the empty text. */
    @api withinDays;

    get headingText() {
        return formatLabel(HEADING_COUNT, HEADING, this.rows.length);
    }

    get hasRows() {
        return this.rows.length > 0;
    }

    get emptyText() {
        return formatLabel(EMPTY, daysText(this.withinDays));
    }

    get rows() {
        return (this.entries ?? []).map(({ registration, daysLeft }) => ({
            id: registration.id,
            name: formatLabel(
                NAME,
                registration.name,
                registration.customerCompany,
            ),
            partnerText: registration.partnerAccount?.name
                ? formatLabel(PARTNER, registration.partnerAccount.name)
                : '',
            detail: formatLabel(
                DETAIL,
                daysText(daysLeft),
                formatDateTime(registration.expiresAt),
                registrationStatusText(registration.status),
            ),
        }));
    }
}

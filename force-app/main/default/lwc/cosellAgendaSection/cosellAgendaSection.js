import { LightningElement, api } from 'lwc';
import { formatLabel } from 'c/cosellFormat';
import { agendaLines } from './agendaText';
import HEADING_COUNT from '@salesforce/label/c.Cosell_Agenda_Heading_Count';
import PARTNER from '@salesforce/label/c.Cosell_Agenda_Partner';
import IS_CHANNEL_MANAGER from '@salesforce/customPermission/Cosell_Channel_Manager';

/**
 * One section of the sync agenda: its deals, each linked to its record page,
 * with the partner, what needs attention and, for regressed and blocked deals,
 * the criteria that are not met. A channel manager also gets the override of
 * each expired Close Lost request. After an override the section fires
 * `agendachange` with a message, so that the board reloads.
 */
export default class CosellAgendaSection extends LightningElement {
    @api heading;
    /** `waiting`, `stalled`, `regressed` or `blocked`: how items are described. */
    @api kind;
    /** The section's `AgendaItem`s. */
    @api items = [];
    /** Stage labels by stage value, for request moves. */
    @api stageLabels = {};
    /** When the agenda was built. */
    @api generatedAt;
    @api emptyText;

    get count() {
        return (this.items ?? []).length;
    }

    get hasItems() {
        return this.count > 0;
    }

    get headingText() {
        return formatLabel(HEADING_COUNT, this.heading, this.count);
    }

    canOverride(request) {
        return (
            IS_CHANNEL_MANAGER === true &&
            this.kind === 'waiting' &&
            request?.kind === 'Close Lost' &&
            Date.parse(request.expiresAt) <= Date.parse(this.generatedAt)
        );
    }

    handleOverrideDone(event) {
        this.dispatchEvent(
            new CustomEvent('agendachange', { detail: event.detail }),
        );
    }

    get rows() {
        return (this.items ?? []).map((item) => ({
            key: `${item.dealId}-${item.request?.id ?? ''}`,
            dealId: item.dealId,
            dealName: item.dealName,
            partnerText: item.partnerAccount?.name
                ? formatLabel(PARTNER, item.partnerAccount.name)
                : '',
            lines: agendaLines(
                this.kind,
                item,
                this.stageLabels,
                this.generatedAt,
            ).map((text, index) => ({ key: `${item.dealId}-${index}`, text })),
            request: item.request,
            canOverride: this.canOverride(item.request),
            unmet: (item.unmet ?? []).map((criterion) => ({
                key: `${item.dealId}-${criterion.name}`,
                label: criterion.label,
            })),
        }));
    }
}

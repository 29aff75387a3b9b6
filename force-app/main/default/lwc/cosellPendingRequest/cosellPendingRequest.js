import { LightningElement, api } from 'lwc';
import {
    formatDateTime,
    formatLabel,
    sideName,
    stageLabel,
} from 'c/cosellFormat';
import HEADING from '@salesforce/label/c.Cosell_Pending_Heading';
import MOVE from '@salesforce/label/c.Cosell_Pending_Move';
import KIND_ADVANCE from '@salesforce/label/c.Cosell_Kind_Advance';
import KIND_BACK from '@salesforce/label/c.Cosell_Kind_Back';
import KIND_CLOSE_LOST from '@salesforce/label/c.Cosell_Kind_Close_Lost';
import BY_YOU from '@salesforce/label/c.Cosell_Pending_By_You';
import BY_NAMED from '@salesforce/label/c.Cosell_Pending_By_Named';
import BY_SIDE from '@salesforce/label/c.Cosell_Pending_By_Side';
import REQUESTED_AT from '@salesforce/label/c.Cosell_Pending_Requested_At';
import EXPIRES_AT from '@salesforce/label/c.Cosell_Pending_Expires_At';
import REASON from '@salesforce/label/c.Cosell_Pending_Reason';
import WAITING_FOR_YOU from '@salesforce/label/c.Cosell_Waiting_For_You';
import WAITING_FOR_YOUR_SIDE from '@salesforce/label/c.Cosell_Waiting_For_Your_Side';
import WAITING_FOR_VENDOR from '@salesforce/label/c.Cosell_Waiting_For_Vendor';
import WAITING_FOR_PARTNER from '@salesforce/label/c.Cosell_Waiting_For_Partner';
import UNMET_HEADING from '@salesforce/label/c.Cosell_Pending_Unmet_Heading';

const KIND_TEXT = {
    Advance: KIND_ADVANCE,
    Back: KIND_BACK,
    'Close Lost': KIND_CLOSE_LOST,
};

/**
 * The deal's pending stage request: the move, who requested it and when, when
 * it expires, and which side must confirm it, worded for the viewer's side.
 */
export default class CosellPendingRequest extends LightningElement {
    /** The pending `StageRequest`. */
    @api request;
    /** The deal's `viewer`: `userId`, `side`, `canConfirm`. */
    @api viewer;
    /** The model's stages, for stage labels. */
    @api stages = [];

    label = {
        heading: HEADING,
        requestedAt: REQUESTED_AT,
        expiresAt: EXPIRES_AT,
        reason: REASON,
        unmetHeading: UNMET_HEADING,
    };

    get moveText() {
        const { kind, fromStage, toStage } = this.request;
        return formatLabel(
            MOVE,
            KIND_TEXT[kind] ?? kind,
            stageLabel(this.stages, fromStage),
            stageLabel(this.stages, toStage),
        );
    }

    get requesterText() {
        const { requestedBy, requestingSide, createdAt } = this.request;
        const at = formatDateTime(createdAt);
        if (requestedBy?.id && requestedBy.id === this.viewer?.userId) {
            return formatLabel(BY_YOU, at);
        }
        const side = sideName(requestingSide);
        return requestedBy?.name
            ? formatLabel(BY_NAMED, requestedBy.name, side, at)
            : formatLabel(BY_SIDE, side, at);
    }

    get expiresText() {
        return formatDateTime(this.request.expiresAt);
    }

    get waitingText() {
        const waitingFor = this.request.waitingFor;
        if (!waitingFor) {
            return '';
        }
        if (this.viewer?.canConfirm) {
            return WAITING_FOR_YOU;
        }
        if (this.viewer?.side === waitingFor) {
            return formatLabel(WAITING_FOR_YOUR_SIDE, sideName(waitingFor));
        }
        return waitingFor === 'Vendor'
            ? WAITING_FOR_VENDOR
            : WAITING_FOR_PARTNER;
    }

    get hasUnmet() {
        return (this.request.unmet ?? []).length > 0;
    }
}

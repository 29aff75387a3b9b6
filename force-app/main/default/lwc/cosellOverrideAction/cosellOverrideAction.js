import { LightningElement, api } from 'lwc';
import overrideRequest from '@salesforce/apex/CosellStageController.overrideRequest';
import { formatLabel } from 'c/cosellFormat';
import ACTION from '@salesforce/label/c.Cosell_Action_Override';
import HEADING from '@salesforce/label/c.Cosell_Form_Override_Heading';
import SUBMIT from '@salesforce/label/c.Cosell_Form_Override_Submit';
import REASON from '@salesforce/label/c.Cosell_Form_Reason';
import ERROR_OVERRIDE from '@salesforce/label/c.Cosell_Error_Override';
import DONE_OVERRIDE from '@salesforce/label/c.Cosell_Done_Override';

/**
 * Lets a channel manager apply a Close Lost request that expired unanswered,
 * as a one-sided move with a required reason. Fires `overridedone` with a
 * message for people once the middleware has applied it.
 */
export default class CosellOverrideAction extends LightningElement {
    /** The expired Close Lost `StageRequest`. */
    @api request;
    /** The deal's name, for the message. */
    @api dealName;

    label = {
        action: ACTION,
        heading: HEADING,
        submit: SUBMIT,
        reason: REASON,
        errorOverride: ERROR_OVERRIDE,
    };
    open = false;
    busy = false;
    error;
    focusSelector;

    renderedCallback() {
        if (this.focusSelector) {
            const target = this.template.querySelector(this.focusSelector);
            this.focusSelector = null;
            target?.focus();
        }
    }

    handleOpen() {
        this.open = true;
        this.error = undefined;
    }

    handleCancel() {
        this.open = false;
        this.focusSelector = 'button[data-id="override"]';
    }

    async handleSubmit(event) {
        this.busy = true;
        this.error = undefined;
        try {
            await overrideRequest({
                requestId: this.request.id,
                reason: event.detail.reason,
            });
            this.open = false;
            this.dispatchEvent(
                new CustomEvent('overridedone', {
                    detail: {
                        message: formatLabel(DONE_OVERRIDE, this.dealName),
                    },
                }),
            );
        } catch (error) {
            this.error = error;
            this.focusSelector = 'c-cosell-error-panel';
        } finally {
            this.busy = false;
        }
    }
}

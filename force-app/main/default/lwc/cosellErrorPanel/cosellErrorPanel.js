import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/cosellErrors';
import NO_MESSAGE from '@salesforce/label/c.Cosell_Error_No_Message';
import UNMET_HEADING from '@salesforce/label/c.Cosell_Error_Unmet_Heading';
import ERROR_ICON from '@salesforce/label/c.Cosell_Error_Icon';

/**
 * Shows what failed (`heading`), the messages of `errors` and, for a stage move
 * the middleware rejected, the unmet criteria with their rules. The panel is an
 * ARIA alert, so screen readers announce it when it appears.
 */
export default class CosellErrorPanel extends LightningElement {
    /** Heading that names the failed operation, such as "Could not load the deal". */
    @api heading;
    /** One error or an array of errors, as thrown by Apex or a wire. */
    @api errors;
    /** Criterion results, or `{ name, label }`, that blocked a stage move. */
    @api unmet = [];

    label = { unmetHeading: UNMET_HEADING, errorIcon: ERROR_ICON };

    get messages() {
        const messages = reduceErrors(this.errors);
        const shown = messages.length > 0 ? messages : [NO_MESSAGE];
        return shown.map((text, index) => ({ key: `message-${index}`, text }));
    }

    get hasUnmet() {
        return Array.isArray(this.unmet) && this.unmet.length > 0;
    }

    /** Moves keyboard focus to the panel's heading, after a failed action. */
    @api
    focus() {
        this.template.querySelector('[data-id="heading"]')?.focus();
    }
}

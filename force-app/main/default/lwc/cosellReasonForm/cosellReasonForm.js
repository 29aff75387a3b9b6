import { LightningElement, api } from 'lwc';
import CANCEL from '@salesforce/label/c.Cosell_Action_Cancel';
import REQUIRED from '@salesforce/label/c.Cosell_Field_Required';
import STAGE from '@salesforce/label/c.Cosell_Form_Back_Stage';
import STAGE_CHOOSE from '@salesforce/label/c.Cosell_Form_Back_Stage_Choose';
import STAGE_MISSING from '@salesforce/label/c.Cosell_Form_Back_Stage_Missing';
import REASON_MISSING from '@salesforce/label/c.Cosell_Form_Reason_Missing';

/** The middleware accepts reasons of up to 1000 characters. */
const REASON_MAX_LENGTH = 1000;

/**
 * A small form that collects the reason of a stage action and, when
 * `stageOptions` is set, the target stage. It checks required values itself,
 * moves focus to its first field when it opens and to the first invalid field on
 * a failed submit, and fires `formsubmit` with `{ reason, toStage }` (blank
 * values as null) or `formcancel`.
 */
export default class CosellReasonForm extends LightningElement {
    @api heading;
    @api submitLabel;
    @api reasonLabel;
    @api reasonRequired = false;
    /** `{ value, label }` choices of the target stage; none hides the field. */
    @api stageOptions;
    @api disabled = false;

    reason = '';
    toStage = '';
    reasonError = '';
    stageError = '';
    focused = false;

    label = {
        cancel: CANCEL,
        required: REQUIRED,
        stage: STAGE,
        stageChoose: STAGE_CHOOSE,
    };
    reasonMaxLength = REASON_MAX_LENGTH;

    get hasStageField() {
        return Array.isArray(this.stageOptions) && this.stageOptions.length > 0;
    }

    get stageClass() {
        return this.stageError
            ? 'slds-form-element slds-has-error'
            : 'slds-form-element';
    }

    get reasonClass() {
        return this.reasonError
            ? 'slds-form-element slds-has-error slds-m-top_x-small'
            : 'slds-form-element slds-m-top_x-small';
    }

    get stageInvalid() {
        return this.stageError ? 'true' : 'false';
    }

    get reasonInvalid() {
        return this.reasonError ? 'true' : 'false';
    }

    renderedCallback() {
        if (!this.focused) {
            this.focused = true;
            this.template.querySelector('select, textarea')?.focus();
        }
    }

    handleStageChange(event) {
        this.toStage = event.target.value;
        this.stageError = '';
    }

    handleReasonInput(event) {
        this.reason = event.target.value;
        this.reasonError = '';
    }

    handleSubmit(event) {
        event.preventDefault();
        const reason = this.reason.trim();
        this.stageError =
            this.hasStageField && !this.toStage ? STAGE_MISSING : '';
        this.reasonError = this.reasonRequired && !reason ? REASON_MISSING : '';
        if (this.stageError || this.reasonError) {
            const invalid = this.stageError ? 'select' : 'textarea';
            this.template.querySelector(invalid)?.focus();
            return;
        }
        this.dispatchEvent(
            new CustomEvent('formsubmit', {
                detail: {
                    reason: reason || null,
                    toStage: this.toStage || null,
                },
            }),
        );
    }

    handleCancel() {
        this.dispatchEvent(new CustomEvent('formcancel'));
    }
}

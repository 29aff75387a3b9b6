import { LightningElement, api, wire } from 'lwc';
import registerDeal from '@salesforce/apex/DealRegistrationController.registerDeal';
import getRegistration from '@salesforce/apex/DealRegistrationController.getRegistration';
import TITLE from '@salesforce/label/c.Cosell_Register_Title';
import INTRO from '@salesforce/label/c.Cosell_Register_Intro';
import SENDING from '@salesforce/label/c.Cosell_Register_Sending';
import ANOTHER from '@salesforce/label/c.Cosell_Register_Another';
import LOADING from '@salesforce/label/c.Cosell_Register_Loading';
import ERROR_REGISTER from '@salesforce/label/c.Cosell_Error_Register';
import ERROR_REGISTRATION from '@salesforce/label/c.Cosell_Error_Registration';

/**
 * Deal registration for partner users. On an app, home or site page it shows
 * the registration form, sends the registration, and then shows the conflict
 * check's result. On a `Deal_Registration__c` record page it shows that
 * registration's result instead of the form.
 */
export default class DealRegistration extends LightningElement {
    /** The `Deal_Registration__c` Id on its record page; unset elsewhere. */
    @api recordId;

    label = {
        title: TITLE,
        intro: INTRO,
        sending: SENDING,
        another: ANOTHER,
        loading: LOADING,
        errorRegister: ERROR_REGISTER,
        errorRegistration: ERROR_REGISTRATION,
    };
    submitted;
    submitError;
    sending = false;
    focusTarget;

    @wire(getRegistration, { registrationId: '$recordId' })
    stored;

    get isRecordPage() {
        return Boolean(this.recordId);
    }

    get recordLoading() {
        return this.isRecordPage && !this.stored?.data && !this.stored?.error;
    }

    get recordError() {
        return this.isRecordPage ? this.stored?.error : undefined;
    }

    get registration() {
        return this.isRecordPage ? this.stored?.data : this.submitted;
    }

    get showForm() {
        return !this.isRecordPage && !this.submitted;
    }

    renderedCallback() {
        if (this.focusTarget) {
            const target = this.template.querySelector(this.focusTarget);
            this.focusTarget = null;
            target?.focus();
        }
    }

    async handleSubmit(event) {
        this.sending = true;
        this.submitError = undefined;
        try {
            this.submitted = await registerDeal({
                registration: event.detail.registration,
            });
            this.focusTarget = 'c-cosell-registration-result';
        } catch (error) {
            this.submitError = error;
            this.focusTarget = 'c-cosell-error-panel';
        } finally {
            this.sending = false;
        }
    }

    handleAnother() {
        this.submitted = undefined;
        this.submitError = undefined;
        this.focusTarget = 'c-cosell-registration-form';
    }
}

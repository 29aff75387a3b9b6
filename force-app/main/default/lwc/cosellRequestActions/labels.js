/** Custom labels of `cosellRequestActions`. */
import ADVANCE from '@salesforce/label/c.Cosell_Action_Advance';
import BACK from '@salesforce/label/c.Cosell_Action_Back';
import CLOSE_LOST from '@salesforce/label/c.Cosell_Action_Close_Lost';
import CONFIRM from '@salesforce/label/c.Cosell_Action_Confirm';
import REJECT from '@salesforce/label/c.Cosell_Action_Reject';
import WITHDRAW from '@salesforce/label/c.Cosell_Action_Withdraw';
import CANCEL from '@salesforce/label/c.Cosell_Action_Cancel';
import SENDING from '@salesforce/label/c.Cosell_Action_Sending';
import REQUIRED from '@salesforce/label/c.Cosell_Field_Required';
import BACK_HEADING from '@salesforce/label/c.Cosell_Form_Back_Heading';
import BACK_SUBMIT from '@salesforce/label/c.Cosell_Form_Back_Submit';
import BACK_STAGE from '@salesforce/label/c.Cosell_Form_Back_Stage';
import BACK_STAGE_CHOOSE from '@salesforce/label/c.Cosell_Form_Back_Stage_Choose';
import BACK_STAGE_MISSING from '@salesforce/label/c.Cosell_Form_Back_Stage_Missing';
import LOST_HEADING from '@salesforce/label/c.Cosell_Form_Lost_Heading';
import LOST_SUBMIT from '@salesforce/label/c.Cosell_Form_Lost_Submit';
import REJECT_HEADING from '@salesforce/label/c.Cosell_Form_Reject_Heading';
import REJECT_SUBMIT from '@salesforce/label/c.Cosell_Form_Reject_Submit';
import WITHDRAW_HEADING from '@salesforce/label/c.Cosell_Form_Withdraw_Heading';
import WITHDRAW_SUBMIT from '@salesforce/label/c.Cosell_Form_Withdraw_Submit';
import REASON from '@salesforce/label/c.Cosell_Form_Reason';
import REASON_OPTIONAL from '@salesforce/label/c.Cosell_Form_Reason_Optional';
import REASON_MISSING from '@salesforce/label/c.Cosell_Form_Reason_Missing';
import ERROR_REQUEST from '@salesforce/label/c.Cosell_Error_Request';
import ERROR_CONFIRM from '@salesforce/label/c.Cosell_Error_Confirm';
import ERROR_REJECT from '@salesforce/label/c.Cosell_Error_Reject';
import ERROR_WITHDRAW from '@salesforce/label/c.Cosell_Error_Withdraw';
import DONE_REQUEST from '@salesforce/label/c.Cosell_Done_Request';
import DONE_CONFIRM from '@salesforce/label/c.Cosell_Done_Confirm';
import DONE_REJECT from '@salesforce/label/c.Cosell_Done_Reject';
import DONE_WITHDRAW from '@salesforce/label/c.Cosell_Done_Withdraw';
import NOTE_NOT_ON_DEAL from '@salesforce/label/c.Cosell_Note_Not_On_Deal';
import NOTE_CLOSED from '@salesforce/label/c.Cosell_Note_Closed';

export const LABELS = {
    advance: ADVANCE,
    back: BACK,
    closeLost: CLOSE_LOST,
    confirm: CONFIRM,
    reject: REJECT,
    withdraw: WITHDRAW,
    cancel: CANCEL,
    sending: SENDING,
    required: REQUIRED,
    backHeading: BACK_HEADING,
    backSubmit: BACK_SUBMIT,
    backStage: BACK_STAGE,
    backStageChoose: BACK_STAGE_CHOOSE,
    backStageMissing: BACK_STAGE_MISSING,
    lostHeading: LOST_HEADING,
    lostSubmit: LOST_SUBMIT,
    rejectHeading: REJECT_HEADING,
    rejectSubmit: REJECT_SUBMIT,
    withdrawHeading: WITHDRAW_HEADING,
    withdrawSubmit: WITHDRAW_SUBMIT,
    reason: REASON,
    reasonOptional: REASON_OPTIONAL,
    reasonMissing: REASON_MISSING,
    errorRequest: ERROR_REQUEST,
    errorConfirm: ERROR_CONFIRM,
    errorReject: ERROR_REJECT,
    errorWithdraw: ERROR_WITHDRAW,
    doneRequest: DONE_REQUEST,
    doneConfirm: DONE_CONFIRM,
    doneReject: DONE_REJECT,
    doneWithdraw: DONE_WITHDRAW,
    noteNotOnDeal: NOTE_NOT_ON_DEAL,
    noteClosed: NOTE_CLOSED,
};

/** The forms that collect a reason, and for a back move its target stage. */
export const FORMS = {
    back: {
        heading: BACK_HEADING,
        submit: BACK_SUBMIT,
        reasonLabel: REASON_OPTIONAL,
        reasonRequired: false,
        chooseStage: true,
    },
    lost: {
        heading: LOST_HEADING,
        submit: LOST_SUBMIT,
        reasonLabel: REASON,
        reasonRequired: true,
        chooseStage: false,
    },
    reject: {
        heading: REJECT_HEADING,
        submit: REJECT_SUBMIT,
        reasonLabel: REASON,
        reasonRequired: true,
        chooseStage: false,
    },
    withdraw: {
        heading: WITHDRAW_HEADING,
        submit: WITHDRAW_SUBMIT,
        reasonLabel: REASON_OPTIONAL,
        reasonRequired: false,
        chooseStage: false,
    },
};

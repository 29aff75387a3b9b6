/** Custom labels of `cosellSyncBoard`. */
import TITLE from '@salesforce/label/c.Cosell_Board_Title';
import LOADING from '@salesforce/label/c.Cosell_Board_Loading';
import DAYS from '@salesforce/label/c.Cosell_Board_Days';
import REFRESH from '@salesforce/label/c.Cosell_Board_Refresh';
import SUMMARY_VENDOR from '@salesforce/label/c.Cosell_Board_Summary_Vendor';
import SUMMARY_PARTNER from '@salesforce/label/c.Cosell_Board_Summary_Partner';
import SUMMARY_LIMITED from '@salesforce/label/c.Cosell_Board_Summary_Limited';
import EMPTY from '@salesforce/label/c.Cosell_Board_Empty';
import WAITING_ON_YOU from '@salesforce/label/c.Cosell_Board_Waiting_On_You';
import WAITING_ON_VENDOR from '@salesforce/label/c.Cosell_Board_Waiting_On_Vendor';
import WAITING_ON_PARTNER from '@salesforce/label/c.Cosell_Board_Waiting_On_Partner';
import STALLED from '@salesforce/label/c.Cosell_Board_Stalled';
import REGRESSED from '@salesforce/label/c.Cosell_Board_Regressed';
import BLOCKED from '@salesforce/label/c.Cosell_Board_Blocked';
import NONE from '@salesforce/label/c.Cosell_Board_None';
import ERROR_AGENDA from '@salesforce/label/c.Cosell_Error_Agenda';

export const LABELS = {
    title: TITLE,
    loading: LOADING,
    days: DAYS,
    refresh: REFRESH,
    summaryVendor: SUMMARY_VENDOR,
    summaryPartner: SUMMARY_PARTNER,
    summaryLimited: SUMMARY_LIMITED,
    empty: EMPTY,
    waitingOnYou: WAITING_ON_YOU,
    waitingOnVendor: WAITING_ON_VENDOR,
    waitingOnPartner: WAITING_ON_PARTNER,
    stalled: STALLED,
    regressed: REGRESSED,
    blocked: BLOCKED,
    none: NONE,
    errorAgenda: ERROR_AGENDA,
};

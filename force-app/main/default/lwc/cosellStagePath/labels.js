/** Custom labels of `cosellStagePath`. */
import TITLE from '@salesforce/label/c.Cosell_Path_Title';
import LOADING from '@salesforce/label/c.Cosell_Path_Loading';
import CURRENT_STAGE from '@salesforce/label/c.Cosell_Path_Current_Stage';
import CURRENT_STAGE_SINCE from '@salesforce/label/c.Cosell_Path_Current_Stage_Since';
import NO_STAGE_YET from '@salesforce/label/c.Cosell_Path_No_Stage_Yet';
import CRITERIA_TO_MOVE from '@salesforce/label/c.Cosell_Path_Criteria_To_Move';
import CRITERIA_CLOSING from '@salesforce/label/c.Cosell_Path_Criteria_Closing';
import HISTORY from '@salesforce/label/c.Cosell_Path_History';
import HISTORY_LOADING from '@salesforce/label/c.Cosell_Path_History_Loading';
import MODEL_MISSING from '@salesforce/label/c.Cosell_Path_Model_Missing';
import ERROR_DEAL from '@salesforce/label/c.Cosell_Error_Deal';
import ERROR_EVALUATION from '@salesforce/label/c.Cosell_Error_Evaluation';
import ERROR_TRANSITIONS from '@salesforce/label/c.Cosell_Error_Transitions';
import ERROR_MODELS from '@salesforce/label/c.Cosell_Error_Models';

export const LABELS = {
    title: TITLE,
    loading: LOADING,
    currentStage: CURRENT_STAGE,
    currentStageSince: CURRENT_STAGE_SINCE,
    noStageYet: NO_STAGE_YET,
    criteriaToMove: CRITERIA_TO_MOVE,
    criteriaClosing: CRITERIA_CLOSING,
    history: HISTORY,
    historyLoading: HISTORY_LOADING,
    modelMissing: MODEL_MISSING,
    errorDeal: ERROR_DEAL,
    errorEvaluation: ERROR_EVALUATION,
    errorTransitions: ERROR_TRANSITIONS,
    errorModels: ERROR_MODELS,
};

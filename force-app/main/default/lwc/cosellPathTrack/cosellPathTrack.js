import { LightningElement, api } from 'lwc';
import { pathSteps } from './pathSteps';
import PATH_LABEL from '@salesforce/label/c.Cosell_Path_Label';
import STEP_COMPLETE from '@salesforce/label/c.Cosell_Path_Step_Complete';
import STEP_CURRENT from '@salesforce/label/c.Cosell_Path_Step_Current';
import STEP_WON from '@salesforce/label/c.Cosell_Path_Step_Won';
import STEP_LOST from '@salesforce/label/c.Cosell_Path_Step_Lost';
import STEP_INCOMPLETE from '@salesforce/label/c.Cosell_Path_Step_Incomplete';
import STEP_TEXT from '@salesforce/label/c.Cosell_Path_Step_Text';
import { formatLabel } from 'c/cosellFormat';

const STATUS_TEXT = {
    complete: STEP_COMPLETE,
    current: STEP_CURRENT,
    won: STEP_WON,
    lost: STEP_LOST,
    incomplete: STEP_INCOMPLETE,
};

/**
 * The stages of a deal's model as a read-only SLDS path. It is a list, not a
 * tab list, because a stage changes only through a joint request; the current
 * step carries `aria-current="step"`. Screen readers read each step's name and
 * status from one hidden text, because the template compiler drops the
 * whitespace that would separate two spans.
 */
export default class CosellPathTrack extends LightningElement {
    /** The model's stages. */
    @api stages = [];
    /** The deal's stage, or null when it has none yet. */
    @api current = null;
    /** The deal's transitions, oldest first, to place a lost deal. */
    @api transitions = [];

    label = { path: PATH_LABEL };

    get steps() {
        return pathSteps(this.stages, this.current, this.transitions).map(
            (step) => ({
                ...step,
                spokenText: formatLabel(
                    STEP_TEXT,
                    step.label,
                    STATUS_TEXT[step.status],
                ),
                ariaCurrent:
                    step.status === 'incomplete' || step.status === 'complete'
                        ? null
                        : 'step',
            }),
        );
    }
}

import { LightningElement, api } from 'lwc';
import {
    formatDateTime,
    formatLabel,
    sideName,
    stageLabel,
} from 'c/cosellFormat';
import EMPTY from '@salesforce/label/c.Cosell_History_Empty';
import MOVE from '@salesforce/label/c.Cosell_History_Move';
import PEOPLE from '@salesforce/label/c.Cosell_History_People';
import SOMEONE from '@salesforce/label/c.Cosell_History_Someone';
import ONE_SIDED from '@salesforce/label/c.Cosell_History_One_Sided';
import SHOW_EVIDENCE from '@salesforce/label/c.Cosell_History_Show_Evidence';
import HIDE_EVIDENCE from '@salesforce/label/c.Cosell_History_Hide_Evidence';
import NO_EVIDENCE from '@salesforce/label/c.Cosell_History_No_Evidence';

function personText(user) {
    const side = sideName(user?.side);
    const name = user?.name || SOMEONE;
    return side ? `${name} (${side})` : name;
}

/**
 * A deal's stage history, newest first: each move with when it happened, who
 * requested and who confirmed it, whether it was a one-sided override, and its
 * evidence behind a disclosure button.
 */
export default class CosellTransitionHistory extends LightningElement {
    /** The deal's transitions, oldest first, as the middleware returns them. */
    @api transitions = [];
    /** The model's stages, for stage labels. */
    @api stages = [];

    expanded = [];
    label = { empty: EMPTY, oneSided: ONE_SIDED, noEvidence: NO_EVIDENCE };

    get hasTransitions() {
        return (this.transitions ?? []).length > 0;
    }

    get items() {
        return [...(this.transitions ?? [])].reverse().map((transition) => {
            const open = this.expanded.includes(transition.id);
            const count = (transition.evidence ?? []).length;
            return {
                id: transition.id,
                panelId: `evidence-${transition.id}`,
                moveText: formatLabel(
                    MOVE,
                    stageLabel(this.stages, transition.fromStage),
                    stageLabel(this.stages, transition.toStage),
                ),
                peopleText: formatLabel(
                    PEOPLE,
                    formatDateTime(transition.at),
                    personText(transition.requestedBy),
                    personText(transition.confirmedBy),
                ),
                oneSided: transition.oneSided,
                evidence: transition.evidence ?? [],
                open,
                ariaExpanded: open ? 'true' : 'false',
                toggleText: formatLabel(
                    open ? HIDE_EVIDENCE : SHOW_EVIDENCE,
                    count,
                ),
            };
        });
    }

    handleToggle(event) {
        const id = event.currentTarget.dataset.id;
        this.expanded = this.expanded.includes(id)
            ? this.expanded.filter((openId) => openId !== id)
            : [...this.expanded, id];
    }
}

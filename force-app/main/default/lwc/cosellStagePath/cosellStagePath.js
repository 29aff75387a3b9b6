import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import getDeal from '@salesforce/apex/CosellStageController.getDeal';
import getEvaluation from '@salesforce/apex/CosellStageController.getEvaluation';
import getTransitions from '@salesforce/apex/CosellStageController.getTransitions';
import getStageModels from '@salesforce/apex/CosellStageController.getStageModels';
import { formatDateTime, formatLabel } from 'c/cosellFormat';
import { LABELS } from './labels';

/** True once a wire has provisioned data or an error. */
function settled(wired) {
    return (
        Boolean(wired) &&
        (wired.data !== undefined || wired.error !== undefined)
    );
}

/**
 * The co-sell stage of one deal, on an Opportunity record page or a partner
 * site's record page. It shows the model's stages as a path, the pending
 * request, the actions the viewer may take, the criteria of the next move with
 * their evidence, and the stage history. The middleware decides every move, and
 * after each action the component refreshes its wires and announces the result.
 */
export default class CosellStagePath extends LightningElement {
    /** The Opportunity Id, set by the record page. */
    @api recordId;

    @wire(getDeal, { opportunityId: '$recordId' }) deal;
    @wire(getEvaluation, { opportunityId: '$recordId' }) evaluation;
    @wire(getTransitions, { opportunityId: '$recordId' }) transitions;
    @wire(getStageModels) models;

    label = LABELS;
    statusMessage = '';
    refreshing = false;
    focusStatus = false;

    get isLoading() {
        return (
            !settled(this.deal) ||
            !settled(this.models) ||
            !settled(this.evaluation)
        );
    }

    get dealData() {
        return this.deal?.data;
    }

    get model() {
        const models = this.models?.data?.models ?? [];
        return models.find((model) => model.name === this.dealData?.model);
    }

    get stages() {
        return this.model?.stages ?? [];
    }

    get modelMissingText() {
        return this.models?.data && !this.model
            ? formatLabel(LABELS.modelMissing, this.dealData?.model)
            : '';
    }

    get currentStageText() {
        const { stage, stageEnteredAt } = this.dealData ?? {};
        if (!stage) {
            return LABELS.noStageYet;
        }
        return stageEnteredAt
            ? formatLabel(
                  LABELS.currentStageSince,
                  stage.label,
                  formatDateTime(stageEnteredAt),
              )
            : formatLabel(LABELS.currentStage, stage.label);
    }

    get criteriaHeading() {
        const next = this.evaluation?.data?.nextStage;
        return next
            ? formatLabel(LABELS.criteriaToMove, next.label)
            : LABELS.criteriaClosing;
    }

    get evaluationData() {
        return this.evaluation?.data;
    }

    get criteriaList() {
        return this.evaluationData?.criteria ?? [];
    }

    get transitionList() {
        return this.transitions?.data?.transitions ?? [];
    }

    get historyLoading() {
        return !settled(this.transitions);
    }

    renderedCallback() {
        if (this.focusStatus) {
            this.focusStatus = false;
            this.template.querySelector('[data-id="status"]')?.focus();
        }
    }

    async handleRequestChange(event) {
        this.statusMessage = event.detail.message;
        // renderedCallback moves focus once the message has rendered.
        this.focusStatus = true;
        await this.refresh();
        // A confirmed move changes the Opportunity's stage fields that the rest of the record page shows.
        await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
    }

    async handleRequestFailed() {
        this.statusMessage = '';
        await this.refresh();
    }

    /** Re-reads the deal, its criteria and its history. A failed read shows in its error panel. */
    async refresh() {
        this.refreshing = true;
        await Promise.allSettled([
            refreshApex(this.deal),
            refreshApex(this.evaluation),
            refreshApex(this.transitions),
        ]);
        this.refreshing = false;
    }
}

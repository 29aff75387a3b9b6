import { LightningElement, api } from 'lwc';
import requestStage from '@salesforce/apex/CosellStageController.requestStage';
import confirmRequest from '@salesforce/apex/CosellStageController.confirmRequest';
import rejectRequest from '@salesforce/apex/CosellStageController.rejectRequest';
import withdrawRequest from '@salesforce/apex/CosellStageController.withdrawRequest';
import { unmetCriteriaOf } from 'c/cosellErrors';
import { formatLabel, sideName, stageLabel } from 'c/cosellFormat';
import { FORMS, LABELS } from './labels';

/**
 * The stage actions that the deal's `viewer` allows. When nothing is pending, a
 * viewer may request the next stage, a back move or Close Lost. A pending
 * request can be confirmed or rejected by the other side and withdrawn by the
 * requesting side. Buttons are disabled while a call runs.
 *
 * On success the component fires `requestchange` with a message for people. On
 * failure it shows the error, with the unmet criteria of a rejected move, moves
 * focus there and fires `requestfailed`, because the deal may have changed in
 * the meantime. Both events ask the parent to refresh.
 */
export default class CosellRequestActions extends LightningElement {
    /** The deal, with `viewer` and `pendingRequest`. */
    @api deal;
    /** The deal's evaluation, for the next stage and the criteria results. */
    @api evaluation;
    /** The model's stages. */
    @api stages = [];
    /** Set by the parent while it refreshes. */
    @api disabled = false;

    label = LABELS;
    mode = null;
    busy = false;
    error;
    errorHeading;
    unmet = [];
    focusSelector;

    get viewer() {
        return this.deal?.viewer ?? {};
    }

    get pending() {
        return this.deal?.pendingRequest ?? null;
    }

    get isDisabled() {
        return this.busy || this.disabled;
    }

    get mayRequest() {
        return !this.pending && this.viewer.canRequest === true;
    }

    get nextStage() {
        return this.evaluation?.nextStage ?? null;
    }

    get canAdvance() {
        return this.mayRequest && this.nextStage !== null;
    }

    get advanceText() {
        return formatLabel(LABELS.advance, this.nextStage?.label);
    }

    get backOptions() {
        const current = this.deal?.stage;
        if (!current) {
            return [];
        }
        return (this.stages ?? [])
            .filter((stage) => !stage.closed && stage.order < current.order)
            .sort((a, b) => a.order - b.order)
            .map((stage) => ({ value: stage.value, label: stage.label }));
    }

    get canBack() {
        return this.mayRequest && this.backOptions.length > 0;
    }

    get canCloseLost() {
        const stage = this.deal?.stage;
        return this.mayRequest && Boolean(stage) && !stage.closed;
    }

    get canAnswer() {
        return Boolean(this.pending) && this.viewer.canConfirm === true;
    }

    get canWithdraw() {
        const pending = this.pending;
        return Boolean(pending) && this.viewer.side === pending.requestingSide;
    }

    get hasButtons() {
        return (
            this.canAdvance ||
            this.canBack ||
            this.canCloseLost ||
            this.canAnswer ||
            this.canWithdraw
        );
    }

    get noteText() {
        if (this.deal?.stage?.closed) {
            return LABELS.noteClosed;
        }
        return this.viewer.side ? '' : LABELS.noteNotOnDeal;
    }

    get form() {
        return this.mode ? FORMS[this.mode] : null;
    }

    get formStageOptions() {
        return this.mode === 'back' ? this.backOptions : null;
    }

    renderedCallback() {
        if (this.focusSelector) {
            const target = this.template.querySelector(this.focusSelector);
            this.focusSelector = null;
            target?.focus();
        }
    }

    handleOpenForm(event) {
        this.mode = event.currentTarget.dataset.mode;
        this.error = undefined;
    }

    handleCancelForm() {
        this.focusSelector = `button[data-mode="${this.mode}"]`;
        this.mode = null;
    }

    handleAdvance() {
        this.run(LABELS.errorRequest, () =>
            requestStage({
                opportunityId: this.deal.id,
                kind: 'Advance',
                toStage: null,
                reason: null,
            }).then((request) => this.requestedText(request)),
        );
    }

    handleConfirm() {
        this.run(LABELS.errorConfirm, () =>
            confirmRequest({ requestId: this.pending.id }).then((result) =>
                formatLabel(
                    LABELS.doneConfirm,
                    stageLabel(this.stages, result?.transition?.toStage),
                ),
            ),
        );
    }

    handleFormSubmit(event) {
        const { reason, toStage } = event.detail;
        const calls = {
            back: () => this.requestMove('Back', toStage, reason),
            lost: () => this.requestMove('Close Lost', null, reason),
            reject: () => this.answer(rejectRequest, reason, LABELS.doneReject),
            withdraw: () =>
                this.answer(withdrawRequest, reason, LABELS.doneWithdraw),
        };
        const headings = {
            back: LABELS.errorRequest,
            lost: LABELS.errorRequest,
            reject: LABELS.errorReject,
            withdraw: LABELS.errorWithdraw,
        };
        this.run(headings[this.mode], calls[this.mode]);
    }

    requestMove(kind, toStage, reason) {
        return requestStage({
            opportunityId: this.deal.id,
            kind,
            toStage,
            reason,
        }).then((request) => this.requestedText(request));
    }

    answer(apexMethod, reason, doneLabel) {
        const stage = this.deal?.stage?.label ?? stageLabel(this.stages, null);
        return apexMethod({ requestId: this.pending.id, reason }).then(() =>
            formatLabel(doneLabel, stage),
        );
    }

    requestedText(request) {
        return formatLabel(
            LABELS.doneRequest,
            stageLabel(this.stages, request?.toStage),
            sideName(request?.waitingFor),
        );
    }

    async run(errorHeading, call) {
        this.busy = true;
        this.error = undefined;
        this.unmet = [];
        try {
            const message = await call();
            this.mode = null;
            this.dispatchEvent(
                new CustomEvent('requestchange', { detail: { message } }),
            );
        } catch (error) {
            this.error = error;
            this.errorHeading = errorHeading;
            this.unmet = unmetCriteriaOf(error, this.evaluation?.criteria);
            this.focusSelector = 'c-cosell-error-panel';
            this.dispatchEvent(new CustomEvent('requestfailed'));
        } finally {
            this.busy = false;
        }
    }
}

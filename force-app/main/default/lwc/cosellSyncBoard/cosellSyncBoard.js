import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getAgenda from '@salesforce/apex/CosellSyncBoardController.getAgenda';
import getStageModels from '@salesforce/apex/CosellStageController.getStageModels';
import { daysText, formatDateTime, formatLabel } from 'c/cosellFormat';
import { LABELS } from './labels';

/** Windows offered for expiring registrations, in days. */
const DAY_CHOICES = [7, 14, 30, 60, 90];
/** The middleware's default window. */
const DEFAULT_DAYS = 14;

/**
 * The joint co-sell sync agenda for the user's side: requests waiting on each
 * side with their age, stalled, regressed and blocked deals, and registrations
 * expiring within a chosen number of days. Deal and registration names link to
 * their record pages, in Lightning Experience and in a partner site.
 */
export default class CosellSyncBoard extends LightningElement {
    /** Limits the agenda to one partner account; every visible partner when blank. */
    @api partnerAccountId;

    label = LABELS;
    days = DEFAULT_DAYS;
    agenda;
    loading = true;
    stageLabels = {};
    statusMessage = '';
    focusStatus = false;

    /** The initial window for expiring registrations, in days. */
    @api
    get expiringWithinDays() {
        return this.days;
    }

    set expiringWithinDays(value) {
        const days = Number.parseInt(value, 10);
        this.days = Number.isInteger(days) && days >= 0 ? days : DEFAULT_DAYS;
    }

    // Apex receives null, not undefined: a wire does not call with an undefined parameter.
    get partnerFilter() {
        return this.partnerAccountId || null;
    }

    @wire(getAgenda, {
        partnerAccountId: '$partnerFilter',
        expiringWithinDays: '$days',
    })
    wiredAgenda(result) {
        this.agenda = result;
        this.loading = result.data === undefined && result.error === undefined;
    }

    @wire(getStageModels)
    wiredModels({ data }) {
        // Without the models, stage values stand in for their labels.
        const labels = {};
        for (const model of data?.models ?? []) {
            for (const stage of model.stages) {
                labels[stage.value] = stage.label;
            }
        }
        this.stageLabels = labels;
    }

    get ariaBusy() {
        return this.loading ? 'true' : 'false';
    }

    get data() {
        return this.agenda?.data;
    }

    get error() {
        return this.agenda?.error;
    }

    get dayOptions() {
        const choices = DAY_CHOICES.includes(this.days)
            ? DAY_CHOICES
            : [...DAY_CHOICES, this.days].sort((a, b) => a - b);
        return choices.map((days) => ({
            value: String(days),
            label: daysText(days),
            selected: days === this.days,
        }));
    }

    get summaryText() {
        const data = this.data;
        const template =
            data.side === 'Partner'
                ? LABELS.summaryPartner
                : LABELS.summaryVendor;
        return formatLabel(template, formatDateTime(data.generatedAt));
    }

    /** Text that screen readers announce when the agenda loads, reloads or fails. */
    get liveText() {
        if (this.loading) {
            return LABELS.loading;
        }
        if (this.error) {
            return LABELS.errorAgenda;
        }
        return this.data ? this.summaryText : '';
    }

    get limitedText() {
        const name = this.data.partnerAccount?.name;
        return name ? formatLabel(LABELS.summaryLimited, name) : '';
    }

    /** The deal sections in reading order: the user's own side's requests first. */
    get sections() {
        const data = this.data;
        const onVendor = {
            key: 'vendor',
            kind: 'waiting',
            items: data.waitingOnVendor,
        };
        const onPartner = {
            key: 'partner',
            kind: 'waiting',
            items: data.waitingOnPartner,
        };
        const waiting =
            data.side === 'Partner'
                ? [
                      { ...onPartner, heading: LABELS.waitingOnYou },
                      { ...onVendor, heading: LABELS.waitingOnVendor },
                  ]
                : [
                      { ...onVendor, heading: LABELS.waitingOnYou },
                      { ...onPartner, heading: LABELS.waitingOnPartner },
                  ];
        return [
            ...waiting,
            {
                key: 'blocked',
                kind: 'blocked',
                heading: LABELS.blocked,
                items: data.blocked,
            },
            {
                key: 'regressed',
                kind: 'regressed',
                heading: LABELS.regressed,
                items: data.regressed,
            },
            {
                key: 'stalled',
                kind: 'stalled',
                heading: LABELS.stalled,
                items: data.stalled,
            },
        ];
    }

    get isEmpty() {
        const data = this.data;
        return [
            data.waitingOnVendor,
            data.waitingOnPartner,
            data.stalled,
            data.regressed,
            data.blocked,
            data.expiringRegistrations,
        ].every((list) => (list ?? []).length === 0);
    }

    get emptyText() {
        return formatLabel(LABELS.empty, daysText(this.days));
    }

    handleDaysChange(event) {
        this.days = Number.parseInt(event.target.value, 10);
        this.loading = true;
    }

    renderedCallback() {
        if (this.focusStatus) {
            this.focusStatus = false;
            this.template.querySelector('[data-id="status"]')?.focus();
        }
    }

    /** Announces a change made from the agenda, such as an override, and reloads it. */
    async handleAgendaChange(event) {
        this.statusMessage = event.detail.message;
        this.focusStatus = true;
        await this.handleRefresh();
    }

    async handleRefresh() {
        this.loading = true;
        try {
            await refreshApex(this.agenda);
        } finally {
            // A failed refresh arrives through the wire as its error.
            this.loading = false;
        }
    }
}

/**
 * Text of one agenda item, built from the item's data with custom labels rather
 * than from the middleware's English `detail`, so that translations apply.
 */
import { daysText, formatDateTime, formatLabel } from 'c/cosellFormat';
import KIND_ADVANCE from '@salesforce/label/c.Cosell_Kind_Advance';
import KIND_BACK from '@salesforce/label/c.Cosell_Kind_Back';
import KIND_CLOSE_LOST from '@salesforce/label/c.Cosell_Kind_Close_Lost';
import NO_STAGE from '@salesforce/label/c.Cosell_No_Stage';
import REQUEST_MOVE from '@salesforce/label/c.Cosell_Pending_Move';
import WAITING_SINCE from '@salesforce/label/c.Cosell_Agenda_Waiting_Since';
import WAITING_TODAY from '@salesforce/label/c.Cosell_Agenda_Waiting_Today';
import EXPIRES from '@salesforce/label/c.Cosell_Agenda_Expires';
import EXPIRED from '@salesforce/label/c.Cosell_Agenda_Expired';
import EXPIRED_OVERRIDE from '@salesforce/label/c.Cosell_Agenda_Expired_Override';
import STALLED from '@salesforce/label/c.Cosell_Agenda_Stalled';
import REGRESSED from '@salesforce/label/c.Cosell_Agenda_Regressed';
import BLOCKED from '@salesforce/label/c.Cosell_Agenda_Blocked';

const KIND_TEXT = {
    Advance: KIND_ADVANCE,
    Back: KIND_BACK,
    'Close Lost': KIND_CLOSE_LOST,
};

function labelOf(stageLabels, value) {
    if (!value) {
        return NO_STAGE;
    }
    return stageLabels?.[value] ?? value;
}

function requestLines(item, stageLabels, generatedAt) {
    const request = item.request;
    if (!request) {
        return [];
    }
    const move = formatLabel(
        REQUEST_MOVE,
        KIND_TEXT[request.kind] ?? request.kind,
        labelOf(stageLabels, request.fromStage),
        labelOf(stageLabels, request.toStage),
    );
    const expiresAt = formatDateTime(request.expiresAt);
    let expiry = formatLabel(EXPIRES, expiresAt);
    if (Date.parse(request.expiresAt) <= Date.parse(generatedAt)) {
        expiry =
            request.kind === 'Close Lost'
                ? formatLabel(EXPIRED_OVERRIDE, expiresAt)
                : formatLabel(EXPIRED, expiresAt);
    }
    const age = item.ageDays
        ? formatLabel(WAITING_SINCE, daysText(item.ageDays))
        : WAITING_TODAY;
    return [move, age, expiry];
}

/**
 * Returns the lines that describe an agenda item of a section.
 * @param {string} kind `waiting`, `stalled`, `regressed` or `blocked`
 * @param {object} item the `AgendaItem`
 * @param {object} stageLabels stage labels by stage value
 * @param {string} generatedAt when the agenda was built, to tell expired requests
 * @returns {string[]} the lines, in reading order
 */
export function agendaLines(kind, item, stageLabels, generatedAt) {
    const stage = item.stage?.label ?? labelOf(stageLabels, item.stage?.value);
    switch (kind) {
        case 'waiting':
            return requestLines(item, stageLabels, generatedAt);
        case 'stalled':
            return [
                formatLabel(
                    STALLED,
                    stage,
                    daysText(item.ageDays ?? 0),
                    daysText(item.stage?.stallDays ?? 0),
                ),
            ];
        case 'regressed':
            return [formatLabel(REGRESSED, stage)];
        case 'blocked':
            return [
                formatLabel(
                    BLOCKED,
                    labelOf(stageLabels, item.request?.toStage),
                ),
            ];
        default:
            return [];
    }
}

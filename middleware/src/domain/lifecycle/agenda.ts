/**
 * The joint co-sell sync agenda: pending requests waiting on each side with
 * their age, deals stalled in their stage, deals that regressed, deals blocked
 * on unmet criteria, and registrations about to expire.
 *
 * A deal is blocked when it has a pending, unexpired Advance request whose
 * criteria, evaluated now, are not all met, so the other side cannot confirm it
 * until the evidence is fixed. Ages and days left are calendar days in `zone`.
 */
import {
  calendarDaysBetween,
  canonicalInstant,
  localDate,
  requireTimeZone,
  storedInstant,
} from './calendar.js';
import { DomainError } from '../domain-error.js';
import { buildStageCatalog, findStage } from './stage-catalog.js';
import { daysInStage, isStalled } from './stalls.js';
import type { CriterionCheck } from './stalls.js';
import type {
  LifecycleDeal,
  LifecycleRegistration,
  LifecycleStage,
  PartnerRef,
} from './types.js';

/** A pending `Stage_Request__c` as the agenda reads it; a `StageRequest` has every field. */
export interface AgendaRequest {
  id: string;
  dealId: string;
  kind: string;
  fromStage: string | null;
  toStage: string;
  requestingSide: 'Vendor' | 'Partner';
  status: string;
  createdAt: string;
  expiresAt: string;
}

/** A criterion result as the agenda shows it. */
export interface AgendaCriterion extends CriterionCheck {
  label?: string;
}

/**
 * An invalid stored value that stopped the evaluation of a deal, with the
 * record and field to correct.
 */
export interface EvaluationProblem {
  /** Object API name of the record that stores the value, such as `Opportunity`. */
  object: string;
  recordId: string;
  /** Field API name or the path a criterion reads, such as `Probability`. */
  field: string;
  /** The stored value; absent when the viewer may not see it. */
  value?: unknown;
  message: string;
  fix: string;
}

/**
 * Criteria of one deal, evaluated now by the caller. With a `problem`, the
 * caller could not evaluate them, and `held` is empty.
 */
export interface DealCriteria<C extends AgendaCriterion> {
  dealId: string;
  problem?: EvaluationProblem;
  /** The exit criteria that let the deal into its current stage (see `stagesToHold`). */
  held: C[];
  /** The criteria the deal's pending request needs. */
  pendingMove?: C[];
}

export interface AgendaInput<
  R extends AgendaRequest,
  C extends AgendaCriterion,
  G extends LifecycleRegistration,
> {
  now: string;
  zone: string;
  side: 'Vendor' | 'Partner';
  /** Only this partner's deals and registrations; every partner's when null. */
  partnerAccountId: string | null;
  expiringWithinDays: number;
  stages: readonly LifecycleStage[];
  deals: readonly LifecycleDeal[];
  partners: readonly PartnerRef[];
  requests: readonly R[];
  /**
   * Ids of the pending requests whose requester is no longer on the requesting
   * side of the deal, such as a partner user after the deal's partner account
   * changed. No one can confirm or reject such a request, so it waits only for
   * a withdrawal, which either side may make.
   */
  requestersLeftSide?: ReadonlySet<string>;
  criteria: readonly DealCriteria<C>[];
  registrations: readonly G[];
}

export interface AgendaItem<R, C> {
  dealId: string;
  dealName: string;
  partnerAccount: PartnerRef | null;
  stage: LifecycleStage | null;
  /**
   * The stored `Cosell_Stage__c` when the deal's model does not have that
   * stage or is not loaded, else null. Such a deal has no `stage`.
   */
  stageNotInModel: string | null;
  detail: string;
  ageDays?: number;
  request?: R;
  /** True on a waiting request whose requester left the requesting side. */
  requesterLeftSide?: boolean;
  unmet?: C[];
  /**
   * The invalid stored value that stopped the evaluation of the deal. Only
   * `notEvaluated` items have it.
   */
  problem?: EvaluationProblem;
}

export interface Agenda<R, C, G> {
  generatedAt: string;
  zone: string;
  side: 'Vendor' | 'Partner';
  partnerAccountId: string | null;
  /** The partner the agenda is limited to, with its name; null for all partners. */
  partnerAccount: PartnerRef | null;
  expiringWithinDays: number;
  waitingOnVendor: AgendaItem<R, C>[];
  waitingOnPartner: AgendaItem<R, C>[];
  stalled: AgendaItem<R, C>[];
  regressed: AgendaItem<R, C>[];
  blocked: AgendaItem<R, C>[];
  /**
   * Deals that could not be evaluated because of an invalid stored value, so
   * they may also be regressed or blocked without showing there. The caller
   * leaves a deal with an invalid model, stage entry time or request time out
   * of the other sections.
   */
  notEvaluated: AgendaItem<R, C>[];
  expiringRegistrations: Array<{
    registration: G;
    partnerAccount: PartnerRef;
    daysLeft: number;
  }>;
}

function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

/**
 * Describes a pending request. `labelOf` gives a stage value's label, so the
 * text names stages as the Stage column does.
 */
function requestDetail(
  request: AgendaRequest,
  expired: boolean,
  requesterLeftSide: boolean,
  zone: string,
  labelOf: (value: string) => string,
): string {
  const from =
    request.fromStage === null ? 'no stage' : `"${labelOf(request.fromStage)}"`;
  const move =
    request.kind === 'Close Lost'
      ? `Close Lost from ${from}`
      : `${request.kind} from ${from} to "${labelOf(request.toStage)}"`;
  const side = request.requestingSide;
  const requestText = requesterLeftSide
    ? `${move}, requested by a user no longer on the ${side} side, so only a withdrawal by either side can end it`
    : `${move}, requested by the ${side} side`;
  if (!expired)
    return `${requestText}; expires ${localDate(request.expiresAt, zone)}`;
  const override =
    request.kind === 'Close Lost' && !requesterLeftSide
      ? '; a channel manager may apply it as an override'
      : '';
  return `${requestText}; expired ${localDate(request.expiresAt, zone)}${override}`;
}

/** Builds the agenda from plain records. */
export function buildAgenda<
  R extends AgendaRequest,
  C extends AgendaCriterion,
  G extends LifecycleRegistration,
>(input: AgendaInput<R, C, G>): Agenda<R, C, G> {
  const { zone, partnerAccountId } = input;
  requireTimeZone(zone);
  if (
    !Number.isInteger(input.expiringWithinDays) ||
    input.expiringWithinDays < 0
  ) {
    throw new DomainError(
      'invalid_request',
      `expiringWithinDays ${input.expiringWithinDays} is not a whole number of 0 or more.`,
      'Pass the number of days ahead to look for expiring registrations, such as 14.',
      { value: input.expiringWithinDays },
    );
  }
  const now = canonicalInstant(input.now, 'now');
  const catalog = buildStageCatalog(input.stages);
  const names = new Map(input.partners.map((partner) => [partner.id, partner]));
  const deals = new Map(
    input.deals
      .filter(
        (deal) =>
          partnerAccountId === null ||
          deal.partnerAccountId === partnerAccountId,
      )
      .map((deal) => [deal.id, deal]),
  );
  const partnerRef = (id: string): PartnerRef =>
    names.get(id) ?? { id, name: id };
  const itemFor = (deal: LifecycleDeal, detail: string): AgendaItem<R, C> => {
    const stage = findStage(catalog, deal.model, deal.stage) ?? null;
    return {
      dealId: deal.id,
      dealName: deal.name,
      partnerAccount:
        deal.partnerAccountId === null
          ? null
          : partnerRef(deal.partnerAccountId),
      stage,
      stageNotInModel: stage === null ? deal.stage : null,
      detail,
    };
  };

  const agenda: Agenda<R, C, G> = {
    generatedAt: now,
    zone,
    side: input.side,
    partnerAccountId,
    partnerAccount:
      partnerAccountId === null ? null : partnerRef(partnerAccountId),
    expiringWithinDays: input.expiringWithinDays,
    waitingOnVendor: [],
    waitingOnPartner: [],
    stalled: [],
    regressed: [],
    blocked: [],
    notEvaluated: [],
    expiringRegistrations: [],
  };

  const pendingByDeal = new Map<
    string,
    { request: R; expired: boolean; requesterLeftSide: boolean }
  >();
  for (const request of input.requests) {
    const deal = deals.get(request.dealId);
    if (!deal || request.status !== 'Pending') continue;
    const expiresAt = storedInstant(request.expiresAt, {
      object: 'Stage_Request__c',
      recordId: request.id,
      field: 'Expires_At__c',
    });
    const expired = expiresAt <= now;
    const requesterLeftSide =
      input.requestersLeftSide?.has(request.id) ?? false;
    pendingByDeal.set(deal.id, { request, expired, requesterLeftSide });
    const labelOf = (value: string) =>
      findStage(catalog, deal.model, value)?.label ?? value;
    const item = itemFor(
      deal,
      requestDetail(request, expired, requesterLeftSide, zone, labelOf),
    );
    item.ageDays = Math.max(
      0,
      calendarDaysBetween(request.createdAt, now, zone),
    );
    item.request = request;
    if (requesterLeftSide) item.requesterLeftSide = true;
    // A request whose requester left stays with the other side, because
    // withdrawing it is the one step left and a user of that side may take it.
    const list =
      request.requestingSide === 'Vendor'
        ? agenda.waitingOnPartner
        : agenda.waitingOnVendor;
    list.push(item);
  }

  for (const deal of deals.values()) {
    const stage = findStage(catalog, deal.model, deal.stage);
    if (!stage || stage.closed || deal.stageEnteredAt === null) continue;
    const days = daysInStage(deal.stageEnteredAt, now, zone);
    if (isStalled(stage.stallDays, days)) {
      const item = itemFor(
        deal,
        `${plural(days, 'day')} in stage "${stage.label}"; stalls after ${plural(stage.stallDays!, 'day')}`,
      );
      item.ageDays = days;
      agenda.stalled.push(item);
    }
  }

  for (const entry of input.criteria) {
    const deal = deals.get(entry.dealId);
    if (!deal) continue;
    if (entry.problem) {
      const item = itemFor(deal, entry.problem.message);
      item.problem = entry.problem;
      agenda.notEvaluated.push(item);
      continue;
    }
    const failing = entry.held.filter((criterion) => !criterion.met);
    if (failing.length > 0) {
      const verb = failing.length === 1 ? 'holds' : 'hold';
      const count = plural(failing.length, 'exit criterion', 'exit criteria');
      const item = itemFor(
        deal,
        `${count} that let it into its stage no longer ${verb}`,
      );
      item.unmet = failing;
      agenda.regressed.push(item);
    }
    const pending = pendingByDeal.get(deal.id);
    const unmet = (entry.pendingMove ?? []).filter(
      (criterion) => !criterion.met,
    );
    if (
      pending &&
      !pending.expired &&
      !pending.requesterLeftSide &&
      pending.request.kind === 'Advance' &&
      unmet.length > 0
    ) {
      const count = plural(unmet.length, 'unmet criterion', 'unmet criteria');
      const to = pending.request.toStage;
      const label = findStage(catalog, deal.model, to)?.label ?? to;
      const item = itemFor(deal, `Advance to "${label}" waits on ${count}`);
      item.request = pending.request;
      item.unmet = unmet;
      agenda.blocked.push(item);
    }
  }

  for (const registration of input.registrations) {
    if (
      partnerAccountId !== null &&
      registration.partnerAccountId !== partnerAccountId
    )
      continue;
    if (
      registration.status !== 'Submitted' &&
      registration.status !== 'Approved'
    )
      continue;
    if (registration.expiresAt === null) continue;
    const expiresAt = storedInstant(registration.expiresAt, {
      object: 'Deal_Registration__c',
      recordId: registration.id,
      field: 'Expires_At__c',
    });
    if (expiresAt <= now) continue;
    const daysLeft = calendarDaysBetween(now, registration.expiresAt, zone);
    if (daysLeft <= input.expiringWithinDays)
      agenda.expiringRegistrations.push({
        registration,
        partnerAccount: partnerRef(registration.partnerAccountId),
        daysLeft,
      });
  }

  const byAge = (a: AgendaItem<R, C>, b: AgendaItem<R, C>) =>
    (b.ageDays ?? 0) - (a.ageDays ?? 0) || a.dealName.localeCompare(b.dealName);
  const byName = (a: AgendaItem<R, C>, b: AgendaItem<R, C>) =>
    a.dealName.localeCompare(b.dealName);
  agenda.waitingOnVendor.sort(byAge);
  agenda.waitingOnPartner.sort(byAge);
  agenda.stalled.sort((a, b) => overdue(b) - overdue(a) || byName(a, b));
  agenda.regressed.sort(byName);
  agenda.blocked.sort(byName);
  agenda.notEvaluated.sort(byName);
  agenda.expiringRegistrations.sort(
    (a, b) =>
      a.daysLeft - b.daysLeft ||
      a.registration.name.localeCompare(b.registration.name),
  );
  return agenda;
}

function overdue(item: AgendaItem<unknown, unknown>): number {
  return (item.ageDays ?? 0) - (item.stage?.stallDays ?? 0);
}

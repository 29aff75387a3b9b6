/**
 * Partner scorecards. For each partner: its registrations and their approval
 * rate; for the deals it registered, the conversion from each open stage to a
 * later one, the win rate and the median calendar days spent per stage; the
 * revenue of won deals it sourced or influenced, by its `Deal_Partner__c` role
 * and split; and its forecast accuracy from a backtest.
 */
// NOTE: revenue uses the current Deal_Partner__c rows, not the attribution snapshot kept with the closing transition.
import { Decimal } from 'decimal.js';
import { calendarDaysBetween, requireTimeZone } from './calendar.js';
import { allocateAmount, parseSplit } from './attribution.js';
import type { AccuracySummary, Backtest } from './backtest.js';
import { buildDealTimelines } from './deal-timelines.js';
import type { DealTimeline } from './deal-timelines.js';
import { CurrencyConverter, parseDealAmount } from './money.js';
import type { CurrencyRates } from './money.js';
import { buildStageCatalog } from './stage-catalog.js';
import type { StageCatalog } from './stage-catalog.js';
import type {
  LifecycleDeal,
  LifecycleDealPartner,
  LifecycleRegistration,
  LifecycleStage,
  LifecycleTransition,
  PartnerRef,
} from './types.js';

export interface ScorecardData {
  stages: readonly LifecycleStage[];
  deals: readonly LifecycleDeal[];
  transitions: Iterable<LifecycleTransition>;
  registrations: readonly LifecycleRegistration[];
  dealPartners: readonly LifecycleDealPartner[];
  /** Partner names; a partner not listed is named by its Id. */
  partners?: readonly PartnerRef[];
  backtest?: Backtest;
}

export interface ScorecardSettings {
  zone: string;
  currency: CurrencyRates;
}

export interface StageConversion {
  model: string;
  stage: string;
  /** Deals that were ever in the stage. */
  entered: number;
  /** Of those, deals that later reached a later open or won stage. */
  advanced: number;
  /** Deals in the stage now, left out of the rate because they have not moved on. */
  stillIn: number;
  /** advanced / (entered - stillIn), 0 to 1; null when no deal has left the stage. */
  rate: number | null;
}

export interface StageDuration {
  model: string;
  stage: string;
  /** Median calendar days of the finished stays in the stage; null without any. */
  medianDays: number | null;
  stays: number;
}

export interface Scorecard {
  partnerAccount: PartnerRef;
  registrations: {
    total: number;
    approved: number;
    rejected: number;
    expired: number;
    pending: number;
    /** Approved (including Converted) / decided, 0 to 1; null before any decision. */
    approvalRate: number | null;
  };
  conversions: StageConversion[];
  deals: { open: number; won: number; lost: number; winRate: number | null };
  currency: string;
  sourcedRevenue: string;
  influencedRevenue: string;
  medianDaysInStage: StageDuration[];
  forecastAccuracy: AccuracySummary | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

function countRegistrations(registrations: readonly LifecycleRegistration[]) {
  const count = (statuses: string[]) =>
    registrations.filter((registration) =>
      statuses.includes(registration.status),
    ).length;
  const approved = count(['Approved', 'Converted']);
  const rejected = count(['Rejected']);
  return {
    total: registrations.length,
    approved,
    rejected,
    expired: count(['Expired']),
    pending: count(['Submitted']),
    approvalRate: ratio(approved, approved + rejected),
  };
}

/** Stage conversions and durations of one partner's deals. */
function stageFlow(
  deals: readonly LifecycleDeal[],
  timelines: Map<string, DealTimeline>,
  catalog: StageCatalog,
  zone: string,
) {
  const conversions = new Map<string, StageConversion>();
  const stays = new Map<string, number[]>();
  for (const [model, stages] of catalog) {
    for (const stage of stages.open) {
      const key = `${model}\u0000${stage.value}`;
      conversions.set(key, {
        model,
        stage: stage.value,
        entered: 0,
        advanced: 0,
        stillIn: 0,
        rate: null,
      });
      stays.set(key, []);
    }
  }
  for (const deal of deals) {
    const timeline = timelines.get(deal.id);
    const stages = catalog.get(deal.model);
    if (!timeline || !stages) continue;
    const orderOf = (value: string | null) =>
      value === null ? undefined : stages.byValue.get(value);
    const visited = new Set<string>();
    for (let index = 0; index < timeline.at.length; index++) {
      const to = timeline.toStage[index]!;
      visited.add(to);
      const next = timeline.at[index + 1];
      const stay = stays.get(`${deal.model}\u0000${to}`);
      if (stay && next !== undefined)
        stay.push(calendarDaysBetween(timeline.at[index]!, next, zone));
    }
    const last = orderOf(timeline.toStage[timeline.toStage.length - 1]!);
    for (const value of visited) {
      const conversion = conversions.get(`${deal.model}\u0000${value}`);
      const stage = orderOf(value);
      if (!conversion || !stage) continue;
      conversion.entered++;
      const later = [...visited].some((other) => {
        const reached = orderOf(other);
        return (
          reached !== undefined &&
          reached.order > stage.order &&
          (!reached.closed || reached.won)
        );
      });
      if (later) conversion.advanced++;
      else if (last === stage) conversion.stillIn++;
    }
  }
  for (const conversion of conversions.values()) {
    conversion.rate = ratio(
      conversion.advanced,
      conversion.entered - conversion.stillIn,
    );
  }
  const durations: StageDuration[] = [...stays].map(([key, days]) => {
    const conversion = conversions.get(key)!;
    return {
      model: conversion.model,
      stage: conversion.stage,
      medianDays: median(days),
      stays: days.length,
    };
  });
  return { conversions: [...conversions.values()], durations };
}

/** Adds each won deal's split of its converted amount to the partners' revenue. */
function attributeRevenue(
  deals: readonly LifecycleDeal[],
  dealPartners: readonly LifecycleDealPartner[],
  catalog: StageCatalog,
  converter: CurrencyConverter,
) {
  const rowsByDeal = new Map<string, LifecycleDealPartner[]>();
  for (const row of dealPartners) {
    const rows = rowsByDeal.get(row.dealId) ?? [];
    rows.push(row);
    rowsByDeal.set(row.dealId, rows);
  }
  const revenue = new Map<string, { sourced: Decimal; influenced: Decimal }>();
  for (const deal of deals) {
    const stage =
      deal.stage === null
        ? undefined
        : catalog.get(deal.model)?.byValue.get(deal.stage);
    const rows = rowsByDeal.get(deal.id) ?? [];
    if (!stage?.won || deal.amount === null || rows.length === 0) continue;
    const splits = rows.map(
      (row) => parseSplit(row.splitPercent) ?? new Decimal(0),
    );
    const amount = converter.convert(
      parseDealAmount(deal.id, deal.amount),
      deal.currencyIsoCode,
    );
    const shares = allocateAmount(amount, splits, converter.places);
    rows.forEach((row, index) => {
      const totals = revenue.get(row.partnerAccountId) ?? {
        sourced: new Decimal(0),
        influenced: new Decimal(0),
      };
      if (row.role === 'Sourcing')
        totals.sourced = totals.sourced.plus(shares[index]!);
      else totals.influenced = totals.influenced.plus(shares[index]!);
      revenue.set(row.partnerAccountId, totals);
    });
  }
  return revenue;
}

/** Builds a scorecard for every partner that registered, owns or shares a deal. */
export function buildScorecards(
  data: ScorecardData,
  settings: ScorecardSettings,
): Scorecard[] {
  requireTimeZone(settings.zone);
  const catalog = buildStageCatalog(data.stages);
  const converter = new CurrencyConverter(settings.currency);
  const timelines = buildDealTimelines(data.transitions);
  const revenue = attributeRevenue(
    data.deals,
    data.dealPartners,
    catalog,
    converter,
  );
  const names = new Map(
    (data.partners ?? []).map((partner) => [partner.id, partner.name]),
  );
  const ids = new Set<string>([
    ...names.keys(),
    ...data.registrations.map((registration) => registration.partnerAccountId),
    ...data.deals.flatMap((deal) =>
      deal.partnerAccountId === null ? [] : [deal.partnerAccountId],
    ),
    ...revenue.keys(),
  ]);
  return [...ids].sort().map((id) => {
    const deals = data.deals.filter((deal) => deal.partnerAccountId === id);
    const outcome = { open: 0, won: 0, lost: 0 };
    for (const deal of deals) {
      const stage =
        deal.stage === null
          ? undefined
          : catalog.get(deal.model)?.byValue.get(deal.stage);
      if (!stage) continue;
      if (!stage.closed) outcome.open++;
      else if (stage.won) outcome.won++;
      else outcome.lost++;
    }
    const flow = stageFlow(deals, timelines, catalog, settings.zone);
    const totals = revenue.get(id);
    return {
      partnerAccount: { id, name: names.get(id) ?? id },
      registrations: countRegistrations(
        data.registrations.filter(
          (registration) => registration.partnerAccountId === id,
        ),
      ),
      conversions: flow.conversions,
      deals: {
        ...outcome,
        winRate: ratio(outcome.won, outcome.won + outcome.lost),
      },
      currency: converter.corporate,
      sourcedRevenue: converter.format(totals?.sourced ?? new Decimal(0)),
      influencedRevenue: converter.format(totals?.influenced ?? new Decimal(0)),
      medianDaysInStage: flow.durations,
      forecastAccuracy:
        data.backtest?.byPartner.find(
          (entry) => entry.partnerAccountId === id,
        ) ?? null,
    };
  });
}

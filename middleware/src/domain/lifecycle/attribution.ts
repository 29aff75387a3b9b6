/**
 * Deal partner attribution: who sourced and who influenced a deal, and each
 * partner's split of the credit. A valid attribution has at most one Sourcing
 * partner, any number of Influencing ones, no partner twice, every split above 0
 * and at most 100 with at most two decimal places (`Split_Percent__c` is
 * Percent(5,2)), and splits that add up to exactly 100.
 */
import { Decimal } from 'decimal.js';
import { parseAmount } from './money.js';
import { PARTNER_ROLES } from './types.js';
import type { LifecycleDealPartner, PartnerRole } from './types.js';

export type AttributionProblemCode =
  | 'no_partners'
  | 'multiple_sourcing'
  | 'unknown_role'
  | 'duplicate_partner'
  | 'invalid_split'
  | 'split_out_of_range'
  | 'split_total'
  | 'other_partner_rows';

export interface AttributionProblem {
  code: AttributionProblemCode;
  message: string;
  /** The partner row the problem is about; absent for whole-deal problems. */
  partnerAccountId?: string;
}

/** Parses a split as a decimal; null when blank or not a number. */
export function parseSplit(split: string | number | null): Decimal | null {
  if (split === null || (typeof split === 'string' && split.trim() === '')) {
    return null;
  }
  if (typeof split === 'number' && !Number.isFinite(split)) return null;
  try {
    return new Decimal(typeof split === 'number' ? split : split.trim());
  } catch {
    return null;
  }
}

/** Lists every problem with a deal's partner rows; empty when valid. */
export function validateAttribution(
  partners: readonly LifecycleDealPartner[],
): AttributionProblem[] {
  const problems: AttributionProblem[] = [];
  if (partners.length === 0) {
    problems.push({
      code: 'no_partners',
      message:
        'The deal has no Deal_Partner__c rows; add the sourcing partner with a 100% split.',
    });
    return problems;
  }
  const sourcing = partners.filter((row) => row.role === 'Sourcing');
  if (sourcing.length > 1) {
    problems.push({
      code: 'multiple_sourcing',
      message: `The deal has ${sourcing.length} Sourcing partners (${sourcing
        .map((row) => row.partnerAccountId)
        .join(', ')}); keep one and make the others Influencing.`,
    });
  }
  const seen = new Set<string>();
  let total = new Decimal(0);
  let totalKnown = true;
  for (const row of partners) {
    const id = row.partnerAccountId;
    if (!(PARTNER_ROLES as readonly string[]).includes(row.role)) {
      problems.push({
        code: 'unknown_role',
        message: `Partner ${id} has role "${String(row.role)}"; use Sourcing or Influencing.`,
        partnerAccountId: id,
      });
    }
    if (seen.has(id)) {
      problems.push({
        code: 'duplicate_partner',
        message: `Partner ${id} appears more than once; merge its rows into one.`,
        partnerAccountId: id,
      });
    }
    seen.add(id);
    const split = parseSplit(row.splitPercent);
    if (split === null || split.decimalPlaces() > 2) {
      totalKnown = false;
      problems.push({
        code: 'invalid_split',
        message: `Partner ${id} has split "${String(row.splitPercent)}"; set a percentage with at most two decimal places, such as 25 or 33.33.`,
        partnerAccountId: id,
      });
      continue;
    }
    if (split.lte(0) || split.gt(100)) {
      problems.push({
        code: 'split_out_of_range',
        message: `Partner ${id} has split ${split.toString()}%; a split must be above 0 and at most 100.`,
        partnerAccountId: id,
      });
    }
    total = total.plus(split);
  }
  if (totalKnown && !total.eq(100)) {
    problems.push({
      code: 'split_total',
      message: `The splits add up to ${total.toString()}%, not 100%; change them so they total exactly 100.`,
    });
  }
  return problems;
}

/** One partner's credit in an attribution snapshot. */
export interface AttributedPartner {
  partnerAccountId: string;
  role: PartnerRole;
  /** Decimal text such as `33.33`. */
  splitPercent: string;
  /** The partner's share of the deal amount, in the deal currency, or null without an amount. */
  amount: string | null;
}

/** The attribution kept with the transition that closes a deal as won. */
export interface AttributionSnapshot {
  dealId: string;
  /** Deal amount as decimal text, or null. */
  amount: string | null;
  currencyIsoCode: string;
  /** The instant the snapshot was taken. */
  takenAt: string;
  partners: AttributedPartner[];
  /** Problems found when the snapshot was taken; empty for a valid attribution. */
  problems: AttributionProblem[];
}

/**
 * Splits an amount by percentages into shares rounded to `places` decimals.
 * When the splits total 100 the shares add up to the amount exactly: the units
 * lost to rounding go to the shares with the largest remainders.
 */
export function allocateAmount(
  amount: Decimal,
  splits: readonly Decimal[],
  places = 2,
): Decimal[] {
  const unit = new Decimal(10).pow(-places);
  const exact = splits.map((split) => amount.times(split).div(100));
  const shares = exact.map((share) =>
    share.toDecimalPlaces(places, Decimal.ROUND_DOWN),
  );
  const splitTotal = splits.reduce(
    (sum, split) => sum.plus(split),
    new Decimal(0),
  );
  if (!splitTotal.eq(100)) {
    return exact.map((share) =>
      share.toDecimalPlaces(places, Decimal.ROUND_HALF_UP),
    );
  }
  let left = amount
    .minus(shares.reduce((sum, share) => sum.plus(share), new Decimal(0)))
    .div(unit)
    .round()
    .toNumber();
  const order = exact
    .map((share, index) => ({ index, remainder: share.minus(shares[index]!) }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  for (
    let i = 0;
    left > 0 && order.length > 0;
    i = (i + 1) % order.length, left--
  ) {
    const index = order[i]!.index;
    shares[index] = shares[index]!.plus(unit);
  }
  return shares;
}

/**
 * Builds the attribution snapshot of a deal closing as won. Shares of the
 * amount are in the deal currency with two decimal places.
 */
export function buildAttributionSnapshot(
  deal: { id: string; amount: string | null; currencyIsoCode: string },
  partners: readonly LifecycleDealPartner[],
  takenAt: string,
): AttributionSnapshot {
  const problems = validateAttribution(partners);
  const splits = partners.map((row) => parseSplit(row.splitPercent));
  const amount =
    deal.amount === null ? null : parseAmount(deal.amount, 'Amount');
  const usable = splits.every((split): split is Decimal => split !== null);
  const shares =
    amount !== null && usable ? allocateAmount(amount, splits) : null;
  return {
    dealId: deal.id,
    amount: amount === null ? null : amount.toFixed(2),
    currencyIsoCode: deal.currencyIsoCode,
    takenAt,
    partners: partners.map((row, index) => ({
      partnerAccountId: row.partnerAccountId,
      role: row.role,
      splitPercent: splits[index]?.toFixed() ?? String(row.splitPercent),
      amount: shares?.[index]?.toFixed(2) ?? null,
    })),
    problems,
  };
}

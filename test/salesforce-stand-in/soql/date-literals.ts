import { DateTime } from 'luxon';

/** A half-open range [start, end) in the org's time zone. */
export interface DateRange {
  start: DateTime;
  end: DateTime;
}

type Unit = 'days' | 'weeks' | 'months' | 'quarters' | 'years';

const FIXED: Record<string, { unit: Unit; from: number; to: number }> = {
  YESTERDAY: { unit: 'days', from: -1, to: 0 },
  TODAY: { unit: 'days', from: 0, to: 1 },
  TOMORROW: { unit: 'days', from: 1, to: 2 },
  LAST_WEEK: { unit: 'weeks', from: -1, to: 0 },
  THIS_WEEK: { unit: 'weeks', from: 0, to: 1 },
  NEXT_WEEK: { unit: 'weeks', from: 1, to: 2 },
  LAST_MONTH: { unit: 'months', from: -1, to: 0 },
  THIS_MONTH: { unit: 'months', from: 0, to: 1 },
  NEXT_MONTH: { unit: 'months', from: 1, to: 2 },
  LAST_QUARTER: { unit: 'quarters', from: -1, to: 0 },
  THIS_QUARTER: { unit: 'quarters', from: 0, to: 1 },
  NEXT_QUARTER: { unit: 'quarters', from: 1, to: 2 },
  LAST_YEAR: { unit: 'years', from: -1, to: 0 },
  THIS_YEAR: { unit: 'years', from: 0, to: 1 },
  NEXT_YEAR: { unit: 'years', from: 1, to: 2 },
  // LAST_90_DAYS includes today; NEXT_90_DAYS starts tomorrow.
  LAST_90_DAYS: { unit: 'days', from: -90, to: 1 },
  NEXT_90_DAYS: { unit: 'days', from: 1, to: 91 },
};

const WITH_N: Record<
  string,
  (n: number) => { unit: Unit; from: number; to: number }
> = {
  LAST_N_DAYS: (n) => ({ unit: 'days', from: -n, to: 1 }),
  NEXT_N_DAYS: (n) => ({ unit: 'days', from: 1, to: n + 1 }),
  N_DAYS_AGO: (n) => ({ unit: 'days', from: -n, to: -n + 1 }),
  LAST_N_WEEKS: (n) => ({ unit: 'weeks', from: -n, to: 0 }),
  NEXT_N_WEEKS: (n) => ({ unit: 'weeks', from: 1, to: n + 1 }),
  N_WEEKS_AGO: (n) => ({ unit: 'weeks', from: -n, to: -n + 1 }),
  LAST_N_MONTHS: (n) => ({ unit: 'months', from: -n, to: 0 }),
  NEXT_N_MONTHS: (n) => ({ unit: 'months', from: 1, to: n + 1 }),
  N_MONTHS_AGO: (n) => ({ unit: 'months', from: -n, to: -n + 1 }),
  LAST_N_QUARTERS: (n) => ({ unit: 'quarters', from: -n, to: 0 }),
  NEXT_N_QUARTERS: (n) => ({ unit: 'quarters', from: 1, to: n + 1 }),
  N_QUARTERS_AGO: (n) => ({ unit: 'quarters', from: -n, to: -n + 1 }),
  LAST_N_YEARS: (n) => ({ unit: 'years', from: -n, to: 0 }),
  NEXT_N_YEARS: (n) => ({ unit: 'years', from: 1, to: n + 1 }),
  N_YEARS_AGO: (n) => ({ unit: 'years', from: -n, to: -n + 1 }),
};

/**
 * Returns the range a SOQL date literal (`TODAY`, `LAST_N_DAYS:30`) means at `now`
 * in `timeZone`. Weeks start on Sunday and quarters are calendar quarters. Returns
 * undefined for literals the stand-in does not know, such as the fiscal ones.
 */
export function dateLiteralRange(
  literal: string,
  now: Date,
  timeZone: string,
): DateRange | undefined {
  const [name, count] = literal.toUpperCase().split(':');
  const spec =
    count === undefined
      ? FIXED[name as string]
      : WITH_N[name as string]?.(Number(count));
  if (!spec) return undefined;
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const anchor = startOfUnit(today, spec.unit);
  return {
    start: anchor.plus({ [spec.unit]: spec.from }),
    end: anchor.plus({ [spec.unit]: spec.to }),
  };
}

function startOfUnit(today: DateTime, unit: Unit): DateTime {
  switch (unit) {
    case 'days':
      return today;
    case 'weeks':
      // Luxon weeks start on Monday (weekday 1); US-locale orgs start on Sunday (7).
      return today.minus({ days: today.weekday % 7 });
    case 'months':
      return today.startOf('month');
    case 'quarters':
      return today.startOf('quarter');
    case 'years':
      return today.startOf('year');
  }
}

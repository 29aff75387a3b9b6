/**
 * Fiscal years and quarters. A fiscal year starts on the first day of
 * `startMonth` and is named, as Salesforce's "Fiscal Year is Based On" setting
 * does, after the calendar year in which it starts or the one in which it ends:
 * with an April start, April 2026 to March 2027 is FY2026 when based on the
 * starting month and FY2027 when based on the ending month. Labels read
 * `FY2027` for a year and `FY2027-Q1` for a quarter.
 */
import { DomainError } from '../domain-error.js';
import { dateOfDayNumber, dayNumber, startOfLocalDay } from './calendar.js';

export interface FiscalCalendar {
  /** Month the fiscal year starts in, 1 (January) to 12. */
  startMonth: number;
  /** The calendar year that names the fiscal year: the one it starts in or ends in. */
  yearBasedOn: 'starting' | 'ending';
}

export interface FiscalPeriod {
  label: string;
  fiscalYear: number;
  /** 1 to 4; null for a whole fiscal year. */
  quarter: number | null;
  /** First day, `YYYY-MM-DD`. */
  start: string;
  /** Last day, `YYYY-MM-DD` (inclusive). */
  end: string;
}

const LABEL_PATTERN = /^FY(\d{4})(?:-Q([1-4]))?$/i;

/** Fails unless the calendar has a start month 1..12 and a known basis. */
export function requireFiscalCalendar(
  calendar: FiscalCalendar,
): FiscalCalendar {
  if (
    !Number.isInteger(calendar.startMonth) ||
    calendar.startMonth < 1 ||
    calendar.startMonth > 12
  ) {
    throw new DomainError(
      'invalid_request',
      `Fiscal start month ${calendar.startMonth} is not a month number.`,
      'Set the fiscal start month to a whole number from 1 (January) to 12 (December).',
      { value: calendar.startMonth },
    );
  }
  if (
    calendar.yearBasedOn !== 'starting' &&
    calendar.yearBasedOn !== 'ending'
  ) {
    throw new DomainError(
      'invalid_request',
      `Fiscal year basis "${String(calendar.yearBasedOn)}" is not known.`,
      'Set yearBasedOn to "starting" or "ending".',
      { value: calendar.yearBasedOn },
    );
  }
  return calendar;
}

/** Calendar year in which fiscal year `fiscalYear` starts. */
function startYearOf(fiscalYear: number, calendar: FiscalCalendar): number {
  const named = calendar.yearBasedOn === 'ending' && calendar.startMonth !== 1;
  return named ? fiscalYear - 1 : fiscalYear;
}

/** Day number of the first day of month `month` (1-based, may exceed 12) of `year`. */
function firstOfMonth(year: number, month: number): number {
  return Date.UTC(year, month - 1, 1) / 86_400_000;
}

/** Builds a period label such as `FY2027-Q1`, or `FY2027` without a quarter. */
export function formatFiscalLabel(
  fiscalYear: number,
  quarter: number | null,
): string {
  return quarter === null ? `FY${fiscalYear}` : `FY${fiscalYear}-Q${quarter}`;
}

/** Returns fiscal quarter `quarter` (1 to 4) of a fiscal year, or the whole year when null. */
export function fiscalPeriod(
  fiscalYear: number,
  quarter: number | null,
  calendar: FiscalCalendar,
): FiscalPeriod {
  requireFiscalCalendar(calendar);
  const year = startYearOf(fiscalYear, calendar);
  const firstMonth =
    calendar.startMonth + (quarter === null ? 0 : 3 * (quarter - 1));
  const months = quarter === null ? 12 : 3;
  return {
    label: formatFiscalLabel(fiscalYear, quarter),
    fiscalYear,
    quarter,
    start: dateOfDayNumber(firstOfMonth(year, firstMonth)),
    end: dateOfDayNumber(firstOfMonth(year, firstMonth + months) - 1),
  };
}

/** Parses `FY2027-Q1` or `FY2027` into its period. */
export function parseFiscalPeriod(
  label: string,
  calendar: FiscalCalendar,
): FiscalPeriod {
  const match = LABEL_PATTERN.exec(label.trim());
  if (!match) {
    throw new DomainError(
      'invalid_request',
      `Period "${label}" is not a fiscal period label.`,
      'Write a quarter as FY2027-Q1 or a year as FY2027.',
      { value: label },
    );
  }
  const quarter = match[2] === undefined ? null : Number(match[2]);
  return fiscalPeriod(Number(match[1]), quarter, calendar);
}

/** Returns the fiscal quarter that contains a `YYYY-MM-DD` date. */
export function fiscalQuarterOf(
  date: string,
  calendar: FiscalCalendar,
): FiscalPeriod {
  requireFiscalCalendar(calendar);
  dayNumber(date, 'date');
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const monthsIn = (month - calendar.startMonth + 12) % 12;
  const startYear = month >= calendar.startMonth ? year : year - 1;
  const named = calendar.yearBasedOn === 'ending' && calendar.startMonth !== 1;
  const fiscalYear = named ? startYear + 1 : startYear;
  return fiscalPeriod(fiscalYear, Math.floor(monthsIn / 3) + 1, calendar);
}

/** Returns the fiscal year that contains a `YYYY-MM-DD` date. */
export function fiscalYearOf(
  date: string,
  calendar: FiscalCalendar,
): FiscalPeriod {
  return fiscalPeriod(
    fiscalQuarterOf(date, calendar).fiscalYear,
    null,
    calendar,
  );
}

/** Returns the quarter `offset` quarters after (or, when negative, before) a quarter. */
export function shiftQuarter(
  period: FiscalPeriod,
  offset: number,
  calendar: FiscalCalendar,
): FiscalPeriod {
  if (period.quarter === null) {
    throw new DomainError(
      'invalid_request',
      `Period ${period.label} is a fiscal year, not a quarter.`,
      'Pass a quarter such as FY2027-Q1.',
      { value: period.label },
    );
  }
  const index = period.fiscalYear * 4 + (period.quarter - 1) + offset;
  return fiscalPeriod(Math.floor(index / 4), (index % 4) + 1, calendar);
}

/** Tells whether a `YYYY-MM-DD` date falls in a period; dates compare as text. */
export function periodContains(period: FiscalPeriod, date: string): boolean {
  return date >= period.start && date <= period.end;
}

/**
 * Returns the instants that bound a period in a time zone: its first day's
 * start, and the start of the day after its last day (exclusive).
 */
export function periodInstants(
  period: FiscalPeriod,
  zone: string,
): { start: string; end: string } {
  return {
    start: startOfLocalDay(period.start, zone),
    end: startOfLocalDay(
      dateOfDayNumber(dayNumber(period.end, 'end') + 1),
      zone,
    ),
  };
}

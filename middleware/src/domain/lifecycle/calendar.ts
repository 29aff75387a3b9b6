/**
 * Instants, calendar dates and time zones for the lifecycle calculations. Nothing
 * here reads the process time zone: every local date is taken in a named IANA zone.
 */
import { DateTime, IANAZone } from 'luxon';
import { DomainError } from '../domain-error.js';
import { StoredValueError } from '../stored-value.js';
import type { StoredField } from '../stored-value.js';

const MS_PER_DAY = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const OFFSET_PATTERN = /(?:Z|[+-]\d\d:?\d\d)$/i;

/** Fails unless `zone` is an IANA time zone name such as `Europe/Berlin`. */
export function requireTimeZone(zone: string): string {
  if (!IANAZone.isValidZone(zone)) {
    throw new DomainError(
      'invalid_request',
      `"${zone}" is not an IANA time zone.`,
      'Use a zone name such as America/New_York, Europe/Berlin or UTC.',
      { value: zone },
    );
  }
  return zone;
}

function isCanonicalInstant(text: string): boolean {
  return (
    text.length === 24 &&
    text.charCodeAt(23) === 90 && // Z
    text.charCodeAt(10) === 84 && // T
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(19) === 46
  );
}

/**
 * Returns an instant as `YYYY-MM-DDTHH:mm:ss.sssZ`, the form in which text order
 * is time order. Accepts ISO 8601 with `Z` or an offset (Salesforce writes
 * `+0000`); `field` names the value in the error.
 */
export function canonicalInstant(text: string, field: string): string {
  if (isCanonicalInstant(text)) return text;
  const millis = OFFSET_PATTERN.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new DomainError(
      'invalid_request',
      `${field} "${text}" is not an ISO 8601 instant with a time zone offset.`,
      'Write it like 2026-03-01T09:30:00Z or 2026-03-01T09:30:00+01:00.',
      { value: text },
    );
  }
  return new Date(millis).toISOString();
}

/**
 * Returns a stored instant in canonical form, like `canonicalInstant`. Fails
 * with a `StoredValueError` naming the record and field, because a malformed
 * stored instant is a data error, not an invalid request.
 */
export function storedInstant(text: string, source: StoredField): string {
  try {
    return canonicalInstant(text, source.field);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new StoredValueError(
      source,
      text,
      'an ISO 8601 instant with an offset, such as 2026-03-01T09:30:00Z',
    );
  }
}

/** Returns an instant as epoch milliseconds; see `canonicalInstant`. */
export function instantMillis(text: string, field: string): number {
  return Date.parse(canonicalInstant(text, field));
}

/** Returns the day number (days since 1970-01-01) of a `YYYY-MM-DD` date. */
export function dayNumber(date: string, field: string): number {
  const match = DATE_PATTERN.exec(date);
  const day = match
    ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
    : Number.NaN;
  if (!match || new Date(day).toISOString().slice(0, 10) !== date) {
    throw new DomainError(
      'invalid_request',
      `${field} "${date}" is not a calendar date.`,
      'Write dates as YYYY-MM-DD, such as 2026-03-31.',
      { value: date },
    );
  }
  return day / MS_PER_DAY;
}

/** Returns the `YYYY-MM-DD` text of a day number. */
export function dateOfDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Returns the calendar date of an instant in a time zone. */
export function localDate(instant: string, zone: string): string {
  const millis = instantMillis(instant, 'instant');
  return DateTime.fromMillis(millis, { zone }).toISODate() as string;
}

/**
 * Counts calendar days from one instant to a later one as seen in a time zone:
 * 23:30 on 9 March to 00:10 on 10 March is one day, whatever the hours between
 * (23 or 25 on a daylight-saving change). Negative when `to` is the earlier date.
 */
export function calendarDaysBetween(
  from: string,
  to: string,
  zone: string,
): number {
  return (
    dayNumber(localDate(to, zone), 'date') -
    dayNumber(localDate(from, zone), 'date')
  );
}

/**
 * Returns the instant at which a calendar date begins in a time zone, as
 * canonical ISO text. Where midnight does not exist (a daylight-saving change at
 * 00:00), the day begins at the first instant that does.
 */
export function startOfLocalDay(date: string, zone: string): string {
  dayNumber(date, 'date');
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return start.toUTC().toISO() as string;
}

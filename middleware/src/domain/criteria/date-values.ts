/**
 * Dates and date/times as formulas compute with them: a date is a whole number of
 * days since 1970-01-01, a date/time a number of milliseconds since
 * 1970-01-01T00:00:00Z. Parsing is by hand because it runs for every value read:
 * on Node 20, `Date.parse` of an ISO text took about 2.5 times as long.
 */
export const MS_PER_DAY = 86_400_000;

const DAYS_BEFORE_MONTH = [
  0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date, month 1-12. */
function dayNumber(year: number, month: number, day: number): number {
  const y = year - 1;
  const daysBeforeYear =
    365 * y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
  const leapDay = month > 2 && isLeapYear(year) ? 1 : 0;
  return (
    daysBeforeYear + DAYS_BEFORE_MONTH[month - 1]! + leapDay + day - 1 - 719_162
  );
}

/** Reads `count` digits at `start` as a number; returns -1 when one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Reads the two digits at `index` as a number; returns -1 when one is not a digit. */
function twoDigits(text: string, index: number): number {
  const tens = text.charCodeAt(index) - 48;
  const ones = text.charCodeAt(index + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9
    ? tens * 10 + ones
    : -1;
}

/** Days since 1970-01-01 of the `YYYY-MM-DD` at the start of `text`, or undefined. */
function leadingDate(text: string): number | undefined {
  if (
    text.length < 10 ||
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45
  ) {
    return undefined;
  }
  const century = twoDigits(text, 0);
  const yearOfCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12) {
    return undefined;
  }
  const year = century * 100 + yearOfCentury;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayNumber(year, month, day);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` text, or undefined when it is not one. */
export function parseDate(text: string): number | undefined {
  return text.length === 10 ? leadingDate(text) : undefined;
}

/** Minutes east of UTC of a `Z`, `+HH:MM` or `+HHMM` suffix at `start`, or undefined. */
function offsetMinutes(text: string, start: number): number | undefined {
  const rest = text.length - start;
  if (rest === 0) return 0;
  const sign = text.charAt(start);
  if (sign === 'Z' && rest === 1) return 0;
  if (sign !== '+' && sign !== '-') return undefined;
  const hours = twoDigits(text, start + 1);
  const minuteStart = text.charAt(start + 3) === ':' ? start + 4 : start + 3;
  if (text.length - minuteStart !== 2) return undefined;
  const minutes = twoDigits(text, minuteStart);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
  return (sign === '+' ? 1 : -1) * (hours * 60 + minutes);
}

/**
 * Milliseconds since the epoch of an ISO 8601 date/time such as
 * `2024-03-01T10:00:00.000Z` or Salesforce's `2024-03-01T10:00:00.000+0000`.
 * A text without an offset is read as UTC, and a bare date as its midnight UTC.
 * Returns undefined for anything else.
 */
export function parseDateTime(text: string): number | undefined {
  const day = leadingDate(text);
  if (day === undefined) return undefined;
  if (text.length === 10) return day * MS_PER_DAY;
  const separator = text.charAt(10);
  if ((separator !== 'T' && separator !== ' ') || text.charAt(13) !== ':') {
    return undefined;
  }

  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  let second = 0;
  let millisecond = 0;
  let index = 16;
  if (text.charAt(index) === ':') {
    second = twoDigits(text, 17);
    index = 19;
    if (text.charAt(index) === '.') {
      const fractionStart = index + 1;
      index = fractionStart;
      while (index < text.length && digits(text, index, 1) >= 0) index++;
      const count = Math.min(index - fractionStart, 3);
      // Digits past the milliseconds are dropped; no digit at all is invalid.
      millisecond =
        count === 0
          ? -1
          : digits(text, fractionStart, count) * 10 ** (3 - count);
    }
  }

  const offset = offsetMinutes(text, index);
  const valid =
    offset !== undefined &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    millisecond >= 0;
  if (!valid) return undefined;
  const secondOfDay = (hour * 60 + minute - offset) * 60 + second;
  return day * MS_PER_DAY + secondOfDay * 1000 + millisecond;
}

/**
 * First and last day of the dates Salesforce accepts, 1700-01-01 and 4000-12-31
 * (Salesforce Help article 000383587). Date arithmetic that leaves them gives blank.
 */
export const FIRST_DAY = dayNumber(1700, 1, 1);
export const LAST_DAY = dayNumber(4000, 12, 31);

/** Returns `day`, or null when it lies outside FIRST_DAY to LAST_DAY. */
export function dayInRange(day: number): number | null {
  return day >= FIRST_DAY && day <= LAST_DAY ? day : null;
}

/** Returns `ms`, or null when its UTC date lies outside FIRST_DAY to LAST_DAY. */
export function instantInRange(ms: number): number | null {
  return ms >= FIRST_DAY * MS_PER_DAY && ms < (LAST_DAY + 1) * MS_PER_DAY
    ? ms
    : null;
}

// NOTE: formatDate and formatDateTime expect years 0000 to 9999. Record values
// and date arithmetic stay inside them, but a date/time such as
// 0000-01-01T00:00:00+01:00 falls in year -1 and formats wrongly.

/** `YYYY-MM-DD` of a day number. */
export function formatDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A date/time as TEXT() in Salesforce returns it: `YYYY-MM-DD HH:MM:SSZ` in UTC. */
export function formatDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

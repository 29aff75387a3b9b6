import { Decimal } from 'decimal.js';
import {
  codePoint,
  CONTROL_CHARACTERS_IN_LINES,
  LONE_SURROGATE,
} from '../../domain/control-characters.js';
import { isIsoCurrencyCode } from '../../domain/lifecycle/money.js';
import {
  cutText,
  textLength,
  textLengthNote,
} from '../../domain/text-length.js';
import type { FieldValue } from '../../domain/records.js';
import {
  hasDateForm,
  isCalendarDate,
  isInSalesforceDateRange,
  nonexistentDateDetail,
  SALESFORCE_MAX_DATE,
  SALESFORCE_MIN_DATE,
} from '../../domain/salesforce-date.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { FieldSchema } from '../../domain/schema.js';
import { isDecimalText, storageOf } from './field-storage.js';

export type SqlValue = string | number | null;

/** A value that does not fit its field; `detail` gives the reason and the fix. */
export class FieldValueError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly detail: string,
  ) {
    super(`${field} = ${quoteFieldValue(value)}: ${detail}`);
    this.name = 'FieldValueError';
  }
}

/** Maximum UTF-16 code units of a text value that an error message quotes. */
const MAX_QUOTED_UNITS = 100;

/**
 * Returns the start of text for an error: at most {@link MAX_QUOTED_UNITS} code
 * units and never half an emoji, or the whole text when it is not longer. Store
 * errors reach the logs, which must not contain whole user text.
 */
export function leadingText(text: string): string {
  return cutText(text, MAX_QUOTED_UNITS);
}

/**
 * Quotes a value for a message as JSON does, but names a number JSON cannot
 * write, such as Infinity, which JSON.stringify turns into null. Text longer
 * than {@link MAX_QUOTED_UNITS} is cut by `leadingText` and ends in "…".
 */
function quoteFieldValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === 'string') {
    const leading = leadingText(value);
    if (leading !== value) return `${JSON.stringify(leading)}…`;
  }
  return JSON.stringify(value);
}

/** ISO 8601 date-time with a zone: `Z`, `+01:00` or Salesforce's `+0000`. */
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** A decimal number, with an optional exponent as JavaScript writes 1e+21. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Significant decimal digits that survive a round trip through a double
 * (DBL_DIG in C). Records carry numbers as doubles, as Salesforce's API returns
 * them, so a value with more digits would read back as another value.
 */
export const DOUBLE_DIGITS = 15;

/** Half-up rounding, as Salesforce rounds a value with more places than the scale. */
const StoreDecimal = Decimal.clone({ rounding: Decimal.ROUND_HALF_UP });

/**
 * Checks a record value against its field and converts it for storage. Blank
 * (`null`, `undefined`, `''`) is NULL, except a checkbox, which is false.
 * `referencePrefixes` are the key prefixes a lookup's Id may start with.
 */
export function toSqlValue(
  field: FieldSchema,
  value: unknown,
  referencePrefixes: readonly string[] = [],
): SqlValue {
  if (value === null || value === undefined || value === '') {
    return field.type === 'boolean' ? 0 : null;
  }
  const fail = (detail: string): never => {
    throw new FieldValueError(field.name, value, detail);
  };
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean'
        ? Number(value)
        : fail('is not a checkbox value; use true or false');
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return toNumber(field, value, fail);
    case 'date':
      if (typeof value !== 'string' || !hasDateForm(value)) {
        return fail('is not a date; use YYYY-MM-DD, such as 2027-01-31');
      }
      if (!isCalendarDate(value)) return fail(nonexistentDateDetail(value));
      if (!isInSalesforceDateRange(value)) {
        return fail(
          `is outside the dates Salesforce accepts; use a date from ${SALESFORCE_MIN_DATE} to ${SALESFORCE_MAX_DATE}`,
        );
      }
      return value;
    case 'datetime':
      return toInstant(value, fail);
    case 'id':
    case 'reference':
      return toIdValue(field, value, referencePrefixes, fail);
    case 'picklist':
    case 'multipicklist':
      return toPicklist(field, value, fail);
    default:
      return toText(field, value, fail);
  }
}

type Fail = (detail: string) => never;

function toNumber(field: FieldSchema, value: unknown, fail: Fail): SqlValue {
  const scale = storageOf(field) === 'INTEGER' ? 0 : field.scale;
  const outOfRange = () =>
    fail(
      `has a magnitude too large for a double-precision number, in which records are read; ${doubleLimitFix(scale)}`,
    );
  if (value === Infinity || value === -Infinity) return outOfRange();
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text.trim())) {
    return fail(`is not a number; use ${numberExample(field)}`);
  }
  const decimal = new StoreDecimal(text.trim());
  // decimal.js makes an exponent above 9e15 Infinity.
  if (!decimal.isFinite()) return outOfRange();
  if (storageOf(field) === 'INTEGER' && !decimal.isInteger()) {
    return fail('is not a whole number; this field has no decimal places');
  }
  const rounded =
    scale === undefined ? decimal : decimal.toDecimalPlaces(scale);
  const whole = rounded.abs().truncated();
  // Counted from the exponent, because toFixed() would write out all the
  // digits of a value such as 1e100000000.
  const digits = whole.isZero() ? 0 : whole.e + 1;
  const maxDigits =
    field.precision === undefined ? undefined : field.precision - (scale ?? 0);
  const tooManyDigits = () =>
    fail(
      `has ${digits} digits before the decimal point; this field allows ${maxDigits}`,
    );
  // The stricter of the field's precision and the double limit names the fix.
  const precisionBinds =
    maxDigits !== undefined && maxDigits <= DOUBLE_DIGITS - (scale ?? 0);
  if (precisionBinds && digits > maxDigits) return tooManyDigits();
  const significant = digits + (scale ?? rounded.decimalPlaces());
  if (significant > DOUBLE_DIGITS) {
    const counted =
      scale === undefined
        ? `has ${significant} digits`
        : `has ${digits} digits before the decimal point, which with this field's ${scale} decimal places makes ${significant} digits`;
    return fail(
      `${counted}, but records are read as double-precision numbers, which keep ${DOUBLE_DIGITS} exactly; ${doubleLimitFix(scale)}`,
    );
  }
  if (maxDigits !== undefined && digits > maxDigits) return tooManyDigits();
  const range = field.valueRange;
  if (
    range &&
    (rounded.lessThan(range.min) || rounded.greaterThan(range.max))
  ) {
    return fail(
      `is outside the range of this field; use a value from ${range.min} to ${range.max}`,
    );
  }
  if (!isDecimalText(field)) return rounded.toNumber();
  return scale === undefined ? rounded.toFixed() : rounded.toFixed(scale);
}

/** Names the largest value a field of this scale keeps exactly as a double. */
function doubleLimitFix(scale: number | undefined): string {
  if (scale === undefined || scale >= DOUBLE_DIGITS) {
    return `round it to ${DOUBLE_DIGITS} significant digits`;
  }
  const largest = new StoreDecimal(10)
    .pow(DOUBLE_DIGITS - scale)
    .minus(new StoreDecimal(10).pow(-scale));
  return `use a value from -${largest.toFixed(scale)} to ${largest.toFixed(scale)}`;
}

/** Describes a valid value of a number field with an example that fits it. */
export function numberExample(field: FieldSchema): string {
  const whole = storageOf(field) === 'INTEGER' || field.scale === 0;
  switch (field.type) {
    case 'currency':
      return whole ? 'an amount such as 1250' : 'an amount such as 1250.50';
    case 'percent':
      return whole
        ? 'a percentage without the % sign, such as 40'
        : 'a percentage without the % sign, such as 12.5';
    default:
      return whole ? 'a whole number such as 12' : 'a number such as 3.75';
  }
}

function toInstant(value: unknown, fail: Fail): string {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) {
    return fail(
      'is not a date-time with a time zone; use ISO 8601 such as 2027-01-31T09:30:00Z',
    );
  }
  // Date.parse reads `+01:00` but not Salesforce's `+0100`.
  const time = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time)
    ? fail('is not a valid date-time; check the day and the time')
    : new Date(time).toISOString();
}

function toIdValue(
  field: FieldSchema,
  value: unknown,
  prefixes: readonly string[],
  fail: Fail,
): string {
  if (!isSalesforceId(value)) {
    return fail('is not a 15- or 18-character Salesforce Id');
  }
  const id = toId18(value);
  if (prefixes.length > 0 && !prefixes.includes(id.slice(0, 3))) {
    const targets = field.referenceTo?.join(' or ') ?? 'this object';
    return fail(
      `is not an Id of ${targets}; use an Id that starts with ${prefixes.join(' or ')}`,
    );
  }
  return id;
}

function toPicklist(field: FieldSchema, value: unknown, fail: Fail): string {
  if (typeof value !== 'string')
    return fail('is not text; use a picklist value');
  const values = field.type === 'multipicklist' ? value.split(';') : [value];
  // A restricted CurrencyIsoCode picklist lists the org's currencies and is checked
  // below. Without one, as in local mode, any current ISO 4217 code is accepted.
  if (
    field.name === 'CurrencyIsoCode' &&
    !field.restrictedPicklist &&
    !isIsoCurrencyCode(value)
  ) {
    return fail(
      'is not a current ISO 4217 currency code; use a three-letter code in capitals, such as USD or EUR',
    );
  }
  if (field.restrictedPicklist) {
    const allowed = field.picklistValues ?? [];
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length > 0) {
      return fail(
        `${unknown.map((v) => `"${v}"`).join(', ')} is not a value of this restricted picklist; use one of: ${allowed.join(', ')}`,
      );
    }
  }
  return toText(field, value, fail);
}

function toText(field: FieldSchema, value: unknown, fail: Fail): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return fail('is not text');
  }
  const text = String(value);
  // The HTTP API rejects the same characters in free text.
  const control = CONTROL_CHARACTERS_IN_LINES.exec(text);
  if (control) {
    return fail(
      `contains the control character ${codePoint(control[0])}; remove it (tabs and line breaks may stay)`,
    );
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    return fail(
      `contains the lone UTF-16 surrogate ${codePoint(surrogate[0])}, which is not a Unicode character and has no UTF-8 encoding; remove it or add its other half`,
    );
  }
  const length = textLength(text);
  if (field.length !== undefined && length > field.length) {
    return fail(
      `has ${length} characters, more than the field's ${field.length}${textLengthNote(text)}; shorten it`,
    );
  }
  if (field.type === 'email' && !EMAIL.test(text)) {
    return fail('is not an email address; use a form such as name@example.com');
  }
  return text;
}

/**
 * Converts a stored value back to the record shape of `domain/records.ts`: numbers
 * as JavaScript numbers (or, with `exactDecimals`, decimal fields as their stored
 * text, for money) and checkboxes as booleans. A decimal field whose stored text
 * is not a number is returned as that text.
 */
export function fromSqlValue(
  field: FieldSchema,
  value: unknown,
  exactDecimals = false,
): FieldValue {
  if (value === null || value === undefined) {
    return field.type === 'boolean' ? false : null;
  }
  if (field.type === 'boolean') return value === 1 || value === true;
  if (isDecimalText(field)) {
    if (exactDecimals) return String(value);
    // Stored text that is no number (written around the store's checks) stays
    // text, so that a reader's error can show it instead of NaN.
    const number = Number(value);
    return Number.isNaN(number) ? String(value) : number;
  }
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

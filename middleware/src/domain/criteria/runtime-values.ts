import { RecordValueError } from './criteria-error.js';
import { parseDate, parseDateTime } from './date-values.js';
import type { ExactNumber } from './exact-number.js';
import { parseExact } from './exact-number.js';
import type { FormulaType } from './formula-type.js';

/**
 * Runtime value of an expression. Numbers are exact numbers, text and picklists are
 * strings, dates are days since 1970-01-01, date/times are epoch milliseconds, and
 * null is blank.
 */
export type RuntimeValue = boolean | ExactNumber | string | null;

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Parses the number in a text such as " 12.50 "; returns null for other text. */
export function numberOfText(text: string): ExactNumber | null {
  const trimmed = text.trim();
  return NUMBER_TEXT.test(trimmed) ? parseExact(trimmed) : null;
}

function isBlankRaw(raw: unknown): boolean {
  return raw === null || raw === undefined || raw === '';
}

function convertOther(
  type: FormulaType,
  raw: unknown,
  path: string,
  criterionName: string,
): RuntimeValue {
  const reject = (expected: string): never => {
    throw new RecordValueError(criterionName, path, raw, expected);
  };
  switch (type) {
    case 'boolean':
      if (raw === null || raw === undefined) return false;
      if (raw === 1 || raw === 0) return raw === 1;
      return reject('a boolean');
    case 'number': {
      if (isBlankRaw(raw)) return null;
      const parsed = typeof raw === 'string' ? numberOfText(raw) : null;
      return parsed ?? reject('a number');
    }
    case 'text':
    case 'picklist':
    case 'multipicklist':
      if (raw === null || raw === undefined) return null;
      if (typeof raw === 'number' || typeof raw === 'boolean') {
        return String(raw);
      }
      return reject('text');
    case 'date': {
      if (isBlankRaw(raw)) return null;
      const day = typeof raw === 'string' ? parseDate(raw) : undefined;
      return day ?? reject('a date in the form YYYY-MM-DD');
    }
    case 'datetime': {
      if (isBlankRaw(raw)) return null;
      const ms = typeof raw === 'string' ? parseDateTime(raw) : undefined;
      return ms ?? reject('an ISO 8601 date/time');
    }
    case 'null':
      return null;
  }
  return reject('a value of a supported type');
}

/**
 * Converts a record's raw value of a field of `type` to its runtime value. A value
 * that does not fit the type raises RecordValueError naming the criterion and path.
 * The common cases are tested first, inline.
 */
export function convertValue(
  type: FormulaType,
  raw: unknown,
  path: string,
  criterionName: string,
): RuntimeValue {
  if (
    typeof raw === 'string' &&
    (type === 'text' || type === 'picklist' || type === 'multipicklist')
  ) {
    return raw;
  }
  if (typeof raw === 'boolean' && type === 'boolean') return raw;
  if (typeof raw === 'number' && type === 'number' && Number.isFinite(raw)) {
    return raw;
  }
  return convertOther(type, raw, path, criterionName);
}

/** Returns whether a runtime value of `type` is blank. For text, "" is blank. */
export function isBlankValue(type: FormulaType, value: RuntimeValue): boolean {
  if (type === 'text' || type === 'picklist' || type === 'multipicklist') {
    return value === null || value === '';
  }
  return value === null;
}

/**
 * Validates cells against their column type and turns them into the text each
 * format writes. Every writer goes through `canonicalCell`, so a value that is
 * invalid in one format is invalid in all of them.
 */
import { Decimal } from 'decimal.js';
import { isCalendarDate } from '../domain/salesforce-date.js';
import { readCell } from './columns.js';
import type { Column, ColumnType } from './columns.js';
import {
  describeValue,
  invalidStoredValue,
  ReportError,
} from './report-error.js';

const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const DATETIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * First characters that make a spreadsheet read a cell as a formula. They are
 * the OWASP CSV injection list (`=`, `+`, `-`, `@`, tab, carriage return) and
 * the full-width forms of the first four. csv-stringify 6.9's `escape_formulas`
 * prefixes those too, because Apple Numbers folds them to ASCII.
 */
const FORMULA_STARTS = new Set([
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\uFF1D',
  '\uFF0B',
  '\uFF0D',
  '\uFF20',
]);

/** The prefix that turns a would-be formula into text (the OWASP advice). */
export const NEUTRALIZING_PREFIX = "'";

/** Tells whether a text cell would be read as a formula by a spreadsheet. */
export function startsLikeFormula(text: string): boolean {
  return text.length > 0 && FORMULA_STARTS.has(text[0]!);
}

/** Prefixes text that a spreadsheet would read as a formula. */
export function neutralizeFormula(text: string): string {
  return startsLikeFormula(text) ? NEUTRALIZING_PREFIX + text : text;
}

function numberText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  // String() switches to exponent form below 1e-6 and from 1e21.
  return text.includes('e') ? new Decimal(value).toFixed() : text;
}

/** Tells whether an instant that matches `DATETIME` has a real date and time. */
function isRealInstant(text: string): boolean {
  return (
    isCalendarDate(text.slice(0, 10)) &&
    Number(text.slice(11, 13)) < 24 &&
    Number(text.slice(14, 16)) < 60 &&
    !Number.isNaN(Date.parse(text))
  );
}

/** Values each type accepts, as error messages state them. */
const EXPECTED: Record<ColumnType, string> = {
  text: 'text, a number or a boolean',
  integer: 'a safe integer or integer text such as "42"',
  number: 'a finite number or decimal text such as "1.5"',
  currency: 'decimal text such as "-12.50"',
  percent: 'a finite number or decimal text such as "33.33"',
  boolean: 'true or false',
  date: 'a YYYY-MM-DD date',
  datetime: 'an ISO 8601 instant with an offset, such as 2026-03-01T09:30:00Z',
};

/** Returns the canonical text of a valid non-empty cell, or undefined. */
function canonicalText(type: ColumnType, value: string | number | boolean) {
  switch (type) {
    case 'text':
      return String(value);
    case 'integer':
      if (typeof value === 'number')
        return Number.isSafeInteger(value) ? String(value) : undefined;
      return typeof value === 'string' && INTEGER.test(value)
        ? value
        : undefined;
    case 'number':
    case 'percent':
      if (typeof value === 'number') return numberText(value);
      return typeof value === 'string' && DECIMAL.test(value)
        ? value
        : undefined;
    case 'currency':
      return typeof value === 'string' && DECIMAL.test(value)
        ? value
        : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : undefined;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? value
        : undefined;
    case 'datetime':
      return typeof value === 'string' &&
        DATETIME.test(value) &&
        isRealInstant(value)
        ? value
        : undefined;
  }
}

/**
 * Reads a cell from a row, checks it against its column and returns its
 * canonical text, or null for an empty cell. Fails with a `ReportError`: for a
 * column read from a stored field, one naming the record, field and stored
 * value, and otherwise one naming the row, column and value.
 */
export function canonicalCell<Row>(
  column: Column<Row>,
  row: Row,
  rowNumber: number,
): string | null {
  const value = readCell(column, row);
  if (value === null || value === undefined) return null;
  const text = canonicalText(column.type, value);
  if (text !== undefined) return text;
  const source = column.source?.(row);
  if (source) {
    throw invalidStoredValue(source, value, EXPECTED[column.type]);
  }
  const fix =
    column.type === 'currency' && typeof value === 'number'
      ? 'Pass amounts as decimal text so that no amount passes through binary floating point.'
      : `Make the formatter of column "${column.key}" return ${EXPECTED[column.type]}, or null for an empty cell.`;
  throw new ReportError(
    'invalid_report_value',
    `Row ${rowNumber}, column "${column.key}" (${column.type}): ${describeValue(value)} (${typeof value}) is not ${EXPECTED[column.type]}.`,
    fix,
    value,
  );
}

/** Returns the JSON text of a canonical cell: numbers bare, amounts as strings. */
export function jsonCell(type: ColumnType, text: string | null): string {
  if (text === null) return 'null';
  switch (type) {
    case 'integer':
    case 'number':
    case 'percent':
    case 'boolean':
      return text;
    default:
      // Amounts stay decimal text, as in the API, so no reader rounds them.
      return JSON.stringify(text);
  }
}

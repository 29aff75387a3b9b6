import type { FieldSchema } from '../../middleware/src/domain/schema.js';
import { jsonParserError, SalesforceApiError } from './api-error.js';
import type { StoredValue } from './record-store.js';
import { normalizeId } from './salesforce-id.js';

const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'email',
  'url',
  'phone',
  'picklist',
  'multipicklist',
]);
const NUMBER_TYPES = new Set(['double', 'int', 'currency', 'percent']);
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function invalidValue(
  field: FieldSchema,
  errorCode: string,
  message: string,
): SalesforceApiError {
  return new SalesforceApiError(400, errorCode, message, [field.name]);
}

function cannotDeserialize(typeName: string, raw: unknown): SalesforceApiError {
  const token = typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE_OTHER';
  return jsonParserError(
    `Cannot deserialize instance of ${typeName} from ${token} value ${String(raw)} or request may be missing a required field`,
  );
}

/**
 * Converts a JSON value from a write request to the value the field stores, with
 * the error Salesforce returns for a value of the wrong type, too long, outside a
 * restricted picklist or not an Id. Blank text and `null` store `null`, except on
 * a checkbox, which stores `false`. Reference targets are checked by the caller,
 * which can see the other records.
 */
export function coerceFieldValue(
  field: FieldSchema,
  raw: unknown,
): StoredValue {
  if (field.type === 'boolean') return coerceBoolean(raw);
  if (raw === null || raw === undefined || raw === '') return null;
  if (field.type === 'reference' || field.type === 'id') {
    return coerceId(field, raw);
  }
  if (TEXT_TYPES.has(field.type)) return coerceText(field, raw);
  if (NUMBER_TYPES.has(field.type)) return coerceNumber(field, raw);
  if (field.type === 'date') return coerceDate(raw);
  if (field.type === 'datetime') return coerceDateTime(raw);
  throw new Error(`Field type ${field.type} of ${field.name} is not handled`);
}

function coerceBoolean(raw: unknown): boolean {
  if (raw === null || raw === undefined || raw === '') return false;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw cannotDeserialize('boolean', raw);
}

function coerceId(field: FieldSchema, raw: unknown): string {
  const id = typeof raw === 'string' ? normalizeId(raw) : null;
  if (id === null) {
    throw invalidValue(
      field,
      'MALFORMED_ID',
      `${field.label}: id value of incorrect type: ${String(raw)}`,
    );
  }
  return id;
}

function coerceText(field: FieldSchema, raw: unknown): string {
  if (typeof raw === 'object') throw cannotDeserialize('string', raw);
  const value = String(raw);
  if (field.length !== undefined && value.length > field.length) {
    throw invalidValue(
      field,
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${value} (max length=${field.length})`,
    );
  }
  if (field.type === 'email' && !EMAIL_PATTERN.test(value)) {
    throw invalidValue(
      field,
      'INVALID_EMAIL_ADDRESS',
      `${field.label}: invalid email address: ${value}`,
    );
  }
  if (field.restrictedPicklist && field.picklistValues) {
    const allowed = field.picklistValues;
    const chosen = field.type === 'multipicklist' ? value.split(';') : [value];
    const bad = chosen.find((item) => !allowed.includes(item));
    if (bad !== undefined) {
      throw invalidValue(
        field,
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${field.label}: bad value for restricted picklist field: ${bad}`,
      );
    }
  }
  return value;
}

function coerceNumber(field: FieldSchema, raw: unknown): number {
  const value =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && raw.trim() !== ''
        ? Number(raw)
        : NaN;
  if (!Number.isFinite(value)) {
    throw cannotDeserialize(field.type === 'int' ? 'int' : 'double', raw);
  }
  const scale = field.type === 'int' ? 0 : field.scale;
  const rounded =
    scale === undefined ? value : Number(value.toFixed(Math.min(scale, 15)));
  if (field.precision !== undefined) {
    const wholeDigits = field.precision - (scale ?? 0);
    if (Math.abs(Math.trunc(rounded)) >= 10 ** wholeDigits) {
      throw invalidValue(
        field,
        'NUMBER_OUTSIDE_VALID_RANGE',
        `${field.label}: value outside of valid range on numeric field: ${value}`,
      );
    }
  }
  return rounded;
}

/** Parses `YYYY-MM-DD` (a date-time keeps its date part); null when it is no calendar date. */
export function parseDate(text: string): string | null {
  const datePart =
    text.length > 10 && text[10] === 'T' ? text.slice(0, 10) : text;
  const match = DATE_PATTERN.exec(datePart);
  if (!match) return null;
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? datePart
    : null;
}

/** Parses an ISO 8601 date-time (or a date, read as midnight UTC) to Salesforce's output form. */
export function parseDateTime(text: string): string | null {
  if (parseDate(text.slice(0, 10)) === null) return null;
  const normalized = text
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    .replace(/^(\d{4}-\d{2}-\d{2})$/, '$1T00:00:00Z');
  if (
    !/T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(normalized)
  ) {
    return null;
  }
  const millis = Date.parse(normalized);
  return Number.isNaN(millis) ? null : formatDateTime(millis);
}

/** Salesforce's REST form of a date-time: `2024-05-01T09:30:00.000+0000`. */
export function formatDateTime(millis: number): string {
  return new Date(millis).toISOString().replace('Z', '+0000');
}

function coerceDate(raw: unknown): string {
  const value = typeof raw === 'string' ? parseDate(raw) : null;
  if (value === null) throw cannotDeserialize('date', raw);
  return value;
}

function coerceDateTime(raw: unknown): string {
  const value = typeof raw === 'string' ? parseDateTime(raw) : null;
  if (value === null) throw cannotDeserialize('datetime', raw);
  return value;
}

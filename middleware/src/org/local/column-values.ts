import type { FieldValue } from '../../domain/records.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { FieldSchema, ObjectSchema } from '../../domain/schema.js';

/** SQLite column type for a describe field type. */
export function columnType(field: FieldSchema): 'TEXT' | 'INTEGER' | 'REAL' {
  switch (field.type) {
    case 'boolean':
    case 'int':
      return 'INTEGER';
    case 'double':
      return field.scale === 0 ? 'INTEGER' : 'REAL';
    default:
      // Currency and percent stay exact decimal text; dates and date-times ISO text.
      return 'TEXT';
  }
}

export type SqlValue = string | number | null;

/** A record value that does not fit its field, with the fix. */
export class FieldValueError extends Error {
  constructor(
    readonly objectName: string,
    readonly field: string,
    readonly value: unknown,
    detail: string,
  ) {
    super(`${objectName}.${field} = ${JSON.stringify(value)}: ${detail}`);
    this.name = 'FieldValueError';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Checks a record value against its field and converts it for storage. */
export function toSqlValue(
  object: ObjectSchema,
  field: FieldSchema,
  value: unknown,
): SqlValue {
  const fail = (detail: string): never => {
    throw new FieldValueError(object.name, field.name, value, detail);
  };
  if (value === null || value === undefined || value === '') {
    return field.type === 'boolean' ? 0 : null;
  }
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value ? 1 : 0;
      return fail('must be true or false');
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const text =
        typeof value === 'number' ? String(value) : String(value).trim();
      if (typeof value !== 'number' && typeof value !== 'string') {
        return fail('must be a number');
      }
      if (
        !DECIMAL.test(text) &&
        !(typeof value === 'number' && Number.isFinite(value))
      ) {
        return fail('must be a number such as 1250.50');
      }
      if (columnType(field) === 'TEXT') return text;
      return Number(text);
    }
    case 'date':
      if (
        typeof value !== 'string' ||
        !DATE.test(value) ||
        Number.isNaN(Date.parse(value))
      ) {
        return fail('must be a date in YYYY-MM-DD form');
      }
      return value;
    case 'datetime': {
      const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(time)) return fail('must be an ISO 8601 date-time');
      return new Date(time).toISOString();
    }
    case 'id':
    case 'reference':
      if (!isSalesforceId(value)) {
        return fail('must be a 15- or 18-character Salesforce Id');
      }
      return toId18(value);
    case 'picklist':
      if (typeof value !== 'string') return fail('must be text');
      if (field.restrictedPicklist && !field.picklistValues?.includes(value)) {
        return fail(
          `is not a value of this restricted picklist; use one of: ${(field.picklistValues ?? []).join(', ')}`,
        );
      }
      return value;
    default:
      if (typeof value !== 'string' && typeof value !== 'number') {
        return fail('must be text');
      }
      if (field.length && String(value).length > field.length) {
        return fail(`is longer than the field's ${field.length} characters`);
      }
      return String(value);
  }
}

/** Converts a stored value back to the record shape of `domain/records.ts`. */
export function fromSqlValue(field: FieldSchema, value: unknown): FieldValue {
  if (value === null || value === undefined) {
    return field.type === 'boolean' ? false : null;
  }
  switch (field.type) {
    case 'boolean':
      return value === 1 || value === true;
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return typeof value === 'number' ? value : Number(value);
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

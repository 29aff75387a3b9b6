import { Decimal } from 'decimal.js';
import type { FieldValue, RecordData } from '../domain/records.js';
import type { FieldSchema, ObjectSchema } from '../domain/schema.js';
import { isDecimalText } from '../org/local/field-storage.js';
import {
  FieldValueError,
  fromSqlValue,
  toSqlValue,
} from '../org/local/field-values.js';
import type { SqlValue } from '../org/local/field-values.js';
import { quoteValue } from './quote-value.js';

/**
 * Returns `value` in the record form the store returns after writing it, such as
 * 99.5 as 100 in a percent field without decimal places. A value the store rejects
 * is returned as given, so that writing it reports the problem.
 */
export function storedValue(
  field: FieldSchema | undefined,
  value: FieldValue,
): FieldValue {
  const stored = field && toStoredOrUndefined(field, value);
  if (stored === undefined) return value;
  return fromSqlValue(field!, stored);
}

/**
 * Describes each number the store rounds to its field's scale. Salesforce rounds
 * such values half up when it saves them, and so does the store.
 */
export function roundingNotes(
  object: ObjectSchema,
  data: RecordData,
): string[] {
  const notes: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    const field = object.fields[name];
    if (!field || !isDecimalText(field) || value === null) continue;
    const stored = toStoredOrUndefined(field, value as FieldValue);
    if (stored === undefined || stored === null) continue;
    if (new Decimal(String(value).trim()).equals(String(stored))) continue;
    const places = field.scale === 1 ? 'decimal place' : 'decimal places';
    notes.push(
      `${name} ${quoteValue(value)} was rounded to ${stored}, because the field has ${field.scale} ${places}`,
    );
  }
  return notes;
}

function toStoredOrUndefined(
  field: FieldSchema,
  value: FieldValue,
): SqlValue | undefined {
  try {
    return toSqlValue(field, value);
  } catch (error) {
    if (error instanceof FieldValueError) return undefined;
    throw error;
  }
}

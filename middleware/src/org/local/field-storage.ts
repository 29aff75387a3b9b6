import type { FieldSchema } from '../../domain/schema.js';

/**
 * SQLite storage of each describe field type. Checkboxes and whole numbers are
 * INTEGER (0/1 for checkboxes). Currency, percent and numbers with decimal places
 * are TEXT decimals rounded to the field's scale, so money stays exact. Dates are
 * `YYYY-MM-DD` text, date-times ISO 8601 text in UTC, Ids 18-character text.
 */
export type StorageClass = 'TEXT' | 'INTEGER';

export function storageOf(field: FieldSchema): StorageClass {
  switch (field.type) {
    case 'boolean':
    case 'int':
      return 'INTEGER';
    case 'double':
      return field.scale === 0 ? 'INTEGER' : 'TEXT';
    default:
      return 'TEXT';
  }
}

/** Tells whether the field stores an exact decimal as text. */
export function isDecimalText(field: FieldSchema): boolean {
  return (
    field.type === 'currency' ||
    field.type === 'percent' ||
    (field.type === 'double' && field.scale !== 0)
  );
}

/**
 * Returns what a stored value depends on: the type, and for decimals the
 * precision and scale. The store records it per column, and when it changes the
 * stored values are checked against the new definition.
 */
export function fieldSignature(field: FieldSchema): string {
  if (isDecimalText(field)) {
    return `${field.type}(${field.precision ?? ''},${field.scale ?? ''})`;
  }
  return field.type;
}

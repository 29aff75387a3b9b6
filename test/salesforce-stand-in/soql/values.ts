import type { FieldSchema } from '../../../middleware/src/domain/schema.js';
import type { StoredValue } from '../record-store.js';

/** How values of a field type compare in SOQL. */
export type ValueCategory =
  | 'text'
  | 'multipicklist'
  | 'id'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime';

export function categoryOf(field: FieldSchema): ValueCategory {
  switch (field.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'double':
    case 'int':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'multipicklist':
      return 'multipicklist';
    default:
      return 'text';
  }
}

/** A value ready to compare: text case-folded, date-times as epoch milliseconds. */
export type Comparable = string | number | boolean;

/** Milliseconds of a stored date-time (`2024-05-01T09:30:00.000+0000`). */
export function dateTimeMillis(text: string): number {
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

export function toComparable(
  category: ValueCategory,
  value: StoredValue,
): Comparable | null {
  if (value === null) return null;
  switch (category) {
    case 'text':
    case 'multipicklist':
      return String(value).toLowerCase();
    case 'datetime':
      return dateTimeMillis(String(value));
    default:
      return value;
  }
}

export function compareValues(a: Comparable, b: Comparable): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Orders stored values for ORDER BY: text ignores case; nulls are placed by the caller. */
export function compareStored(
  category: ValueCategory,
  a: StoredValue,
  b: StoredValue,
): number {
  const left = toComparable(category, a);
  const right = toComparable(category, b);
  if (left === null || right === null) {
    return left === right ? 0 : left === null ? -1 : 1;
  }
  return compareValues(left, right);
}

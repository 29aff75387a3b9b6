import type { FieldType } from '../schema.js';

/**
 * Type of a formula expression. `picklist` is the type of a picklist field, usable
 * only in ISPICKVAL and TEXT; `null` is the type of the NULL literal, accepted
 * wherever a value of any other type is.
 */
export type FormulaType =
  | 'boolean'
  | 'number'
  | 'text'
  | 'picklist'
  | 'multipicklist'
  | 'date'
  | 'datetime'
  | 'null';

const FIELD_TYPES: Partial<Record<FieldType, FormulaType>> = {
  boolean: 'boolean',
  double: 'number',
  int: 'number',
  currency: 'number',
  percent: 'number',
  string: 'text',
  textarea: 'text',
  url: 'text',
  email: 'text',
  phone: 'text',
  id: 'text',
  reference: 'text',
  picklist: 'picklist',
  multipicklist: 'multipicklist',
  date: 'date',
  datetime: 'datetime',
};

/** Returns the formula type of a field type, or undefined when criteria cannot read it. */
export function formulaTypeOf(fieldType: string): FormulaType | undefined {
  return FIELD_TYPES[fieldType as FieldType];
}

const TYPE_NAMES: Record<FormulaType, string> = {
  boolean: 'a boolean',
  number: 'a number',
  text: 'text',
  picklist: 'a picklist',
  multipicklist: 'a multi-select picklist',
  date: 'a date',
  datetime: 'a date/time',
  null: 'NULL',
};

/** Describes the type as a noun phrase for messages, such as "a number". */
export function describeType(type: FormulaType): string {
  return TYPE_NAMES[type];
}

import type { RecordData } from '../domain/records.js';

/** The model a deal without `Cosell_Model__c` follows. */
export const DEFAULT_MODEL_NAME = 'Default';

/** Reads the deal's `Cosell_Model__c`, or `Default` when it is blank. */
export function dealModelName(deal: RecordData): string {
  const name = deal['Cosell_Model__c'];
  return typeof name === 'string' && name !== '' ? name : DEFAULT_MODEL_NAME;
}

/** Reads a text field, or null when it is blank or not text. */
export function textField(deal: RecordData, field: string): string | null {
  const value = deal[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

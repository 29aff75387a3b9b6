import { storedValueMessage } from '../domain/stored-value.js';
import type { StoredField } from '../domain/stored-value.js';

export { describeValue } from '../domain/stored-value.js';
export type { StoredField } from '../domain/stored-value.js';

/**
 * A report could not be written: a cell value does not fit its column's type, a
 * stored field value is invalid, or a report name or format is unknown. `code`
 * is stable for API problems, and `fix` states what the caller should do next.
 */
export class ReportError extends Error {
  constructor(
    readonly code:
      | 'invalid_report_value'
      | 'invalid_stored_value'
      | 'unknown_report'
      | 'unsupported_format',
    message: string,
    readonly fix: string,
    readonly value?: unknown,
    /** The record and field of an `invalid_stored_value`. */
    readonly source?: StoredField,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

/**
 * Builds the error of a stored value that a report cannot read. The data is
 * wrong, not the request, so the fix is to correct the field on the record.
 */
export function invalidStoredValue(
  source: StoredField,
  value: unknown,
  expected: string,
): ReportError {
  const { object, recordId, field } = source;
  return new ReportError(
    'invalid_stored_value',
    storedValueMessage(source, value, expected),
    `Correct ${field} on ${object} ${recordId} in Salesforce, or in the local store when exporting from it, then export again.`,
    value,
    source,
  );
}

/**
 * Stored values that a reader cannot use: a field that contains malformed data,
 * for example written around the middleware's checks by a data fix. The data
 * is wrong, not the request, so the error names the record and field to fix.
 */
import { DomainError } from './domain-error.js';

/** A field of one stored record, by API names. */
export interface StoredField {
  /** Object API name, such as `Opportunity`. */
  object: string;
  recordId: string;
  /** Field API name, such as `Amount`. */
  field: string;
}

/** Quotes a value for a message, cut to 60 characters. */
export function describeValue(value: unknown): string {
  const quoted =
    typeof value === 'string' ? JSON.stringify(value) : String(value);
  return quoted.length > 60 ? `${quoted.slice(0, 57)}...` : quoted;
}

/** Builds the message that names the record, the field and the stored value. */
export function storedValueMessage(
  source: StoredField,
  value: unknown,
  expected: string,
): string {
  const { object, recordId, field } = source;
  return `${object} ${recordId} has the invalid ${field} ${describeValue(value)}: it is not ${expected}.`;
}

/**
 * A stored value that a use case (the forecast, the scorecard, a transition
 * read) cannot use. Its code is `invalid_stored_value`, which the API sends
 * as a 500 problem.
 */
export class StoredValueError extends DomainError {
  constructor(
    readonly source: StoredField,
    readonly value: unknown,
    expected: string,
  ) {
    const { object, recordId, field } = source;
    super(
      'invalid_stored_value',
      storedValueMessage(source, value, expected),
      `Correct ${field} on ${object} ${recordId} in Salesforce, or in the local store when it is the source, then try again.`,
      { value },
    );
    this.name = 'StoredValueError';
  }
}

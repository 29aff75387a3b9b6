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
    fix?: string,
  ) {
    const { object, recordId, field } = source;
    super(
      'invalid_stored_value',
      storedValueMessage(source, value, expected),
      fix ??
        `Correct ${field} on ${object} ${recordId} in Salesforce, or in the local store when it is the source, then try again.`,
      { value },
    );
    this.name = 'StoredValueError';
  }
}

/**
 * A field that a read selected and the record it returned lacks. Salesforce
 * returns every selected field, `null` when blank, and the local store has a
 * column for each, so the response was changed on its way. It has no value,
 * so `value` is undefined and the problem leaves it out.
 */
export class MissingStoredFieldError extends StoredValueError {
  constructor(source: StoredField) {
    const { object, recordId, field } = source;
    super(
      source,
      undefined,
      'present',
      `Check what sits between the middleware and the store of record, such as a proxy or gateway in front of the org, which left ${field} out of the response, then try again.`,
    );
    this.message = `${object} ${recordId} was read without its ${field}, which the read selected: the response of the store of record lacks the field.`;
    this.name = 'MissingStoredFieldError';
  }
}

/**
 * A deal value that a criterion cannot read, such as text in a date/time
 * field. `source.field` is the path the criterion reads. For a field of a
 * child record, such as a `Deal_Partner__c` row, that path starts at the
 * child record, whose Id the criteria runtime does not report.
 */
export class CriterionValueError extends StoredValueError {
  constructor(
    dealId: string,
    path: string,
    value: unknown,
    expected: string,
    readonly criterionName: string,
    options: {
      /** The path starts at a child record of the deal, not at the deal. */
      childRecord: boolean;
      /** The reader may not see the value, so `value` and the message leave it out. */
      hideValue: boolean;
    },
  ) {
    const source = { object: 'Opportunity', recordId: dealId, field: path };
    const owner = options.childRecord
      ? `a child record of Opportunity ${dealId}`
      : `Opportunity ${dealId}`;
    super(
      source,
      options.hideValue ? undefined : value,
      expected,
      `Correct ${path} on ${owner} in Salesforce, or in the local store when it is the source, then try again.`,
    );
    const stored = options.hideValue
      ? `${upperFirst(owner)} has an invalid ${path}, whose value this user may not see: it is not ${expected}.`
      : `${upperFirst(owner)} has the invalid ${path} ${describeValue(value)}: it is not ${expected}.`;
    this.message = `${stored} Criterion ${criterionName} reads it, so the deal's criteria cannot be evaluated.`;
    this.name = 'CriterionValueError';
  }
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

import {
  BIDI_CONTROL_RANGES,
  BIDI_CONTROLS,
  codePoint,
} from '../domain/control-characters.js';
import type { FieldValue } from '../domain/records.js';
import {
  hasDateForm,
  isCalendarDate,
  nonexistentDateDetail,
} from '../domain/salesforce-date.js';
import { isSalesforceId, toId18 } from '../domain/salesforce-id.js';
import type { FieldSchema } from '../domain/schema.js';
import { numberExample } from '../org/local/field-values.js';
import { quoteValue, shortenText } from './quote-value.js';
import { invalidIdReason, RecordProblem } from './record-ids.js';

/**
 * Converts a value from an export file to the form its field takes in a record,
 * replacing an `@reference` with the Id in `references`. Throws a RecordProblem
 * naming the field when the value does not fit.
 */
export function coerce(
  field: FieldSchema,
  raw: unknown,
  references: Map<string, string>,
): FieldValue {
  if (raw === null || raw === undefined || raw === '') {
    return field.type === 'boolean' ? false : null;
  }
  if (typeof raw === 'object') {
    const kind = Array.isArray(raw) ? 'a JSON array' : 'a JSON object';
    throw new RecordProblem(
      `${field.name} is ${kind}, not a single value; give it one value such as text, a number, true or false, or leave the field out`,
    );
  }
  const text = String(raw);
  const fail = (expected: string): never => {
    throw new RecordProblem(
      `${field.name} ${quoteValue(text)} is not ${expected}`,
    );
  };
  switch (field.type) {
    case 'reference':
    case 'id': {
      if (text.startsWith('@')) {
        const id = references.get(text.slice(1));
        if (!id) {
          throw new RecordProblem(
            `${field.name} refers to ${shortenText(text)}, which no imported record defines; add the file with that record to the plan, or fix the problem listed for that record`,
          );
        }
        return id;
      }
      if (isSalesforceId(text)) return toId18(text);
      throw new RecordProblem(
        invalidIdReason(
          field.name,
          text,
          'use the Id of the record it refers to, or the @referenceId of a record in the import',
        ),
      );
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (/^(true|1)$/i.test(text)) return true;
      if (/^(false|0)$/i.test(text)) return false;
      return fail('true or false');
    case 'double':
    case 'int':
    case 'currency':
    case 'percent':
      if (typeof raw === 'number') {
        if (Number.isFinite(raw)) return raw;
        throw new RecordProblem(
          `${field.name} is a JSON number out of range: its magnitude is above 1.8e308, the largest double-precision number, ` +
            `so JSON.parse reads it as ${raw}; use ${numberExample(field)}`,
        );
      }
      // An exponent passes, so that the store names the limit of a value
      // such as 1e308 that is too large for the field.
      return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text.trim())
        ? text.trim()
        : fail(`a number; use ${numberExample(field)}`);
    case 'date':
      if (!hasDateForm(text)) return fail('a date in YYYY-MM-DD form');
      if (!isCalendarDate(text)) {
        throw new RecordProblem(
          `${field.name} ${quoteValue(text)} ${nonexistentDateDetail(text)}`,
        );
      }
      return text;
    case 'datetime': {
      const time = Date.parse(text);
      return Number.isNaN(time)
        ? fail('an ISO 8601 date-time')
        : new Date(time).toISOString();
    }
    default: {
      // The HTTP API rejects the same characters in free text.
      const bidi = BIDI_CONTROLS.exec(text);
      if (bidi) {
        throw new RecordProblem(
          `${field.name} ${quoteValue(text)} contains the bidirectional control character ${codePoint(bidi[0])}, ` +
            `which makes the text display in another order than it is stored; remove it (${BIDI_CONTROL_RANGES})`,
        );
      }
      return text;
    }
  }
}

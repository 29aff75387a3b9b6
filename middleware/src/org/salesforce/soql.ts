import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';

/**
 * Quotes text as a SOQL string literal. Backslashes are escaped first, then
 * quotes, so an input's own backslash can never un-escape the quote after it.
 * Line breaks and tabs become SOQL escapes, so a literal stays on one line. `%`
 * and `_` are literal outside LIKE, and no query here uses LIKE.
 */
export function soqlString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\f/g, '\\f')
    .replaceAll('\b', '\\b');
  return `'${escaped}'`;
}

/**
 * Quotes a record Id, widened to 18 characters. Throws for text that is not an
 * Id, so no caller-supplied text reaches a query unchecked.
 */
export function soqlId(id: string): string {
  return `'${recordId(id)}'`;
}

/** Checks a record Id and widens it to 18 characters, for SOQL and REST paths. */
export function recordId(id: string): string {
  if (!isSalesforceId(id)) {
    throw new TypeError(
      `"${id}" is not a 15- or 18-character Salesforce Id; pass a record Id`,
    );
  }
  return toId18(id);
}

/** `('a', 'b')` for `IN`, from Ids widened to 18 characters. */
export function soqlIdList(ids: readonly string[]): string {
  return `(${ids.map(soqlId).join(', ')})`;
}

/**
 * Formats a SOQL date-time literal in UTC, to the second. SOQL date-time literals
 * are unquoted, in the form `YYYY-MM-DDThh:mm:ssZ`.
 */
export function soqlDateTime(instant: string | Date): string {
  const millis =
    instant instanceof Date ? instant.getTime() : Date.parse(instant);
  if (Number.isNaN(millis)) {
    throw new TypeError(
      `"${String(instant)}" is not an ISO 8601 date-time; pass one such as 2025-01-31T12:00:00Z`,
    );
  }
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

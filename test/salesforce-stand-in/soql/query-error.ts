import { SalesforceApiError } from '../api-error.js';

/**
 * Builds a SOQL error in Salesforce's form: the query line, a caret under the
 * token, `ERROR at Row:R:Column:C`, then the message. The caret goes under the
 * first whole-word match of `token` (ignoring case), or column 1 without one.
 */
export function queryError(
  soql: string,
  token: string | undefined,
  errorCode: string,
  message: string,
): SalesforceApiError {
  const { row, column, line } = locate(soql, token);
  const caret = `${' '.repeat(column - 1)}^`;
  return new SalesforceApiError(
    400,
    errorCode,
    `\n${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${message}`,
  );
}

/**
 * Builds the MALFORMED_QUERY error for SOQL the stand-in does not execute, so a
 * caller never gets a result that would differ from Salesforce's.
 */
export function unsupported(
  soql: string,
  token: string | undefined,
  feature: string,
): SalesforceApiError {
  return queryError(
    soql,
    token,
    'MALFORMED_QUERY',
    `${feature} is not supported by the Salesforce stand-in; rewrite the query without it or extend test/salesforce-stand-in/soql`,
  );
}

function locate(
  soql: string,
  token: string | undefined,
): { row: number; column: number; line: string } {
  const lines = soql.split('\n');
  if (token) {
    const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(
      `(^|[^A-Za-z0-9_])(${escaped})(?![A-Za-z0-9_])`,
      'i',
    );
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index] as string;
      const match = pattern.exec(line);
      if (match) {
        const column = match.index + (match[1] as string).length + 1;
        return { row: index + 1, column, line };
      }
    }
  }
  return { row: 1, column: 1, line: lines[0] ?? '' };
}

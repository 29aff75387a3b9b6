import { stringify } from 'csv-stringify/sync';
import type { CompiledQuery } from './soql/compile.js';
import type { JsonRecord } from './soql/execute.js';

/** Bulk API 2.0 column delimiters by name. */
export const COLUMN_DELIMITERS: Record<string, string> = {
  COMMA: ',',
  TAB: '\t',
  SEMICOLON: ';',
  PIPE: '|',
  CARET: '^',
  BACKQUOTE: '`',
};

/** Returns the CSV header of a query's results: one column per selected field path. */
export function csvColumns(query: CompiledQuery): string[] {
  return query.select.flatMap((item) =>
    item.kind === 'field' ? [item.path.path] : [],
  );
}

/**
 * Returns one CSV row per record, read along each column's path: blanks are empty
 * strings and date-times use the `Z` form Bulk API 2.0 writes.
 */
export function csvRows(columns: string[], records: JsonRecord[]): string[][] {
  return records.map((record) =>
    columns.map((column) => {
      let value: unknown = record;
      for (const part of column.split('.')) {
        value =
          value === null || value === undefined
            ? null
            : (value as Record<string, unknown>)[part];
      }
      return formatCell(value);
    }),
  );
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    return /^\d{4}-\d{2}-\d{2}T.*\+0000$/.test(value)
      ? value.replace('+0000', 'Z')
      : value;
  }
  return String(value);
}

/** Renders a header and rows as Bulk API 2.0 does: every field quoted. */
export function renderCsv(
  columns: string[],
  rows: string[][],
  delimiter: string,
  lineEnding: 'LF' | 'CRLF',
): string {
  return stringify([columns, ...rows], {
    quoted: true,
    quoted_empty: true,
    delimiter,
    record_delimiter: lineEnding === 'CRLF' ? 'windows' : 'unix',
  });
}

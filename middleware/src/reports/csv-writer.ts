/**
 * Streaming CSV per RFC 4180: CRLF after every record, fields quoted when they
 * contain a comma, a quote, CR or LF, and quotes doubled inside quoted fields
 * (csv-stringify does the quoting). UTF-8, with an optional byte order mark so
 * that Excel detects the encoding.
 *
 * Text cells that a spreadsheet would run as a formula get a leading `'` (see
 * `neutralizeFormula`). Numeric columns are written as bare numbers and never
 * prefixed, so a negative amount stays `-12.50`.
 */
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Options as StringifyOptions } from 'csv-stringify/sync';
import { writeBatched } from './batched-output.js';
import type { BatchOptions, WriteResult } from './batched-output.js';
import { canonicalCell, neutralizeFormula } from './cell-encoding.js';
import type { Column } from './columns.js';

export interface CsvOptions extends BatchOptions {
  /** Start with a UTF-8 byte order mark (for Excel); false when absent. */
  bom?: boolean;
  /** Write the header record; true when absent. */
  header?: boolean;
}

const STRINGIFY_OPTIONS: StringifyOptions = {
  record_delimiter: '\r\n',
  // With an explicit record delimiter csv-stringify 6.9 quotes only fields that
  // contain the whole CRLF; RFC 4180 readers need a lone CR or LF quoted too.
  quote_record_delimiter: true,
  eof: true,
  quote: '"',
  escape: '"',
};

export class CsvWriter<Row> {
  private readonly columns: readonly Column<Row>[];
  private readonly options: CsvOptions;

  constructor(columns: readonly Column<Row>[], options: CsvOptions = {}) {
    this.columns = columns;
    this.options = options;
  }

  /** Encodes one row as CSV fields. */
  cells(row: Row, rowNumber: number): string[] {
    const cells = new Array<string>(this.columns.length);
    for (let index = 0; index < this.columns.length; index++) {
      const column = this.columns[index]!;
      const text = canonicalCell(column, row, rowNumber);
      if (text === null) cells[index] = '';
      else
        cells[index] = column.type === 'text' ? neutralizeFormula(text) : text;
    }
    return cells;
  }

  /** Writes the rows to `out`, waiting for `drain` when its buffer is full. */
  writeRows(
    rows: AsyncIterable<Row> | Iterable<Row>,
    out: Writable,
  ): Promise<WriteResult> {
    const header = this.options.header ?? true;
    const bom = this.options.bom ?? false;
    return writeBatched(
      rows,
      out,
      {
        start: () =>
          (bom ? '\uFEFF' : '') +
          (header
            ? stringify(
                [
                  this.columns.map((column) =>
                    neutralizeFormula(column.header),
                  ),
                ],
                STRINGIFY_OPTIONS,
              )
            : ''),
        rows: (batch, first) =>
          stringify(
            batch.map((row, index) => this.cells(row, first + index)),
            STRINGIFY_OPTIONS,
          ),
        finish: () => '',
      },
      this.options,
    );
  }
}

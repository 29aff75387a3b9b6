/**
 * Streaming markdown (GitHub-flavoured) tables: a header row, a delimiter row
 * that right-aligns numeric columns, then one row per record. Cells are escaped
 * as the sync agenda escapes them: backslashes and pipes get a backslash, and
 * line breaks become spaces, so no value ends its cell or row early.
 */
import type { Writable } from 'node:stream';
import { escapeCell } from '../domain/lifecycle/agenda-markdown.js';
import { writeBatched } from './batched-output.js';
import type { BatchOptions, WriteResult } from './batched-output.js';
import { canonicalCell } from './cell-encoding.js';
import { NUMERIC_TYPES } from './columns.js';
import type { Column } from './columns.js';

export interface MarkdownOptions extends BatchOptions {
  /** A `#` heading written before the table. */
  title?: string;
  /** Written instead of the table when there are no rows; a table with only headers when absent. */
  emptyText?: string;
}

function tableLine(cells: readonly string[]): string {
  return `| ${cells.map(escapeCell).join(' | ')} |\n`;
}

export class MarkdownWriter<Row> {
  private readonly columns: readonly Column<Row>[];
  private readonly options: MarkdownOptions;

  constructor(columns: readonly Column<Row>[], options: MarkdownOptions = {}) {
    this.columns = columns;
    this.options = options;
  }

  private head(): string {
    const headers = tableLine(this.columns.map((column) => column.header));
    const delimiters = this.columns.map((column) =>
      NUMERIC_TYPES.has(column.type) ? ' ---: ' : ' --- ',
    );
    return `${headers}|${delimiters.join('|')}|\n`;
  }

  /** Writes the rows as a table to `out`, waiting for `drain` when its buffer is full. */
  writeRows(
    rows: AsyncIterable<Row> | Iterable<Row>,
    out: Writable,
  ): Promise<WriteResult> {
    const title = this.options.title;
    const empty = this.options.emptyText;
    let written = 0;
    return writeBatched(
      rows,
      out,
      {
        start: () =>
          (title === undefined ? '' : `# ${escapeCell(title)}\n\n`) +
          (empty === undefined ? this.head() : ''),
        rows: (batch, first) => {
          let text = written === 0 && empty !== undefined ? this.head() : '';
          batch.forEach((row, index) => {
            const cells = this.columns.map(
              (column) => canonicalCell(column, row, first + index) ?? '',
            );
            text += tableLine(cells);
          });
          written += batch.length;
          return text;
        },
        finish: () =>
          written === 0 && empty !== undefined ? `${empty}\n` : '',
      },
      this.options,
    );
  }
}

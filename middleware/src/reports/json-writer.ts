/**
 * Streaming JSON: one array of row objects, or NDJSON (one object per line).
 * Properties are the column keys in column order. Numeric and boolean columns
 * are JSON numbers and booleans. `currency`, dates and text are strings, so an
 * amount keeps its exact decimal text as it does in the API.
 */
import type { Writable } from 'node:stream';
import { writeBatched } from './batched-output.js';
import type { BatchOptions, WriteResult } from './batched-output.js';
import { canonicalCell, jsonCell } from './cell-encoding.js';
import type { Column } from './columns.js';

export interface JsonOptions extends BatchOptions {
  /** `array` (the default) or `ndjson`. */
  layout?: 'array' | 'ndjson';
}

export class JsonWriter<Row> {
  private readonly columns: readonly Column<Row>[];
  private readonly keys: string[];
  private readonly options: JsonOptions;

  constructor(columns: readonly Column<Row>[], options: JsonOptions = {}) {
    this.columns = columns;
    this.keys = columns.map((column) => `${JSON.stringify(column.key)}:`);
    this.options = options;
  }

  /** Encodes one row as a JSON object. */
  object(row: Row, rowNumber: number): string {
    let text = '{';
    for (let index = 0; index < this.columns.length; index++) {
      const column = this.columns[index]!;
      const cell = canonicalCell(column, row, rowNumber);
      if (index > 0) text += ',';
      text += this.keys[index]! + jsonCell(column.type, cell);
    }
    return `${text}}`;
  }

  /** Writes the rows to `out`, waiting for `drain` when its buffer is full. */
  writeRows(
    rows: AsyncIterable<Row> | Iterable<Row>,
    out: Writable,
  ): Promise<WriteResult> {
    const ndjson = this.options.layout === 'ndjson';
    let written = 0;
    return writeBatched(
      rows,
      out,
      {
        start: () => (ndjson ? '' : '['),
        rows: (batch, first) => {
          let text = '';
          for (let index = 0; index < batch.length; index++) {
            const object = this.object(batch[index]!, first + index);
            if (ndjson) text += `${object}\n`;
            else text += `${written === 0 ? '\n' : ',\n'}${object}`;
            written++;
          }
          return text;
        },
        finish: () => {
          if (ndjson) return '';
          return written === 0 ? ']\n' : '\n]\n';
        },
      },
      this.options,
    );
  }
}

/**
 * A report: its stable columns, how its rows are built from plain input data,
 * and, for some reports, a markdown document or an SVG chart of the same input.
 */
import type { Column } from './columns.js';

export const REPORT_FORMATS = ['csv', 'json', 'ndjson', 'md', 'svg'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Media type of each format, with the charset where the type has one. */
export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
};

export interface ReportDefinition<Input, Row> {
  /** The name in `GET /v1/reports/{name}` and in file names. */
  name: string;
  title: string;
  /** One sentence on what one row is. */
  description: string;
  columns: readonly Column<Row>[];
  /** Builds the rows; an input that carries an async iterable is read once. */
  rows(input: Input): AsyncIterable<Row> | Iterable<Row>;
  /** A whole markdown document, for reports whose markdown is more than one table. */
  markdown?(input: Input): string | Promise<string>;
  /** An SVG chart of the report. */
  svg?(input: Input): Promise<string>;
}

/**
 * Writes one report in one format to a stream: the entry point for the API
 * route and the sf command. Tables stream through the CSV, JSON or markdown
 * writer; a report's own markdown document or SVG chart is written whole.
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { writeBatched } from './batched-output.js';
import { CsvWriter } from './csv-writer.js';
import { JsonWriter } from './json-writer.js';
import { MarkdownWriter } from './markdown-writer.js';
import type { ReportDefinition, ReportFormat } from './report-definition.js';
import { ReportError } from './report-error.js';

export interface ExportOptions {
  /** Start a CSV with a UTF-8 byte order mark, for Excel. */
  bom?: boolean;
  batchRows?: number;
  /** End the output when done; true when absent. */
  end?: boolean;
  logger?: Logger;
}

/**
 * The size of a written export: its table records, or null rows for a report's
 * own markdown document or SVG chart, which has none.
 */
export interface ReportWriteResult {
  rows: number | null;
  /** UTF-8 bytes written, the byte order mark included. */
  bytes: number;
}

async function writeDocument(
  text: string,
  out: Writable,
  options: ExportOptions,
): Promise<ReportWriteResult> {
  const { bytes } = await writeBatched<never>(
    [],
    out,
    { start: () => text, rows: () => '', finish: () => '' },
    options,
  );
  return { rows: null, bytes };
}

async function writeFormat<Input, Row>(
  definition: ReportDefinition<Input, Row>,
  input: Input,
  format: ReportFormat,
  out: Writable,
  options: ExportOptions,
): Promise<ReportWriteResult> {
  const columns = definition.columns;
  switch (format) {
    case 'csv':
      return new CsvWriter(columns, options).writeRows(
        definition.rows(input),
        out,
      );
    case 'json':
    case 'ndjson':
      return new JsonWriter(columns, {
        ...options,
        layout: format === 'ndjson' ? 'ndjson' : 'array',
      }).writeRows(definition.rows(input), out);
    case 'md':
      if (definition.markdown) {
        return writeDocument(await definition.markdown(input), out, options);
      }
      return new MarkdownWriter(columns, {
        ...options,
        title: definition.title,
      }).writeRows(definition.rows(input), out);
    case 'svg':
      if (!definition.svg) {
        throw new ReportError(
          'unsupported_format',
          `The ${definition.name} report has no SVG chart.`,
          'Ask for csv, json or ndjson, or for the funnel or forecast chart.',
          format,
        );
      }
      return writeDocument(await definition.svg(input), out, options);
  }
}

/**
 * Writes the report and logs its size and duration. Rows count table records;
 * a whole markdown document or SVG has null rows.
 */
export async function exportReport<Input, Row>(
  definition: ReportDefinition<Input, Row>,
  input: Input,
  format: ReportFormat,
  out: Writable,
  options: ExportOptions = {},
): Promise<ReportWriteResult> {
  const started = performance.now();
  const result = await writeFormat(definition, input, format, out, options);
  options.logger?.info(
    {
      report: definition.name,
      format,
      rows: result.rows,
      bytes: result.bytes,
      durationMs: Math.round(performance.now() - started),
    },
    'report exported',
  );
  return result;
}

import { createReadStream } from 'node:fs';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse';
import type { InfoRecord } from 'csv-parse';
import type { RecordData } from '../domain/records.js';
import { ImportFileError } from './data-tree.js';
import type { SourceRecord } from './import-types.js';
import {
  MAX_PARSER_MESSAGE_LENGTH,
  quoteValue,
  shortenText,
} from './quote-value.js';
import { createUtf8DecodeStream } from './utf8-text.js';

/** csv-parse codes of a quote that does not open or close a cell where it should. */
const QUOTE_ERRORS = new Set([
  'CSV_QUOTE_NOT_CLOSED',
  'CSV_INVALID_CLOSING_QUOTE',
  'INVALID_OPENING_QUOTE',
]);

/** The fix for a file saved from a spreadsheet in another CSV dialect. */
const SAVE_AS_CSV =
  'save the file as CSV UTF-8 with commas between cells and the field API names on line 1 (in Excel: Save As, CSV UTF-8), and import it again';

/**
 * The cell text that sets a field to null. Data Loader's Bulk API loads read it
 * as a null, while a blank cell leaves the field alone unless "Insert null
 * values" is on.
 */
export const NULL_CELL = '#N/A';

/** csv-parse codes of a record with more or fewer cells than the header. */
const COUNT_ERRORS = new Set([
  'CSV_RECORD_INCONSISTENT_COLUMNS',
  'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH',
]);

/**
 * Reads a Data Loader CSV export of one object (Opportunity by default). Headers are
 * field API names in any case, as Data Loader writes them. A blank cell is listed in
 * the record's `blankCells`, and a cell of `#N/A` is a null to write.
 */
export async function readDataLoaderCsv(
  file: string,
  objectName = 'Opportunity',
): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  // The line the last parsed record ended on, so a record's first line is the
  // next one, even when a quoted cell spans lines. Line 1 is the header. on_record
  // keeps it, because once parsing fails, the loop below gets none of the records
  // the parser had buffered.
  let lastLine = 1;
  // csv-parse counts a CRLF inside a quoted cell as two lines, where an editor
  // shows one, so each one seen is taken off its count.
  let quotedCrlfs = 0;
  // A file of blank lines has no header row, or one of blank names.
  let header: string[] | undefined;
  let blankRecords = true;
  const source = createReadStream(file);
  const parser = parse({
    columns: (row: string[]) => {
      header = row.map((h) => h.trim());
      checkSeparator(file, header);
      checkRepeatedColumns(file, header);
      return header;
    },
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
    on_record: (record: Record<string, string>, context: InfoRecord) => {
      const line = lastLine + 1;
      for (const value of Object.values(record)) {
        quotedCrlfs += value.split('\r\n').length - 1;
      }
      lastLine = context.lines - quotedCrlfs;
      return { record, line };
    },
  });
  // The parser gets whole UTF-8 characters, and an invalid byte fails the
  // import instead of loading as U+FFFD.
  const decoder = createUtf8DecodeStream(file, 'csv');
  // pipe() does not pass on errors, such as ENOENT or an invalid byte.
  // Destroying the parser with them makes the loop below raise them.
  source.once('error', (error) => parser.destroy(error));
  decoder.once('error', (error) => parser.destroy(error));
  source.pipe(decoder).pipe(parser);
  const name = path.basename(file);
  try {
    for await (const { record, line } of parser as AsyncIterable<{
      record: Record<string, string>;
      line: number;
    }>) {
      if (header && repeatsHeader(record)) {
        throw new ImportFileError(
          file,
          `repeats the header row on line ${line}, as when two exports are joined, so nothing was imported; remove that line, check that the records after it have the same columns, and import the file again`,
        );
      }
      const fields: RecordData = {};
      const blankCells = new Set<string>();
      for (const [column, value] of Object.entries(record)) {
        if (value === '') blankCells.add(column);
        fields[column] = value === '' || value === NULL_CELL ? null : value;
        if (value.trim() !== '') blankRecords = false;
      }
      records.push({
        objectName,
        origin: `${name} line ${line}`,
        blankCells,
        fields,
      });
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(
      file,
      readFailure(error, lastLine + 1, header?.length ?? 0),
    );
  }
  const blankHeader = !header || header.every((column) => column === '');
  if (blankHeader && blankRecords) {
    throw new ImportFileError(
      file,
      'is empty and has no header row; export the records again with Data Loader, whose CSV starts with a header row of field API names such as ID,NAME,STAGENAME',
    );
  }
  if (records.length === 0) {
    throw new ImportFileError(file, 'has a header but no records');
  }
  return records;
}

/** Returns whether every cell of a record is its own column's name, as in a header row. */
function repeatsHeader(record: Record<string, string>): boolean {
  return Object.entries(record).every(
    ([column, value]) =>
      column !== '' && value.trim().toLowerCase() === column.toLowerCase(),
  );
}

/**
 * Rejects the two spreadsheet dialects that Data Loader never writes: Excel's
 * `sep=` first line, and cells separated by semicolons or tabs, which would
 * otherwise report every field missing. A semicolon in any column counts,
 * because no field API name has one. A tab counts only in a header of one
 * column, because a comma-separated header may quote a name with a tab, which
 * the import then lists as skipped.
 */
function checkSeparator(file: string, header: string[]): void {
  if (/^sep=/i.test(header[0] ?? '')) {
    throw new ImportFileError(
      file,
      `starts with the spreadsheet line ${quoteValue(header.join(','))} instead of the header row, so nothing was imported; ${SAVE_AS_CSV}`,
    );
  }
  const semicolon = header.find((column) => column.includes(';'));
  const tab =
    header.length === 1 && header[0]!.includes('\t') ? header[0] : undefined;
  const column = semicolon ?? tab;
  if (column === undefined) return;
  const name = column === semicolon ? 'a semicolon' : 'a tab';
  throw new ImportFileError(
    file,
    `has ${name} in the header column ${quoteValue(column)}, but the import reads comma-separated files as Data Loader writes them, so nothing was imported; ${SAVE_AS_CSV}`,
  );
}

/**
 * Rejects a header that names a column twice, ignoring case as the import does,
 * because csv-parse would keep only the last of the two cells of each row.
 */
function checkRepeatedColumns(file: string, header: string[]): void {
  const seen = new Map<string, number>();
  for (const [index, column] of header.entries()) {
    if (column === '') continue;
    const first = seen.get(column.toLowerCase());
    if (first !== undefined) {
      throw new ImportFileError(
        file,
        `names the column ${quoteValue(column)} twice in the header (columns ${first + 1} and ${index + 1}), so nothing was imported; remove or rename one of them and import the file again`,
      );
    }
    seen.set(column.toLowerCase(), index);
  }
}

/**
 * Explains why the CSV could not be read, naming `line` for a misplaced quote or
 * a record whose cell count differs from the header's `columns`.
 */
function readFailure(error: unknown, line: number, columns: number): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist; check the path';
  if (code === 'EISDIR') {
    return 'is a folder; pass the CSV file that Data Loader exported';
  }
  if (code === 'EACCES') {
    return 'cannot be read (EACCES); check its permissions';
  }
  const detail = shortenText(
    (error as Error).message,
    MAX_PARSER_MESSAGE_LENGTH,
  );
  if (error instanceof CsvError && QUOTE_ERRORS.has(error.code)) {
    // Skipping the bad record is not safe, because csv-parse cannot tell where it
    // ends. With skip_records_with_error, the good rows after it were lost.
    const where = error.header
      ? 'the header (line 1)'
      : `the record that starts on line ${line}`;
    // A spreadsheet that quotes each cell and separates them with semicolons
    // or tabs fails here, on the quote after the first cell.
    const dialect = error.header
      ? '; if the file separates cells with semicolons or tabs, ' + SAVE_AS_CSV
      : '';
    return (
      `has a misplaced quote in ${where} (${detail}), so nothing was imported; ` +
      'inside a quoted cell write each " as "", quote every cell that contains a quote, and import the file again' +
      dialect
    );
  }
  if (error instanceof CsvError && COUNT_ERRORS.has(error.code)) {
    // Like a misplaced quote, an unquoted comma shifts the cells, so the record
    // cannot be read as the header describes it.
    const cells = (error as CsvError & { record?: unknown[] }).record?.length;
    return (
      `has ${cells ?? 'a different number of'} cells in the record that starts on line ${line}, but the header has ${columns} columns, so nothing was imported; ` +
      'give every row as many cells as the header, quote every cell that contains a comma, and import the file again'
    );
  }
  return `is not a valid CSV file (${detail}); export it again with Data Loader`;
}

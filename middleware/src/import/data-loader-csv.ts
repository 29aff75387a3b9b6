import { createReadStream } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import type { RecordData } from '../domain/records.js';
import { ImportFileError } from './data-tree.js';
import { shortenText } from './quote-value.js';
import type { SourceRecord } from './import-types.js';

/**
 * Reads a Data Loader CSV export of one object (Opportunity by default). Headers are
 * field API names in any case, as Data Loader writes them; blank cells are blank.
 */
export async function readDataLoaderCsv(
  file: string,
  objectName = 'Opportunity',
): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  const source = createReadStream(file);
  const parser = parse({
    columns: (header: string[]) => header.map((h) => h.trim()),
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
  });
  // pipe() does not pass on the file's errors, such as ENOENT. Destroying the
  // parser with them makes the loop below raise them.
  source.once('error', (error) => parser.destroy(error));
  source.pipe(parser);
  const name = path.basename(file);
  try {
    let line = 1;
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      line += 1;
      const fields: RecordData = {};
      for (const [header, value] of Object.entries(row)) {
        fields[header] = value === '' ? null : value;
      }
      records.push({ objectName, origin: `${name} line ${line}`, fields });
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportFileError(
      file,
      code === 'ENOENT'
        ? 'does not exist; check the path'
        : code === 'EISDIR'
          ? 'is a folder; pass the CSV file that Data Loader exported'
          : code === 'EACCES'
            ? 'cannot be read (EACCES); check its permissions'
            : `is not a valid CSV file (${shortenText((error as Error).message)}); export it again with Data Loader`,
    );
  }
  if (records.length === 0) {
    throw new ImportFileError(file, 'has a header but no records');
  }
  return records;
}

/**
 * Loads a Salesforce export into the local store:
 *   npm run import -- FILE [--db PATH] [--object NAME]
 * FILE is a data tree plan or data file (`sf data export tree --plan`) or a Data
 * Loader CSV export (of Opportunity unless --object names another object).
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadBaseConfig, requirePackageDir } from '../middleware/src/config.js';
import { readDataLoaderCsv } from '../middleware/src/import/data-loader-csv.js';
import { readDataTree } from '../middleware/src/import/data-tree.js';
import {
  findObject,
  importRecords,
  unknownObjectReason,
} from '../middleware/src/import/import-records.js';
import {
  quoteValue,
  formatName,
} from '../middleware/src/import/quote-value.js';
import { readForceAppSchema } from '../middleware/src/org/force-app/index.js';
import { openLocalGateway } from '../middleware/src/org/local/local-gateway.js';
import { STOP_SIGNAL_EXIT_CODES } from '../middleware/src/cli/stop-signals.js';
import type { StopSignal } from '../middleware/src/cli/stop-signals.js';
import { noteStoreFiles } from '../middleware/src/start-files.js';
import { runScript } from './run-script.js';

const USAGE =
  'Usage: npm run import -- FILE [--db PATH] [--object NAME]\n' +
  '  FILE      a data tree plan (.json), a data tree data file, or a Data Loader CSV\n' +
  '  --db      the local store file (default: COSELL_DB_PATH or .cosell/cosell.db)\n' +
  '  --object  the object a CSV holds (default: Opportunity)\n';

/** An import that SIGINT, SIGTERM or SIGHUP stopped before it finished. */
class ImportStoppedError extends Error {
  constructor(readonly signal: StopSignal) {
    super(`Import stopped by ${signal}`);
    this.name = 'ImportStoppedError';
  }
}

/**
 * Runs the import. A stop signal stops it at the next record, closes the store
 * and removes a store the import created, and the exit code is then 128 plus
 * the signal number.
 */
async function main(): Promise<number> {
  const stop = new AbortController();
  const listeners = Object.keys(STOP_SIGNAL_EXIT_CODES).map((name) => {
    const signal = name as StopSignal;
    const listener = () => stop.abort(new ImportStoppedError(signal));
    process.once(signal, listener);
    return { signal, listener };
  });
  try {
    return await importFile(stop.signal);
  } catch (error) {
    if (!(error instanceof ImportStoppedError)) throw error;
    return STOP_SIGNAL_EXIT_CODES[error.signal];
  } finally {
    for (const { signal, listener } of listeners) {
      process.removeListener(signal, listener);
    }
  }
}

async function importFile(stopSignal: AbortSignal): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        object: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) {
    process.stderr.write(`Name exactly one file to import.\n${USAGE}`);
    return 2;
  }
  const isCsv = file.toLowerCase().endsWith('.csv');
  const objectName = args.values.object;
  if (objectName !== undefined && !isCsv) {
    process.stderr.write(
      `--object applies only to a Data Loader CSV, and ${file} is read as a data tree file, whose records name their objects; leave --object out.\n`,
    );
    return 2;
  }
  const config = loadBaseConfig();
  await requirePackageDir(config);
  // Checked before the store is opened, so a mistyped name creates no store file.
  if (objectName !== undefined) {
    const schema = await readForceAppSchema(config.COSELL_PACKAGE_DIR);
    if (!findObject(schema, objectName)) {
      process.stderr.write(
        `--object ${quoteValue(objectName)}: ${unknownObjectReason(objectName, schema)}.\n`,
      );
      return 2;
    }
  }
  // Read before the store is opened, so an unreadable or malformed file creates no store.
  const records = isCsv
    ? await readDataLoaderCsv(file, objectName ?? 'Opportunity')
    : await readDataTree(file);
  if (stopSignal.aborted) {
    const { signal } = stopSignal.reason as ImportStoppedError;
    process.stderr.write(
      `Import stopped by ${signal} before it opened the store.\n`,
    );
    throw stopSignal.reason;
  }
  const dbPath = args.values.db ?? config.COSELL_DB_PATH;
  // Named in the output, so that a mistyped --db is noticed.
  const storeFiles = noteStoreFiles(dbPath);
  let gateway;
  try {
    gateway = await openLocalGateway({
      dbPath,
      packageDir: config.COSELL_PACKAGE_DIR,
    });
  } catch (error) {
    // Opening creates the store's folders before SQLite can fail on the file.
    storeFiles.removeNew();
    throw error;
  }
  const storePath = path.resolve(dbPath);
  // The records each committed batch wrote, for the message of a stop.
  const written: Array<{ objectName: string; count: number }> = [];
  let report;
  try {
    stopSignal.throwIfAborted();
    const schema = await gateway.describeSchema();
    report = await importRecords(records, schema, gateway, {
      signal: stopSignal,
      onWritten: (objectName, count) => written.push({ objectName, count }),
    });
    for (const [objectName, count] of Object.entries(report.loaded)) {
      process.stdout.write(
        `Loaded ${count} ${objectName} record${count === 1 ? '' : 's'}\n`,
      );
    }
    for (const [objectName, count] of Object.entries(report.unchanged)) {
      process.stdout.write(
        `Unchanged ${count} ${objectName} record${count === 1 ? '' : 's'} (already in the store)\n`,
      );
    }
    if (report.skippedFields.length > 0) {
      process.stdout.write(
        `Skipped fields (not in the org schema, set only by co-sell stage moves, or derived from StageName): ${report.skippedFields.join(', ')}\n`,
      );
    }
    for (const { origin, objectName, note } of report.notes) {
      process.stdout.write(`Note: ${origin} (${objectName}): ${note}\n`);
    }
    for (const problem of report.problems) {
      // A data tree record without attributes.type has no object to name.
      const object = problem.objectName
        ? ` (${formatName(problem.objectName)})`
        : '';
      process.stderr.write(
        `Not imported: ${problem.origin}${object}: ${problem.reason}\n`,
      );
    }
  } catch (error) {
    if (!(error instanceof ImportStoppedError)) throw error;
    // The store is closed first, because removeNew leaves a store that is
    // still open.
    await gateway.close();
    if (storeFiles.storeExisted) {
      process.stderr.write(
        `${stoppedMessage(error.signal, storePath, written)}\n`,
      );
    } else {
      storeFiles.removeNew();
      process.stderr.write(
        `Import stopped by ${error.signal}. Removed the store it created, ${storePath}.\n`,
      );
    }
    throw error;
  } finally {
    await gateway.close();
  }
  if (storeFiles.storeExisted) {
    process.stdout.write(`Store: ${storePath}\n`);
  } else if (Object.keys(report.loaded).length > 0) {
    process.stdout.write(`Store: ${storePath} (created)\n`);
  } else {
    // Removed, so a failed first import leaves no empty store behind.
    storeFiles.removeNew();
    process.stdout.write(
      `Store: ${storePath} (not created, because no record was imported)\n`,
    );
  }
  return report.problems.length > 0 ? 1 : 0;
}

/**
 * Describes a stop in an existing store: how many records of each object the
 * import wrote before it, which the store keeps, or that it wrote none.
 */
function stoppedMessage(
  signal: StopSignal,
  storePath: string,
  written: Array<{ objectName: string; count: number }>,
): string {
  if (written.length === 0) {
    return `Import stopped by ${signal} before it wrote any record to the store ${storePath}.`;
  }
  const counts = written
    .map(
      ({ objectName, count }) =>
        `${count} ${objectName} record${count === 1 ? '' : 's'}`,
    )
    .join(', ');
  return `Import stopped by ${signal}. The store ${storePath} keeps the ${counts} written before the stop; the import wrote no other record of the file.`;
}

await runScript('import', main);

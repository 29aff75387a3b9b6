import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readDataLoaderCsv } from '../../middleware/src/import/data-loader-csv.js';
import { importRecords } from '../../middleware/src/import/import-records.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import type {
  LocalGateway,
  LocalGatewayOptions,
} from '../../middleware/src/org/local/local-gateway.js';

/** The repository's package folder, whose objects the local store mirrors. */
export const PACKAGE_DIR = path.resolve('force-app');

/**
 * Copies the package folder to `target` and replaces `pattern` with
 * `replacement` in one of its files (a path below `main/default`), as an admin's
 * change would. Returns `target`.
 */
export function copyPackageWithChange(
  target: string,
  file: string,
  pattern: RegExp | string,
  replacement: string,
): string {
  cpSync(PACKAGE_DIR, target, { recursive: true });
  const changed = path.join(target, 'main/default', file);
  const text = readFileSync(changed, 'utf8');
  const updated = text.replace(pattern, replacement);
  if (updated === text) {
    throw new Error(`${String(pattern)} does not occur in ${changed}`);
  }
  writeFileSync(changed, updated);
  return target;
}

/**
 * Copies the package folder to `target` with `Close_Plan_Step__c.Step__c`
 * shortened to 2 characters, so the demo's plan steps no longer fit. Returns
 * `target`.
 */
export function copyPackageWithShortPlanStep(target: string): string {
  return copyPackageWithChange(
    target,
    'objects/Close_Plan_Step__c/fields/Step__c.field-meta.xml',
    /<length>\d+<\/length>/,
    '<length>2</length>',
  );
}

export interface TempStore {
  gateway: LocalGateway;
  dir: string;
  dbPath: string;
  /** Closes the store and deletes its folder. */
  cleanup(): Promise<void>;
}

/** Opens a local store on a new file in a temporary folder. */
export async function openTempStore(
  options: Partial<LocalGatewayOptions> = {},
): Promise<TempStore> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-store-'));
  const dbPath = path.join(dir, 'store.db');
  try {
    const gateway = await openLocalGateway({
      dbPath,
      packageDir: PACKAGE_DIR,
      ...options,
    });
    return {
      gateway,
      dir,
      dbPath,
      async cleanup() {
        await gateway.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A Data Loader export of a few Opportunity records, with no users. */
const DEALS_CSV = path.resolve('test/fixtures/data-loader/opportunities.csv');

/**
 * Imports the deals of a Data Loader fixture, and no users, into the store
 * `dbPath`, as `npm run import` does.
 */
export async function importFixtureDeals(dbPath: string): Promise<void> {
  const gateway = await openLocalGateway({ dbPath, packageDir: PACKAGE_DIR });
  try {
    const records = await readDataLoaderCsv(DEALS_CSV);
    await importRecords(records, await gateway.describeSchema(), gateway);
  } finally {
    await gateway.close();
  }
}

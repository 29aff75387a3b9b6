import { lstatSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BaseConfig } from './config.js';
import { isStoreOpen } from './org/local/store-path.js';

/** The files SQLite keeps beside a store file in WAL mode. */
const STORE_SIDE_FILES = ['-wal', '-shm', '-journal'];

/**
 * Notes which of the files a local start creates exist before it: the store file,
 * the folders on the way to it and the generated token file. `removeNew` deletes those the start
 * created, so a start that fails after opening a new store leaves nothing behind
 * and the next start seeds a fresh store. An existing store is never touched.
 */
export function noteStartFiles(config: BaseConfig): { removeNew(): void } {
  const dbPath = path.resolve(config.COSELL_DB_PATH);
  const folder = path.dirname(dbPath);
  const tokenFile = config.COSELL_API_TOKEN
    ? null
    : path.join(folder, 'api-token');
  const newFolders = missingFolders(folder);
  const storeExisted = exists(dbPath);
  const tokenExisted = tokenFile !== null && exists(tokenFile);
  return {
    removeNew() {
      if (config.COSELL_STORE !== 'local') return;
      // After this start closed its connections, an open store is another
      // process's, such as a second start on the same new path, so it all stays.
      if (isStoreOpen(dbPath)) return;
      if (!storeExisted) {
        for (const suffix of ['', ...STORE_SIDE_FILES]) {
          rmSync(`${dbPath}${suffix}`, { force: true });
        }
      }
      if (tokenFile && !tokenExisted) rmSync(tokenFile, { force: true });
      for (const created of newFolders) {
        try {
          rmdirSync(created);
        } catch {
          // The folder contains other files or is gone, so it and those above stay.
          return;
        }
      }
    },
  };
}

/** Returns the folders on the way to `folder` that do not exist yet, deepest first. */
function missingFolders(folder: string): string[] {
  const missing: string[] = [];
  for (
    let current = folder;
    !exists(current) && path.dirname(current) !== current;
    current = path.dirname(current)
  ) {
    missing.push(current);
  }
  return missing;
}

/** Returns whether anything, a dangling symbolic link included, exists at `target`. */
function exists(target: string): boolean {
  return lstatSync(target, { throwIfNoEntry: false }) !== undefined;
}

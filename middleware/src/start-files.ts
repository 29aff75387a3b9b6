import { lstatSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { apiTokenFilePath } from './config.js';
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
  const tokenFile = config.COSELL_API_TOKEN ? null : apiTokenFilePath(dbPath);
  const files = noteStoreFiles(dbPath, tokenFile);
  return {
    removeNew() {
      if (config.COSELL_STORE === 'local') files.removeNew();
    },
  };
}

/**
 * Notes whether the store file at `dbPath`, the folders on the way to it and
 * `tokenFile` exist. `removeNew` deletes those that did not, unless a process
 * has the store open; call it after closing the store's connections.
 */
export function noteStoreFiles(
  dbPath: string,
  tokenFile: string | null = null,
): { storeExisted: boolean; removeNew(): void } {
  const resolved = path.resolve(dbPath);
  const newFolders = missingFolders(path.dirname(resolved));
  const storeExisted = exists(resolved);
  const tokenExisted = tokenFile !== null && exists(tokenFile);
  return {
    storeExisted,
    removeNew() {
      // After the caller closed its connections, an open store is another
      // process's, such as a second start on the same new path, so it all stays.
      if (isStoreOpen(resolved)) return;
      if (!storeExisted) {
        for (const suffix of ['', ...STORE_SIDE_FILES]) {
          removeFile(`${resolved}${suffix}`);
        }
      }
      if (tokenFile && !tokenExisted) removeFile(tokenFile);
      for (const created of newFolders) {
        try {
          rmdirSync(created);
        } catch (error) {
          // A folder that was never made is skipped. One that contains other
          // files stays, and so do those above it.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
          return;
        }
      }
    },
  };
}

/** Removes a file if it exists. A path below a file or too long names none. */
function removeFile(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code !== 'ENOTDIR' && code !== 'ENAMETOOLONG') throw error;
  }
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

/**
 * Returns whether anything, a dangling symbolic link included, exists at
 * `target`. A path below a file or too long does not exist, and opening the
 * store names it.
 */
function exists(target: string): boolean {
  try {
    return lstatSync(target, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOTDIR' || code === 'ENAMETOOLONG') return false;
    throw error;
  }
}

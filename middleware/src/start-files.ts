import { lstatSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { apiTokenFilePath } from './config.js';
import type { BaseConfig } from './config.js';
import { isStoreOpen, StorePathError } from './org/local/store-path.js';

/** The files SQLite keeps beside a store file in WAL mode. */
const STORE_SIDE_FILES = ['-wal', '-shm', '-journal'];

/**
 * Notes which of the files a local start creates exist before it: the store file,
 * the folders on the way to it and the generated token file. `removeNew` deletes those the start
 * created, so a start that fails after opening a new store leaves nothing behind
 * and the next start seeds a fresh store. An existing store is never touched.
 */
export function noteStartFiles(config: BaseConfig): {
  removeNew(): string[];
} {
  const dbPath = path.resolve(config.COSELL_DB_PATH);
  const tokenFile = config.COSELL_API_TOKEN ? null : apiTokenFilePath(dbPath);
  const files = noteStoreFiles(config.COSELL_DB_PATH, tokenFile);
  return {
    removeNew() {
      return config.COSELL_STORE === 'local' ? files.removeNew() : [];
    },
  };
}

/**
 * Notes whether the store file at `dbPath`, the folders on the way to it and
 * `tokenFile` exist. `removeNew` deletes those that did not, unless a process
 * has the store open, and returns the paths it deleted; call it after closing
 * the store's connections. Throws
 * `StorePathError` when one of them cannot be looked up, such as below a
 * symbolic link loop or a folder this user may not search.
 */
export function noteStoreFiles(
  dbPath: string,
  tokenFile: string | null = null,
): { storeExisted: boolean; removeNew(): string[] } {
  const resolved = path.resolve(dbPath);
  const exists = (target: string) => existsOnStorePath(target, dbPath);
  const newFolders = missingFolders(path.dirname(resolved), exists);
  const storeExisted = exists(resolved);
  const tokenExisted = tokenFile !== null && exists(tokenFile);
  return {
    storeExisted,
    removeNew() {
      const removed: string[] = [];
      // After the caller closed its connections, an open store is another
      // process's, such as a second start on the same new path, so it all stays.
      if (isStoreOpen(resolved)) return removed;
      const files = storeExisted
        ? []
        : STORE_SIDE_FILES.map((suffix) => `${resolved}${suffix}`);
      if (!storeExisted) files.unshift(resolved);
      if (tokenFile && !tokenExisted) files.push(tokenFile);
      for (const file of files) {
        if (removeFile(file)) removed.push(file);
      }
      for (const created of newFolders) {
        try {
          rmdirSync(created);
          removed.push(created);
        } catch (error) {
          // A folder that was never made is skipped. One that contains other
          // files stays, and so do those above it.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
          break;
        }
      }
      return removed;
    },
  };
}

/**
 * Removes a file if it exists, and returns whether it did. A path below a file
 * or too long names none.
 */
function removeFile(file: string): boolean {
  try {
    rmSync(file);
    return true;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ENAMETOOLONG') {
      throw error;
    }
    return false;
  }
}

/** Returns the folders on the way to `folder` that do not exist yet, deepest first. */
function missingFolders(
  folder: string,
  exists: (target: string) => boolean,
): string[] {
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
 * `target`, a path on the way to the store `dbPath` or beside it. A path below
 * a file or too long does not exist, and opening the store names it. Any other
 * failure throws `StorePathError` naming `dbPath`.
 */
function existsOnStorePath(target: string, dbPath: string): boolean {
  try {
    return lstatSync(target, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOTDIR' || code === 'ENAMETOOLONG') return false;
    if (typeof code !== 'string') throw error;
    throw new StorePathError(
      dbPath,
      `cannot be used, because ${lookupFailure(target, code)}`,
      { cause: error },
    );
  }
}

/** Describes why looking up `target` failed with the errno `code`, and the fix. */
function lookupFailure(target: string, code: string): string {
  if (code === 'ELOOP') {
    return `a symbolic link on the way to ${target} leads back to itself (ELOOP); point the link at a folder`;
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return `this user may not search a folder on the way to ${target} (${code}); give the user execute permission on each folder of the path`;
  }
  return `looking up ${target} failed (${code})`;
}

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** A store path that names a folder, which SQLite cannot open as a database. */
export class StoreFolderError extends Error {
  constructor(readonly dbPath: string) {
    super(
      `The store path ${dbPath} is a folder, not a store file; set COSELL_DB_PATH or --db to a file path, such as ${path.join(dbPath, 'cosell.db')}`,
    );
    this.name = 'StoreFolderError';
  }
}

/**
 * Throws `StoreFolderError` when `dbPath` names a folder. Opening the store calls
 * it before it creates anything, and start calls it before it writes the token
 * file beside the store. Any other path passes, and SQLite reports its problems.
 */
export function rejectStoreFolder(dbPath: string): void {
  const resolved = path.resolve(dbPath);
  let isFolder = false;
  try {
    isFolder = statSync(resolved).isDirectory();
  } catch {
    // A missing path is a new store. Other failures, such as a path below a
    // file, are left to the store's open, which raises the file system's error.
  }
  if (isFolder) throw new StoreFolderError(resolved);
}

/**
 * Returns whether a process has the store open. SQLite keeps the -wal and -shm
 * files beside a WAL store while a connection is open and deletes them when the
 * last one closes, so either file means a connection, or one that crashed.
 */
export function isStoreOpen(dbPath: string): boolean {
  return existsSync(`${dbPath}-wal`) || existsSync(`${dbPath}-shm`);
}

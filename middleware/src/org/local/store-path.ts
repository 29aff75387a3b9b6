import { existsSync, mkdirSync, statSync } from 'node:fs';
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
 * A store path that cannot name a store file: an empty path, an in-memory
 * database, or a path whose folder cannot be created.
 */
export class StorePathError extends Error {
  constructor(
    readonly dbPath: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The store path ${JSON.stringify(dbPath)} ${problem}; set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db`,
      options,
    );
    this.name = 'StorePathError';
  }
}

/**
 * Throws `StorePathError` when `dbPath` is empty or names SQLite's in-memory
 * database. The store needs a file, because WAL mode, deal streams and other
 * processes open it again.
 */
export function rejectNonFilePath(dbPath: string): void {
  if (dbPath.trim() === '') {
    throw new StorePathError(dbPath, 'is empty, not a file path');
  }
  if (dbPath.startsWith(':memory:')) {
    throw new StorePathError(
      dbPath,
      'names an in-memory database, and the store needs a file that other connections can open',
    );
  }
}

/**
 * Creates the folder of the store file. Throws `StorePathError` when it cannot,
 * such as when a part of the path is a file or the folder is not writable.
 */
export function createStoreFolder(dbPath: string): void {
  const folder = path.dirname(dbPath);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const { code, path: failedPath } = error as NodeJS.ErrnoException;
    if (typeof code !== 'string') throw error;
    const file = findFileOnPath(folder);
    const reason = file
      ? `${file} is a file, not a folder`
      : `creating the folder ${failedPath ?? folder} failed (${code})`;
    throw new StorePathError(dbPath, `cannot be used, because ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Returns the nearest existing part of `folder` when it is a file. mkdir names
 * that file only on EEXIST, and names `folder` itself on ENOTDIR.
 */
function findFileOnPath(folder: string): string | undefined {
  for (let part = folder; ; part = path.dirname(part)) {
    try {
      return statSync(part).isDirectory() ? undefined : part;
    } catch {
      if (path.dirname(part) === part) return undefined;
    }
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

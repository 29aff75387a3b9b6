import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readlinkSync,
  statSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { createFolders } from '../../create-folders.js';

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
    /** The problem with the path, such as "is empty, not a file path". */
    readonly problem: string,
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
 * Returns whether `dbPath` names a folder by its form: it ends in a path
 * separator or in a `.` or `..` part. Resolving such a path drops that ending,
 * so SQLite would create a file named like the folder (or its parent) and the
 * token file would land in the folder above it.
 */
export function namesFolder(dbPath: string): boolean {
  if (dbPath.endsWith('/') || dbPath.endsWith(path.sep)) return true;
  const last = dbPath.split(path.sep === '/' ? '/' : /[\\/]/).at(-1);
  return last === '.' || last === '..';
}

/** Describes a store path that names a folder, with a file name to add. */
export function folderPathProblem(dbPath: string): string {
  return `ends in a path separator or in "." or "..", so it names a folder, not a store file; add a file name, such as ${path.join(dbPath, 'cosell.db')}`;
}

/**
 * Throws `StorePathError` when `dbPath` is empty, names a folder by its form or
 * names SQLite's in-memory database. The store needs a file, because WAL mode, deal streams and other
 * processes open it again.
 */
export function rejectNonFilePath(dbPath: string): void {
  if (dbPath.trim() === '') {
    throw new StorePathError(dbPath, 'is empty, not a file path');
  }
  if (namesFolder(dbPath)) {
    throw new StorePathError(dbPath, folderPathProblem(dbPath));
  }
  if (dbPath.startsWith(':memory:')) {
    throw new StorePathError(
      dbPath,
      'names an in-memory database, and the store needs a file that other connections can open',
    );
  }
}

/** The maximum store path length SQLite opens: 512 bytes with its -journal suffix. */
const MAX_PATH_BYTES = 512 - '-journal'.length;

/** The maximum file or folder name length of most file systems, such as ext4. */
const MAX_NAME_BYTES = 255;

/**
 * Throws `StorePathError` when the absolute store path is longer than SQLite
 * opens, or has a part longer than a file system allows, before any folder of
 * it is created.
 */
export function rejectLongPath(dbPath: string): void {
  const resolved = path.resolve(dbPath);
  const bytes = Buffer.byteLength(resolved);
  if (bytes > MAX_PATH_BYTES) {
    throw new StorePathError(
      dbPath,
      `is ${bytes} bytes long as an absolute path, more than the ${MAX_PATH_BYTES} bytes SQLite opens (512 with its -journal suffix); choose a shorter path`,
    );
  }
  const longPart = resolved
    .split(path.sep)
    .find((part) => Buffer.byteLength(part) > MAX_NAME_BYTES);
  if (longPart !== undefined) {
    throw new StorePathError(
      dbPath,
      `has a part of ${Buffer.byteLength(longPart)} bytes, more than the ${MAX_NAME_BYTES} bytes a file or folder name may have; choose a shorter name`,
    );
  }
}

/**
 * Throws `StorePathError` when `dbPath` is a symbolic link that leads to no
 * file, or to itself through other links. SQLite would otherwise create an
 * empty store at the link's target.
 */
export function rejectBrokenLink(dbPath: string): void {
  let target: string;
  try {
    target = readlinkSync(dbPath);
  } catch {
    return;
  }
  try {
    statSync(dbPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') {
      throw new StorePathError(
        dbPath,
        `is a symbolic link to ${target} that leads back to itself; point the link at a file`,
      );
    }
    if (code === 'ENOENT') {
      throw new StorePathError(
        dbPath,
        `is a symbolic link to ${target}, which does not exist; fix the link, or name the target itself to create a store there`,
      );
    }
  }
}

/**
 * Creates the folder of the store file. Throws `StorePathError` when it cannot,
 * such as when a part of the path is a file or the folder is not writable.
 */
export function createStoreFolder(dbPath: string): void {
  const folder = path.dirname(dbPath);
  try {
    createFolders(folder);
  } catch (error) {
    const { code, path: failedPath } = error as NodeJS.ErrnoException;
    if (typeof code !== 'string') throw error;
    const file = findFileOnPath(folder);
    const link = file ? undefined : findDanglingLink(folder);
    const reason = file
      ? `${file} is a file, not a folder`
      : link
        ? `${link.path} is a symbolic link to ${link.target}, which does not exist; fix the link or create its target`
        : `creating the folder ${failedPath ?? folder} failed (${code})`;
    throw new StorePathError(dbPath, `cannot be used, because ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Returns the first part of `folder`, from the top, that is a symbolic link whose
 * target does not exist. mkdir reports such a part as existing (EEXIST).
 */
function findDanglingLink(
  folder: string,
): { path: string; target: string } | undefined {
  const parts: string[] = [];
  for (let part = path.resolve(folder); ; part = path.dirname(part)) {
    parts.unshift(part);
    if (path.dirname(part) === part) break;
  }
  for (const part of parts) {
    try {
      if (!lstatSync(part).isSymbolicLink()) continue;
    } catch {
      return undefined;
    }
    if (!existsSync(part)) return { path: part, target: readlinkSync(part) };
  }
  return undefined;
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
 * Throws `StoreFolderError` when `dbPath` names a folder, and `StorePathError`
 * when it names a FIFO, a socket or a device, which SQLite would block on or
 * fail to read, or a file this user may not read and write. Opening the store calls it before it creates anything, and start
 * calls it before it writes the token file beside the store. Any other path
 * passes, and opening the store reports its problems.
 */
export function rejectStoreFolder(dbPath: string): void {
  const resolved = path.resolve(dbPath);
  let stats;
  try {
    stats = statSync(resolved);
  } catch (error) {
    // A missing path is a new store. A path below a file fails here, before a
    // start looks for its token file beside the store.
    const file =
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
        ? findFileOnPath(path.dirname(resolved))
        : undefined;
    if (file) {
      throw new StorePathError(
        dbPath,
        `cannot be used, because ${file} is a file, not a folder`,
      );
    }
    // Other failures are left to the store's open, which names the path.
    return;
  }
  if (stats.isDirectory()) throw new StoreFolderError(resolved);
  if (!stats.isFile()) {
    throw new StorePathError(
      dbPath,
      `is a ${specialFileKind(stats)}, not a regular file`,
    );
  }
  // SQLite opens a file it may not write read-only without an error, so
  // every write would fail later, one at a time.
  try {
    accessSync(resolved, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new StorePathError(
      dbPath,
      `cannot be read and written by this user (${(error as NodeJS.ErrnoException).code}); give the user write access to the file`,
      { cause: error },
    );
  }
}

function specialFileKind(stats: Stats): string {
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'special file';
}

/** SQLite result codes that mean the file cannot be opened, read or written. */
const UNUSABLE_FILE_CODES = [
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_PERM',
];

/**
 * Returns a `StorePathError` for an SQLite error that means the store file
 * cannot be opened, read or written, such as a symbolic link to a missing
 * folder, a name too long for the file system or a read-only file. Returns
 * undefined for any other error.
 */
export function unusableStoreFile(
  dbPath: string,
  error: unknown,
): StorePathError | undefined {
  const { code, message } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (typeof code !== 'string') return undefined;
  if (!UNUSABLE_FILE_CODES.some((prefix) => code.startsWith(prefix))) {
    return undefined;
  }
  return new StorePathError(
    dbPath,
    `cannot be opened as a store file (${code}: ${String(message)})`,
    { cause: error },
  );
}

/**
 * Returns whether a process has the store open. SQLite keeps the -wal and -shm
 * files beside a WAL store while a connection is open and deletes them when the
 * last one closes, so either file means a connection, or one that crashed.
 */
export function isStoreOpen(dbPath: string): boolean {
  return existsSync(`${dbPath}-wal`) || existsSync(`${dbPath}-shm`);
}

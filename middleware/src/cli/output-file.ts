import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  createWriteStream,
  lstatSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Messages } from '@salesforce/core';
import { apiTokenFilePath } from '../config.js';
import { namesFolder } from '../org/local/store-path.js';
import type { StopSignalCleanup } from './stop-signals.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.output-file');

/**
 * Maximum symbolic links followed, which stops a loop of links that appears
 * while the links are being followed.
 */
const MAX_SYMBOLIC_LINKS = 40;

/** The regular file that an output file flag resolves to. */
export interface OutputFile {
  /** The --output-file value as typed, made absolute, for messages. */
  requested: string;
  /**
   * The path that the finished file is renamed to: `requested` itself, or the
   * file that a symbolic link at `requested` points to, so the link stays.
   */
  file: string;
  /** Permission bits of the existing file, or undefined for a new file. */
  mode: number | undefined;
  /** The file name that an error's fix suggests, such as `cosell-pipeline.csv`. */
  exampleName: string;
}

/**
 * Resolves the --output-file `value` to the regular file an export may
 * replace, following symbolic links. It rejects any other path before anything
 * is opened: an empty value, a missing folder, a folder, a path ending in a
 * separator, a FIFO, a socket or a device. `exampleName` is a file name that
 * the error's fix suggests, such as `cosell-pipeline.csv`.
 */
export function resolveOutputFile(
  value: string,
  exampleName: string,
): OutputFile {
  // path.resolve('') is the working folder, which would be reported as a
  // folder rather than as the empty value it is.
  if (value === '') {
    throw messages.createError('error.OutputEmpty', [], [exampleName]);
  }
  // Many tools read `-` as standard output. This command prints its summary
  // there, so it writes reports only to files and requires a file name.
  if (value === '-') {
    throw messages.createError('error.OutputDash', [], [exampleName]);
  }
  const requested = path.resolve(value);
  // path.resolve drops a trailing separator and a final `.`, and folds a final
  // `..` into the parent, so `report/` would become the file `report`. The
  // kernel reads such a path as a folder, and so does this check. An existing
  // folder is rejected below.
  if (namesFolder(value) && !isFolder(requested)) {
    throw messages.createError(
      'error.OutputFolderNotFound',
      [value, requested],
      [requested],
    );
  }
  let file = requested;
  for (let links = 0; links <= MAX_SYMBOLIC_LINKS; links += 1) {
    const folder = path.dirname(file);
    if (!isFolder(folder)) {
      throw messages.createError('error.OutputFolderMissing', [folder]);
    }
    const stats = statFollowingLinks(requested, file);
    if (stats !== undefined) {
      checkRegularFile(requested, stats, exampleName);
      // Only the permission bits are kept, not set-user-ID, set-group-ID or
      // sticky, so a new file never gains those bits from the old one.
      return {
        requested,
        file: realpathSync(file),
        mode: stats.mode & 0o777,
        exampleName,
      };
    }
    // The path is missing or is a symbolic link to a missing file. A link's
    // target is resolved from the link's real folder, as the kernel does,
    // so that `..` in the target climbs out of that folder.
    const entry = lstatSync(file, { throwIfNoEntry: false });
    if (entry?.isSymbolicLink() !== true) {
      return { requested, file, mode: undefined, exampleName };
    }
    file = path.resolve(realpathSync(folder), readlinkSync(file));
  }
  throw messages.createError('error.TooManyLinks', [requested]);
}

/**
 * Suffixes of the files that make up a SQLite store: the database itself, the
 * write-ahead log and its shared-memory index, and the rollback journal.
 */
const STORE_FILE_SUFFIXES = ['', '-wal', '-shm', '-journal'];

/**
 * Rejects an output file that is the SQLite store `dbPath`, one of the files
 * SQLite keeps beside it, or the API token file that the middleware generates
 * beside it, because the rename would replace the store or the token.
 * Paths are compared after following symbolic links, and existing files also
 * by device and inode, so a symbolic or hard link to one of them is rejected.
 * Call it before the store opens, which creates the -wal and -shm files.
 */
export function rejectStoreFile(output: OutputFile, dbPath: string): void {
  const store = path.resolve(dbPath);
  const outputPath = canonicalPath(output.file);
  const outputStats = statSync(output.file, { throwIfNoEntry: false });
  // When --db is a symbolic link, SQLite 3.53.2 (bundled in better-sqlite3)
  // keeps the -wal and -shm files beside the link's target, not the link, so
  // the files beside both count.
  const bases = [...new Set([store, canonicalPath(store)])];
  for (const suffix of STORE_FILE_SUFFIXES) {
    for (const base of bases) {
      const storeFile = `${base}${suffix}`;
      if (isSameFile(outputPath, outputStats, storeFile)) {
        throw messages.createError(
          'error.OutputIsStore',
          [
            output.requested,
            sameFileNote(output.requested, `${store}${suffix}`),
          ],
          [path.join(path.dirname(output.requested), output.exampleName)],
        );
      }
    }
  }
  // The middleware reads the token file beside COSELL_DB_PATH as given, which
  // may be the link or its target, so the files beside both count here too.
  for (const base of bases) {
    const tokenFile = apiTokenFilePath(base);
    if (isSameFile(outputPath, outputStats, tokenFile)) {
      throw messages.createError(
        'error.OutputIsTokenFile',
        [output.requested, sameFileNote(output.requested, tokenFile)],
        [path.join(path.dirname(output.requested), output.exampleName)],
      );
    }
  }
}

/**
 * Returns the note that names the file `requested` leads to, or nothing when
 * `requested` is that path itself, so a message does not repeat the path.
 */
function sameFileNote(requested: string, file: string): string {
  if (requested === file) return '';
  // The messages loader trims each message, so the space is added here.
  return ` ${messages.getMessage('note.SameFileAs', [file])}`;
}

/**
 * Reports whether the output is `storeFile`, by path after following links, or
 * by device and inode when both files exist.
 */
function isSameFile(
  outputPath: string,
  outputStats: Stats | undefined,
  storeFile: string,
): boolean {
  if (canonicalPath(storeFile) === outputPath) return true;
  if (outputStats === undefined) return false;
  const storeStats = statStoreFile(storeFile);
  return (
    storeStats !== undefined &&
    storeStats.dev === outputStats.dev &&
    storeStats.ino === outputStats.ino
  );
}

/**
 * Returns the stats of a store file, or undefined when it is missing or cannot
 * be read, such as a --db path below a file. Opening the store reports those.
 */
function statStoreFile(storeFile: string): Stats | undefined {
  try {
    return statSync(storeFile);
  } catch {
    return undefined;
  }
}

/**
 * Returns `file` with every symbolic link resolved, or for a missing file, its
 * real folder joined with its name. A path whose folder is missing too is
 * returned unchanged.
 */
function canonicalPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // The file is missing, a link to a missing file or a loop, or unreadable,
    // so its folder is resolved instead.
  }
  try {
    return path.join(realpathSync(path.dirname(file)), path.basename(file));
  } catch {
    return file;
  }
}

/** Reports whether `folder` exists and is a folder, with no file on the way. */
function isFolder(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}

/** Returns the stats of `file` after following links, or undefined if missing. */
function statFollowingLinks(
  requested: string,
  file: string,
): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw messages.createError(
        'error.TooManyLinks',
        [requested],
        [],
        error as Error,
      );
    }
    throw error;
  }
}

/** Permission bits of the temporary file and of a new report: owner read and write. */
export const NEW_REPORT_MODE = 0o600;

/**
 * Writes to a new temporary file beside `output.file` and renames it over
 * that file once the writer has finished and the file is closed, so a reader
 * never reads a partial file. The new file gets the old file's permission bits,
 * or `NEW_REPORT_MODE` (less the umask) when there was no old file.
 * On any failure, and on a stop signal when `stopCleanup` is given, the
 * temporary file is removed and the old file is untouched.
 */
export async function writeOutputFile<T>(
  output: OutputFile,
  write: (out: Writable) => Promise<T>,
  stopCleanup?: StopSignalCleanup,
): Promise<T> {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temporary = path.join(
    path.dirname(output.file),
    `.${path.basename(output.file)}.${suffix}.tmp`,
  );
  // Only the owner may read the report while it is written, because a report
  // can list every deal. A new report keeps that mode, as the store file does.
  const out = createWriteStream(temporary, {
    flags: 'wx',
    mode: NEW_REPORT_MODE,
  });
  // Removing the file while the stream still has it open is fine on POSIX,
  // and the exit closes the descriptor.
  const removeStep = stopCleanup?.add(() => rmSync(temporary, { force: true }));
  try {
    const result = await write(out);
    await finished(out);
    if (output.mode !== undefined) await chmod(temporary, output.mode);
    // Checked again because the path may have changed since
    // resolveOutputFile, and a rename would replace a FIFO or a device.
    const current = lstatSync(output.file, { throwIfNoEntry: false });
    if (current !== undefined) {
      checkRegularFile(output.requested, current, output.exampleName);
    }
    await rename(temporary, output.file);
    return result;
  } catch (error) {
    // The stream opens its file asynchronously, so a writer that fails at once
    // may fail before the file exists. Waiting for the close puts the removal
    // after the open.
    if (!out.closed) {
      const closed = once(out, 'close');
      out.destroy();
      await closed;
    }
    await rm(temporary, { force: true });
    throw writeFailure(error, output.requested);
  } finally {
    removeStep?.();
  }
}

/** File-system errors of a write that the user can fix, with the message of each fix. */
const WRITE_FAILURE_ACTIONS: Record<string, string> = {
  EACCES: 'action.Permissions',
  EPERM: 'action.Permissions',
  EROFS: 'action.ReadOnly',
  ENOSPC: 'action.NoSpace',
  EDQUOT: 'action.NoSpace',
};

/**
 * Turns a file-system error of the write into one that names --output-file, not
 * the temporary file that Node.js's message names, and adds the fix. Other
 * errors pass unchanged.
 */
export function writeFailure(error: unknown, requested: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const action = code === undefined ? undefined : WRITE_FAILURE_ACTIONS[code];
  if (action === undefined) return error;
  return messages.createError(
    'error.OutputWriteFailed',
    [requested, code],
    [messages.getMessage(action, [path.dirname(requested)])],
  );
}

function checkRegularFile(
  requested: string,
  stats: Stats,
  exampleName: string,
): void {
  if (stats.isFile()) return;
  if (stats.isDirectory()) {
    throw messages.createError(
      'error.OutputIsFolder',
      [requested],
      [path.join(requested, exampleName)],
    );
  }
  // Devices live in system folders such as /dev, where a report does not
  // belong, so the fix suggests the working folder for them.
  const device = stats.isCharacterDevice() || stats.isBlockDevice();
  const suggested = device
    ? path.resolve(exampleName)
    : path.join(path.dirname(requested), exampleName);
  throw messages.createError(
    'error.OutputNotRegularFile',
    [requested, describeFileType(stats)],
    [suggested],
  );
}

function describeFileType(stats: Stats): string {
  if (stats.isFIFO()) return messages.getMessage('type.Fifo');
  if (stats.isSocket()) return messages.getMessage('type.Socket');
  if (stats.isCharacterDevice()) {
    return messages.getMessage('type.CharacterDevice');
  }
  if (stats.isBlockDevice()) return messages.getMessage('type.BlockDevice');
  if (stats.isSymbolicLink()) return messages.getMessage('type.SymbolicLink');
  return messages.getMessage('type.Other');
}

import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OrgSchema } from '../../domain/schema.js';
import { migrate, rejectForeignDatabase } from './migrations.js';
import {
  createStoreFolder,
  rejectBrokenLink,
  rejectLongPath,
  rejectNonFilePath,
  rejectStoreFolder,
  unusableStoreFile,
} from './store-path.js';

export interface ConnectionOptions {
  dbPath: string;
  /** How long a statement waits for another connection's lock, in milliseconds. */
  busyTimeoutMs: number;
  now: () => Date;
}

/**
 * Opens (creating) the store file in WAL mode and migrates it to the schema.
 * An empty or in-memory path, a folder, a path below a file, or another
 * application's SQLite file is rejected before anything is written.
 * WAL lets readers run beside the one writer. With WAL, `synchronous = NORMAL`
 * keeps commits through a process crash and can lose the last ones only on an
 * operating-system crash or power loss (SQLite's PRAGMA synchronous page).
 */
export function openDatabase(
  schema: OrgSchema,
  options: ConnectionOptions,
): { db: Database.Database; migrations: string[] } {
  rejectNonFilePath(options.dbPath);
  rejectLongPath(options.dbPath);
  rejectBrokenLink(options.dbPath);
  const dbPath = path.resolve(options.dbPath);
  rejectStoreFolder(dbPath);
  createStoreFolder(dbPath);
  createPrivateFile(dbPath);
  let db: Database.Database;
  try {
    db = new Database(dbPath);
  } catch (error) {
    throw unusableStoreFile(options.dbPath, error) ?? error;
  }
  try {
    // busy_timeout only sets how this connection waits for locks and writes
    // nothing, so it may come before the check of another application's file.
    db.pragma(
      `busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`,
    );
    rejectForeignDatabase(db, dbPath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Each workflow commit dirties a page per index, so the default checkpoint every
    // 1,000 WAL pages ran (and synced the file) every few requests and tripled the
    // cost of a request-and-confirm pair. 16,000 pages (64 MiB at 4 KiB pages) keeps
    // checkpoints rare; journal_size_limit truncates the WAL back after each one.
    db.pragma('wal_autocheckpoint = 16000');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    db.pragma('foreign_keys = ON');
    // BEGIN IMMEDIATE makes two processes opening a new file migrate one after the other.
    const migrations = db
      .transaction(() => migrate(db, schema, options.now().toISOString()))
      .immediate();
    return { db, migrations };
  } catch (error) {
    db.close();
    throw unusableStoreFile(options.dbPath, error) ?? error;
  }
}

/**
 * Creates an empty store file readable by its owner only, because it contains deal
 * data. SQLite gives the -wal and -shm files the mode of the database file. An
 * existing file keeps its mode.
 */
function createPrivateFile(dbPath: string): void {
  try {
    closeSync(openSync(dbPath, 'wx', 0o600));
  } catch {
    // An existing file is used as it is. Any other failure, such as a directory
    // without write access, also fails SQLite's open next, and start reports that
    // with the path and the fix.
  }
}

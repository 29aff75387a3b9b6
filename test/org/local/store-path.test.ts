import {
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import {
  createStoreFolder,
  rejectBrokenLink,
  StorePathError,
  unusableStoreFile,
} from '../../../middleware/src/org/local/store-path.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-store-path-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('rejectBrokenLink', () => {
  it('passes a regular file', () => {
    const file = path.join(dir, 'plain.db');
    writeFileSync(file, '');

    expect(() => rejectBrokenLink(file)).not.toThrow();
  });

  it('passes a link to a file', () => {
    const file = path.join(dir, 'linked.db');
    const link = path.join(dir, 'good-link.db');
    writeFileSync(file, '');
    symlinkSync(file, link);

    expect(() => rejectBrokenLink(link)).not.toThrow();
  });

  it('passes a path that does not exist', () => {
    expect(() => rejectBrokenLink(path.join(dir, 'new.db'))).not.toThrow();
  });

  it('names a dangling link', () => {
    const target = path.join(dir, 'absent.db');
    const link = path.join(dir, 'dangling.db');
    symlinkSync(target, link);

    expect(() => rejectBrokenLink(link)).toThrow(
      new StorePathError(
        link,
        `is a symbolic link to ${target}, which does not exist; fix the link, or name the target itself to create a store there`,
      ),
    );
  });

  it('names a link loop', () => {
    const first = path.join(dir, 'loop-a.db');
    const second = path.join(dir, 'loop-b.db');
    symlinkSync(second, first);
    symlinkSync(first, second);

    expect(() => rejectBrokenLink(first)).toThrow(/leads back to itself/);
  });
});

describe('createStoreFolder', () => {
  it('creates the missing folders', () => {
    const store = path.join(dir, 'made', 'deeper', 'cosell.db');

    createStoreFolder(store);

    expect(statSync(path.dirname(store)).isDirectory()).toBe(true);
  });

  it('names a dangling link folder', () => {
    const target = path.join(dir, 'absent-folder');
    const link = path.join(dir, 'dangling-folder');
    symlinkSync(target, link);
    const store = path.join(link, 'inner', 'cosell.db');

    expect(() => createStoreFolder(store)).toThrow(
      new StorePathError(
        store,
        `cannot be used, because ${link} is a symbolic link to ${target}, which does not exist; fix the link or create its target`,
      ),
    );
  });
});

describe('unusableStoreFile', () => {
  it('names an SQLite open failure', () => {
    const cause = new Database.SqliteError(
      'unable to open database file',
      'SQLITE_CANTOPEN',
    );

    const error = unusableStoreFile('store.db', cause);

    expect(error?.problem).toBe(
      'cannot be opened as a store file (SQLITE_CANTOPEN: unable to open database file)',
    );
    expect(error?.cause).toBe(cause);
  });

  it('leaves other errors alone', () => {
    expect(unusableStoreFile('store.db', new Error('boom'))).toBeUndefined();
  });
});

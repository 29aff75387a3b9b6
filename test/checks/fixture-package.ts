import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';

/** A minimal package directory whose references all resolve. */
export const FIXTURE_DIR = 'test/fixtures/checks/force-app';

/** The fixture's `main/default` folder, relative to its package directory. */
export const DEFAULT = 'main/default';

/** A writable copy of the fixture package in a temporary folder. */
export interface FixtureCopy {
  /** The package directory of the copy. */
  dir: string;
  path(relative: string): string;
  /** Replaces the first occurrence of `from`; fails when the file lacks it. */
  replace(relative: string, from: string, to: string): Promise<void>;
  write(relative: string, content: string): Promise<void>;
  remove(): Promise<void>;
}

export async function copyFixture(): Promise<FixtureCopy> {
  const root = await mkdtemp(join(tmpdir(), 'cosell-checks-'));
  const dir = join(root, 'force-app');
  await cp(FIXTURE_DIR, dir, { recursive: true });
  const path = (relative: string) => join(dir, relative);
  return {
    dir,
    path,
    async replace(relative, from, to) {
      const text = await readFile(path(relative), 'utf8');
      if (!text.includes(from)) {
        throw new Error(`${relative} does not contain ${JSON.stringify(from)}`);
      }
      await writeFile(path(relative), text.replace(from, to));
    },
    write: (relative, content) => writeFile(path(relative), content),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * Points HOME and TMPDIR at a temporary folder for the tests of one file, because
 * PMD and the Salesforce libraries write logs and working files there. Returns a
 * function that gives the folder once `beforeAll` has run.
 */
export function useTemporaryHome(prefix: string): () => string {
  let home = '';
  const saved = { HOME: process.env['HOME'], TMPDIR: process.env['TMPDIR'] };
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), prefix));
    await mkdir(join(home, 'tmp'));
    process.env['HOME'] = home;
    process.env['TMPDIR'] = join(home, 'tmp');
  });
  afterAll(async () => {
    process.env['HOME'] = saved.HOME;
    process.env['TMPDIR'] = saved.TMPDIR;
    await rm(home, { recursive: true, force: true });
  });
  return () => home;
}

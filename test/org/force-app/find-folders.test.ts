import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  findFolders,
  hasFolderWithin,
} from '../../../middleware/src/org/force-app/find-folders.js';

describe('findFolders', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'cosell-find-folders-'));
    for (const folder of [
      'main/default/objects/Account',
      '.git/objects/info',
      'node_modules/pkg/objects/Thing',
    ]) {
      mkdirSync(path.join(root, folder), { recursive: true });
    }
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('skips .git and node_modules', async () => {
    const found = await findFolders(root, 'objects');

    expect(found).toEqual([path.join(root, 'main', 'default', 'objects')]);
  });

  it('finds objects within three levels', async () => {
    expect(await hasFolderWithin(root, 'objects', 3)).toBe(true);
  });

  it('finds no objects within two levels', async () => {
    // .git/objects is two levels down, but .git is skipped.
    expect(await hasFolderWithin(root, 'objects', 2)).toBe(false);
  });
});

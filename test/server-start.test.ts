import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from '@jest/globals';
import { loadBaseConfig } from '../middleware/src/config.js';

const SERVER = path.resolve('dist/middleware/src/server.js');
const run = promisify(execFile);
let dir: string;

beforeAll(() => {
  if (!existsSync(SERVER))
    throw new Error(`Run npm run build first: ${SERVER} is missing`);
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-start-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('default store folder', () => {
  it('is ignored by git', async () => {
    const tokenFile = path.join(
      path.dirname(loadBaseConfig({}).COSELL_DB_PATH),
      'api-token',
    );
    const result = await run('git', [
      'check-ignore',
      '--no-index',
      '--verbose',
      path.relative(process.cwd(), tokenFile),
    ]).catch((error: { code: number; stdout: string }) => error);
    expect('code' in result ? result.code : 0).toBe(0);
    expect(result.stdout).toContain('.gitignore');
  });
});

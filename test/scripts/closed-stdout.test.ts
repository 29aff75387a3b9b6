import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';

const PLAN = path.resolve('test/fixtures/lwc-recipes/data-plan.json');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-closed-stdout-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs a built script whose stdout reader has gone away before its first
 * write, as in `npm run import -- FILE | head -0`, so that every write fails with EPIPE.
 */
function runWithClosedStdout(
  script: string,
  args: string[],
): Promise<{ code: number | null; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    COSELL_PACKAGE_DIR: path.resolve('force-app'),
  };
  delete env['COSELL_DB_PATH'];
  const child = spawn(process.execPath, [script, ...args], { env });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function countDeals(dbPath: string): Promise<number> {
  const gateway = await openLocalGateway({
    dbPath,
    packageDir: path.resolve('force-app'),
  });
  try {
    return await gateway.countRecords('Opportunity');
  } finally {
    await gateway.close();
  }
}

describe('scripts with a closed stdout', () => {
  it('import finishes quietly on EPIPE', async () => {
    const dbPath = path.join(dir, 'import.db');
    const run = await runWithClosedStdout('dist/scripts/import.js', [
      PLAN,
      '--db',
      dbPath,
    ]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await countDeals(dbPath)).toBe(20);
  }, 60_000);

  it('seed finishes quietly on EPIPE', async () => {
    const dbPath = path.join(dir, 'seed.db');
    const run = await runWithClosedStdout('dist/scripts/seed.js', [
      '--db',
      dbPath,
    ]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await countDeals(dbPath)).toBeGreaterThan(0);
  }, 120_000);
});

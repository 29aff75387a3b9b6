import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const IMPORT_SCRIPT = path.resolve('dist/scripts/import.js');
/**
 * Deals in the generated CSV. Importing 50,000 takes seconds, so the import is
 * still running when the test sends the signal.
 */
const DEAL_COUNT = 50_000;
/** Each test starts a Node process and imports into a real store, which is slow on a busy machine. */
const SIGNAL_TEST_TIMEOUT_MS = 90_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function importEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_OPTIONS: '',
    COSELL_PACKAGE_DIR: path.resolve('force-app'),
  };
}

/**
 * Starts the built import script on `file` into `dbPath`, sends `signal` once
 * `startedFile` exists, and resolves with the script's exit. Rejects when the
 * script exits before `startedFile` appears.
 */
async function importUntilSignal(
  file: string,
  dbPath: string,
  startedFile: string,
  signal: NodeJS.Signals,
): Promise<Exit> {
  const child = spawn(process.execPath, [IMPORT_SCRIPT, file, '--db', dbPath], {
    env: importEnv(),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let ended: Exit | undefined;
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      ended = { code, stdout, stderr };
      resolve(ended);
    });
  });
  while (!existsSync(startedFile)) {
    if (ended !== undefined) {
      throw new Error(
        `the import exited with ${ended.code} before ${startedFile} appeared: ${ended.stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill(signal);
  return exited;
}

describe('npm run import stopped by a signal', () => {
  let dir: string;
  let csv: string;

  beforeAll(() => {
    if (!existsSync(IMPORT_SCRIPT)) {
      throw new Error(
        `${IMPORT_SCRIPT} is missing; run "npm run build" before this test`,
      );
    }
    dir = mkdtempSync(path.join(tmpdir(), 'cosell-import-signal-'));
    csv = path.join(dir, 'deals.csv');
    const rows = ['"Name","StageName","CloseDate"'];
    for (let index = 0; index < DEAL_COUNT; index++) {
      rows.push(`"Deal ${index}","Prospecting","2027-01-01"`);
    }
    writeFileSync(csv, `${rows.join('\n')}\n`);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])(
    'removes the store it created on %s',
    async (signal, exitCode) => {
      const dbPath = path.join(dir, `new-${signal}.db`);

      const { code, stdout, stderr } = await importUntilSignal(
        csv,
        dbPath,
        dbPath,
        signal,
      );

      expect(code).toBe(exitCode);
      expect(stderr).toBe(
        `Import stopped by ${signal}. Removed the store it created, ${dbPath}.\n`,
      );
      expect(stdout).toBe('');
      expect(existsSync(dbPath)).toBe(false);
      expect(existsSync(`${dbPath}-wal`)).toBe(false);
      expect(existsSync(`${dbPath}-shm`)).toBe(false);
    },
    SIGNAL_TEST_TIMEOUT_MS,
  );

  it(
    'keeps an existing store on SIGINT',
    async () => {
      const dbPath = path.join(dir, 'existing.db');
      const first = path.join(dir, 'first.csv');
      writeFileSync(
        first,
        '"Name","StageName","CloseDate"\n"First","Prospecting","2027-01-01"\n',
      );
      execFileSync(process.execPath, [IMPORT_SCRIPT, first, '--db', dbPath], {
        env: importEnv(),
        stdio: 'ignore',
      });

      // The store's -wal file appears when the import opens the store.
      const { code, stderr } = await importUntilSignal(
        csv,
        dbPath,
        `${dbPath}-wal`,
        'SIGINT',
      );

      expect(code).toBe(130);
      // The 50,000 deals are compared with the store before the one batch that
      // writes them, so the stop comes before any write.
      expect(stderr).toBe(
        `Import stopped by SIGINT before it wrote any record to the store ${dbPath}.\n`,
      );
      expect(existsSync(`${dbPath}-wal`)).toBe(false);
      const db = new Database(dbPath, { readonly: true });
      try {
        const first = db
          .prepare('SELECT COUNT(*) AS count FROM Opportunity WHERE Name = ?')
          .get('First') as { count: number };
        expect(first.count).toBe(1);
      } finally {
        db.close();
      }
    },
    SIGNAL_TEST_TIMEOUT_MS,
  );
});

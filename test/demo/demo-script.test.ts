import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startTestApp, TEST_TOKEN } from '../http/test-app.js';
import type { TestApp } from '../http/test-app.js';
import { openTempStore } from '../helpers/local-store.js';

const DEMO = path.resolve('dist/scripts/demo.js');
const HOLD_FETCH = path.resolve('test/helpers/hold-demo-fetch.mjs');

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-demo-test-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface DemoRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built demo with `env` on top of a clean environment whose TMPDIR
 * is `tmp`. With `signal`, it sends it once the demo's first call is held.
 */
function runDemo(
  tmp: string,
  env: Record<string, string>,
  options: { signal?: NodeJS.Signals } = {},
): Promise<DemoRun> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: tmp,
    COSELL_LOG_LEVEL: 'error',
    ...env,
  };
  for (const name of ['COSELL_URL', 'COSELL_API_TOKEN', 'COSELL_DB_PATH']) {
    if (!(name in env)) delete childEnv[name];
  }
  const args = options.signal ? ['--import', HOLD_FETCH, DEMO] : [DEMO];
  const child = spawn(process.execPath, args, { env: childEnv });
  let stdout = '';
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`;
    if (line === 'fetch held' && options.signal) child.kill(options.signal);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr }),
    );
  });
}

/**
 * Runs the demo against the middleware at `url` with the store file `dbPath`,
 * with `env` on top and the `options` of `runDemo`.
 */
function runDemoAt(
  url: string,
  dbPath: string,
  env: Record<string, string> = {},
  options: { signal?: NodeJS.Signals } = {},
): Promise<DemoRun> {
  return runDemo(
    dir,
    {
      COSELL_URL: url,
      COSELL_API_TOKEN: TEST_TOKEN,
      COSELL_DB_PATH: dbPath,
      ...env,
    },
    options,
  );
}

/** Returns a loopback port that nothing listens on: one just released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm run demo on a signal', () => {
  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])(
    'cleans up and exits on %s',
    async (signal, exitCode) => {
      const tmp = mkdtempSync(path.join(dir, `${signal}-`));
      const run = await runDemo(tmp, {}, { signal });

      expect(run.stdout).toContain('fetch held');
      expect(run.signal).toBeNull();
      expect(run.code).toBe(exitCode);
      expect(run.stderr).toContain(`Demo stopped by ${signal}`);
      expect(readdirSync(tmp)).toEqual([]);
      const url = /demo at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout)?.[1];
      expect(url).toBeDefined();
      await expect(fetch(`${url!}/healthz`)).rejects.toThrow();
    },
    60_000,
  );
});

describe('npm run demo when stopped early', () => {
  it('names SIGINT while its modules load', async () => {
    const tmp = mkdtempSync(path.join(dir, 'early-'));
    const child = spawn(process.execPath, [DEMO], {
      env: { ...process.env, TMPDIR: tmp, COSELL_LOG_LEVEL: 'error' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Loading the demo's modules takes more than a second, and the demo
    // installs its signal handlers before that.
    setTimeout(() => child.kill('SIGINT'), 400);
    const [code, signal] = await new Promise<[number | null, string | null]>(
      (resolve) => child.on('close', (c, s) => resolve([c, s])),
    );

    expect(stdout).not.toContain('Started a middleware');
    expect(signal).toBeNull();
    expect(code).toBe(130);
    expect(stderr).toContain('Demo stopped by SIGINT');
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  it('cleans up quietly on EPIPE', async () => {
    const tmp = mkdtempSync(path.join(dir, 'epipe-'));
    const { COSELL_URL: _url, ...inherited } = process.env;
    const child = spawn(process.execPath, [DEMO], {
      env: { ...inherited, TMPDIR: tmp, COSELL_LOG_LEVEL: 'error' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Reads two lines and closes the pipe, as `npm run demo | head -2` does.
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout });
    reader.on('line', (line) => {
      // readline may still emit lines it had buffered before the close.
      if (lines.length === 2) return;
      lines.push(line);
      if (lines.length === 2) {
        reader.close();
        child.stdout.destroy();
      }
    });
    const [code, signal] = await new Promise<[number | null, string | null]>(
      (resolve) => child.on('close', (c, s) => resolve([c, s])),
    );

    expect(lines).toHaveLength(2);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);
});

describe('npm run demo with COSELL_URL', () => {
  let app: TestApp;
  let storeFile: string;

  beforeAll(async () => {
    app = await startTestApp();
    // A real store file, closed so that only the demo would open it.
    const store = await openTempStore();
    await store.gateway.close();
    storeFile = store.dbPath;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(path.dirname(storeFile), { recursive: true, force: true });
  });

  it('names an unreachable COSELL_URL in one line', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runDemoAt(url, storeFile);

    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(
      `Cannot connect to the middleware at COSELL_URL=${url} (ECONNREFUSED)`,
    );
    expect(run.stderr).toContain('"npm start"');
    expect(run.stderr).toContain('unset COSELL_URL');
    expect(run.stderr).not.toContain('TypeError');
  }, 30_000);

  it('rejects a missing COSELL_DB_PATH without creating it', async () => {
    const missing = path.join(dir, 'missing', 'store.db');
    const run = await runDemoAt(app.url, missing);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `COSELL_DB_PATH=${JSON.stringify(missing)} does not exist or is not a file.`,
    );
    expect(run.stderr).toContain(
      `It must be the store file of the middleware at COSELL_URL=${app.url}`,
    );
    expect(run.stdout).not.toContain('ok ');
    expect(existsSync(missing)).toBe(false);
  }, 30_000);

  it('rejects a store no middleware has open', async () => {
    const run = await runDemoAt(app.url, storeFile);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `COSELL_DB_PATH=${JSON.stringify(storeFile)} is not open in any process`,
    );
    expect(run.stdout).not.toContain('ok ');
    // Nothing was written into the other store.
    expect(existsSync(`${storeFile}-wal`)).toBe(false);
  }, 30_000);

  it('rejects a wrong token before writing', async () => {
    const countDeals = async () =>
      (await app.gateway.queryRecords('Opportunity')).length;
    const before = await countDeals();
    const run = await runDemo(dir, {
      COSELL_URL: app.url,
      COSELL_API_TOKEN: `wrong-${TEST_TOKEN}`,
      COSELL_DB_PATH: app.dbPath,
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `The middleware at COSELL_URL=${app.url} rejected COSELL_API_TOKEN (401).`,
    );
    expect(run.stderr).not.toContain(TEST_TOKEN);
    expect(await countDeals()).toBe(before);
  }, 30_000);

  it('rejects the store of another middleware', async () => {
    const other = await startTestApp();
    try {
      const countDeals = async () =>
        (await other.gateway.queryRecords('Opportunity')).length;
      const before = await countDeals();

      const run = await runDemoAt(app.url, other.dbPath);

      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `COSELL_DB_PATH=${JSON.stringify(other.dbPath)} is not the store of the middleware at COSELL_URL=${app.url}: ` +
          'the middleware answers 404 for the stage request ',
      );
      expect(run.stdout).not.toContain('ok ');
      expect(await countDeals()).toBe(before);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('rejects a COSELL_URL that is not a URL', async () => {
    const run = await runDemoAt('notaurl', storeFile);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'COSELL_URL="notaurl" is not an http or https URL',
    );
  }, 30_000);

  it.each([
    ['a path', '/v1', 'has the path /v1'],
    ['a query', '/?x=1', 'has a query'],
    ['a trailing space', ' ', 'contains a space or other whitespace'],
  ])(
    'rejects a COSELL_URL with %s',
    async (_case, suffix, problem) => {
      const value = `${app.url}${suffix}`;
      const run = await runDemoAt(value, app.dbPath);

      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `COSELL_URL=${JSON.stringify(value)} ${problem}`,
      );
      expect(run.stderr).toContain('such as http://127.0.0.1:3000');
      expect(run.stderr).not.toContain('COSELL_DB_PATH');
      expect(run.stdout).not.toContain('ok ');
    },
    30_000,
  );

  it.each([
    [
      'a password',
      'http://user:s3cret@',
      'http://user:***@',
      'has a user name',
    ],
    ['a user name only', 'http://s3cret@', 'http://***@', 'has a user name'],
    ['an @ in the password', 'http://user:s3@cret@', 'http://user:***@', 'has'],
    [
      'credentials and a bad scheme',
      'ftp://user:s3cret@',
      'ftp://user:***@',
      'is not',
    ],
  ])(
    'hides COSELL_URL credentials with %s',
    async (_case, prefix, shown, problem) => {
      const hostAndPort = app.url.slice('http://'.length);
      const run = await runDemoAt(`${prefix}${hostAndPort}`, app.dbPath);

      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `COSELL_URL=${JSON.stringify(`${shown}${hostAndPort}`)} ${problem}`,
      );
      expect(run.stderr).not.toContain('s3cret');
      expect(run.stderr).not.toContain('cret');
    },
    30_000,
  );

  it('names its deal when stopped by SIGINT', async () => {
    const run = await runDemoAt(
      app.url,
      app.dbPath,
      // The first call of the walk-through, after the deal is written.
      { HOLD_FETCH_PATH: '/v1/deals/' },
      { signal: 'SIGINT' },
    );

    expect(run.stdout).toContain('fetch held');
    expect(run.code).toBe(130);
    expect(run.stderr).not.toContain('middleware and deleting');
    const left = /It leaves the deal (\w+) "([^"]+)" part-way/.exec(run.stderr);
    expect(left).not.toBeNull();
    expect(run.stderr).toContain(
      `in COSELL_DB_PATH=${JSON.stringify(app.dbPath)}, the store of the middleware at COSELL_URL.`,
    );
    const [deal] = await app.gateway.queryRecords('Opportunity', {
      where: { Id: left![1]! },
    });
    expect(deal?.['Name']).toBe(left![2]);
    expect(deal?.['Cosell_Stage__c']).toBe('Registered');
  }, 60_000);

  it('names SIGINT before a deal exists', async () => {
    const run = await runDemoAt(app.url, app.dbPath, {}, { signal: 'SIGINT' });

    expect(run.code).toBe(130);
    expect(run.stderr).toContain(
      'Demo stopped by SIGINT before it created a deal in the store of the middleware at COSELL_URL.',
    );
    expect(run.stderr).not.toContain('middleware and deleting');
  }, 60_000);

  it('names its deal on EPIPE', async () => {
    const child = spawn(process.execPath, [DEMO], {
      env: {
        ...process.env,
        COSELL_LOG_LEVEL: 'error',
        COSELL_URL: app.url,
        COSELL_API_TOKEN: TEST_TOKEN,
        COSELL_DB_PATH: app.dbPath,
      },
    });
    // The reader goes away before the first line, as with `| head -0`.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) =>
      child.on('close', (c) => resolve(c)),
    );

    expect(code).toBe(0);
    const left =
      /^Demo output closed \(EPIPE\)\. It leaves the deal (\w+) "([^"]+)"/.exec(
        stderr,
      );
    expect(left).not.toBeNull();
    const [deal] = await app.gateway.queryRecords('Opportunity', {
      where: { Id: left![1]! },
    });
    expect(deal?.['Name']).toBe(left![2]);
  }, 60_000);

  it('walks a deal through the given middleware', async () => {
    const run = await runDemoAt(app.url, app.dbPath);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/All \d+ steps behaved as expected/);
  }, 60_000);
});

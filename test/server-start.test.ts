import { execFile, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { failedStart, runNode, SERVER } from './helpers/failed-start.js';
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from '@jest/globals';
import { loadBaseConfig, PACKAGE_ROOT } from '../middleware/src/config.js';

const run = promisify(execFile);
const HOLD_LISTEN = path.resolve('test/helpers/hold-listen.mjs');
const HOLD_SERVER_IMPORT = path.resolve('test/helpers/hold-server-import.mjs');
/** The file that `npm start` runs, read from package.json. */
const START = path.resolve(
  /\bnode (\S+\.js)/.exec(
    (
      JSON.parse(readFileSync('package.json', 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts['start'] ?? '',
  )?.[1] ?? 'package.json has no start script that runs node',
);
const TOKEN = 'a'.repeat(64);
/** Runs a test only as root, which alone can give a file to another user. */
const asRoot = process.getuid?.() === 0 ? it : it.skip;
const NOBODY = 65534;
/**
 * Whether a start can show EACCES on the store folder. Root may write anywhere, so
 * as root the start runs as the user nobody, which needs read access to the built
 * server, and a checkout under a private home folder denies that.
 */
const canShowAccessDenied =
  process.getuid?.() !== 0 ||
  spawnSync(
    process.execPath,
    ['-e', `require('node:fs').accessSync(${JSON.stringify(SERVER)})`],
    { uid: NOBODY, gid: NOBODY },
  ).status === 0;
let dir: string;
let dbPath: string;
let tokenFile: string;

/** Builds the environment of a start on the temporary store, without a token. */
function startEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // A token from the shell must not reach the start; one the test gives does.
  const { COSELL_API_TOKEN: _ignored, ...inherited } = process.env;
  return {
    ...inherited,
    PORT: '0',
    COSELL_DB_PATH: dbPath,
    COSELL_SEED_DEMO: 'false',
    COSELL_EXPIRY_SWEEP_SECONDS: '0',
    COSELL_LOG_LEVEL: 'info',
    ...extra,
  };
}

/**
 * Starts the built middleware, stops it with SIGTERM once it listens, and returns its
 * exit code, its stderr and the log lines it wrote after it listened.
 */
async function startAndStop(env: NodeJS.ProcessEnv): Promise<{
  code: number | null;
  stderr: string;
  linesBeforeListen: string[];
  linesAfterListen: string[];
}> {
  const child = spawn(process.execPath, [SERVER], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', resolve),
  );
  const linesBeforeListen: string[] = [];
  const linesAfterListen: string[] = [];
  let listening = false;
  for await (const line of createInterface({ input: child.stdout })) {
    if (listening) {
      linesAfterListen.push(line);
    } else if (line.includes('Cosell Stages middleware listening')) {
      listening = true;
      child.kill('SIGTERM');
    } else {
      linesBeforeListen.push(line);
    }
  }
  const code = await exited;
  if (!listening) {
    throw new Error(`the middleware exited before it listened: ${stderr}`);
  }
  return { code, stderr, linesBeforeListen, linesAfterListen };
}

beforeAll(() => {
  if (!existsSync(SERVER))
    throw new Error(`Run npm run build first: ${SERVER} is missing`);
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-start-'));
  dbPath = path.join(dir, 'cosell.db');
  tokenFile = path.join(dir, 'api-token');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('default store folder', () => {
  it('is ignored by git', async () => {
    const defaultTokenFile = path.join(
      path.dirname(loadBaseConfig({}).COSELL_DB_PATH),
      'api-token',
    );
    const result = await run('git', [
      'check-ignore',
      '--no-index',
      '--verbose',
      path.relative(process.cwd(), defaultTokenFile),
    ]).catch((error: { code: number; stdout: string }) => error);
    expect('code' in result ? result.code : 0).toBe(0);
    expect(result.stdout).toContain('.gitignore');
  });
});

describe('stop', () => {
  it('logs the signal and the stop as JSON', async () => {
    const { code, stderr, linesAfterListen } = await startAndStop(startEnv());

    expect(code).toBe(0);
    expect(stderr).toBe('');
    const messages = linesAfterListen.map(
      (line) => JSON.parse(line) as { msg: string; signal?: string },
    );
    expect(messages.map((m) => m.msg)).toEqual([
      'stopping',
      'middleware stopped',
    ]);
    expect(messages[0]?.signal).toBe('SIGTERM');
  }, 60_000);

  it('exits when stdout has no reader', async () => {
    const child = spawn(process.execPath, [SERVER], {
      env: startEnv(),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', resolve),
    );
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.includes('Cosell Stages middleware listening')) break;
    }
    // As after `npm start | head`: the reader is gone, so writes get EPIPE.
    child.stdout.destroy();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);

    expect(code).toBe(0);
  }, 60_000);
});

describe('signal during the start', () => {
  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])(
    'removes the new store on %s',
    async (signal, exitCode) => {
      const storeFolder = path.join(dir, 's3');
      const child = spawn(process.execPath, ['--import', HOLD_LISTEN, SERVER], {
        env: startEnv({
          COSELL_DB_PATH: path.join(storeFolder, 'cosell.db'),
          COSELL_SEED_DEMO: 'true',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', resolve),
      );
      // A start that ignores the signal runs on, so the test stops it.
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const messages: string[] = [];
      const stdoutRead = (async () => {
        for await (const line of createInterface({ input: child.stdout })) {
          messages.push((JSON.parse(line) as { msg: string }).msg);
        }
      })();
      // The store and its token file exist before the start binds the port.
      let filesWhenHeld: string[] = [];
      for await (const line of createInterface({ input: child.stderr })) {
        if (line !== 'listen held') continue;
        filesWhenHeld = readdirSync(storeFolder);
        child.kill(signal);
      }
      const code = await exited;
      clearTimeout(timer);
      await stdoutRead;

      expect(filesWhenHeld).toContain('cosell.db');
      expect(filesWhenHeld).toContain('api-token');
      expect(code).toBe(exitCode);
      expect(existsSync(storeFolder)).toBe(false);
      expect(messages).toContain('stopping the unfinished start');
      expect(messages).not.toContain('seeded the demo org');
      // The steps still under way, such as loading the stage models, log no
      // progress after the stop, and the last line names what was removed.
      const afterStop = messages.slice(
        messages.indexOf('stopping the unfinished start') + 1,
      );
      expect(afterStop).toEqual([
        'the unfinished start stopped and removed the files it created',
      ]);
    },
    60_000,
  );
});

/** Waits until `file` exists, checking every 20 ms for at most 30 s. */
async function waitForFile(file: string): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 20) {
    if (existsSync(file)) return;
    await delay(20);
  }
  throw new Error(`${file} did not appear within 30 s`);
}

describe('signal while modules load', () => {
  it('logs the stop of npm start', async () => {
    const storeFolder = path.join(dir, 'early');
    const marker = path.join(dir, 'server-import-held');
    const child = spawn(
      process.execPath,
      ['--import', HOLD_SERVER_IMPORT, START],
      {
        env: startEnv({
          COSELL_DB_PATH: path.join(storeFolder, 'cosell.db'),
          COSELL_TEST_IMPORT_MARKER: marker,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    const stdoutRead = (async () => {
      for await (const line of createInterface({ input: child.stdout })) {
        lines.push(line);
      }
    })();
    // The preload delays the load of server.js and writes the marker when
    // that load begins, which is after start.js installed its handlers.
    await waitForFile(marker);
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, string | null]>(
      (resolve) => child.on('close', (c, s) => resolve([c, s])),
    );
    await stdoutRead;

    expect(signal).toBeNull();
    expect(code).toBe(130);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { msg: string; signal: string };
    expect(entry.msg).toBe(
      'the start was stopped while its modules loaded, before it created any file',
    );
    expect(entry.signal).toBe('SIGINT');
    expect(existsSync(storeFolder)).toBe(false);
  }, 60_000);
});

describe('API token file', () => {
  it('is created for its owner only', async () => {
    await startAndStop(startEnv());

    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(tokenFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('is named as shared by the folder', async () => {
    const { linesBeforeListen } = await startAndStop(startEnv());

    const note = linesBeforeListen
      .map((line) => JSON.parse(line) as { msg: string; tokenFile?: string })
      .find((entry) => entry.msg.startsWith('every store file in'));
    expect(note?.tokenFile).toBe(tokenFile);
    expect(note?.msg).toContain(
      `every store file in ${dir} that starts without COSELL_API_TOKEN shares this API token file`,
    );
  }, 60_000);

  it('is kept when private', async () => {
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });

    await startAndStop(startEnv());

    expect(readFileSync(tokenFile, 'utf8')).toBe(`${TOKEN}\n`);
  }, 60_000);

  it.each([
    ['empty', '', 'a token of 0 characters'],
    ['short', 'short\n', 'a token of 5 characters'],
    [
      'spaced',
      `${'b'.repeat(20)} ${'c'.repeat(20)}\n`,
      'with whitespace, control or non-ASCII characters in it',
    ],
    [
      'with a control character',
      `${'b'.repeat(20)}\u0001${'c'.repeat(20)}\n`,
      'with whitespace, control or non-ASCII characters in it',
    ],
  ])(
    'is rejected when %s',
    async (_label, content, message) => {
      writeFileSync(tokenFile, content, { mode: 0o600 });

      const { code, stderr } = await failedStart(startEnv());

      expect(code).toBe(2);
      expect(stderr).toContain(`The API token file ${tokenFile} contains`);
      expect(stderr).toContain(message);
      expect(stderr).toContain('delete the file so that start makes a new one');
      // The file is kept, so a Named Credential that sends it is not cut off unseen.
      expect(readFileSync(tokenFile, 'utf8')).toBe(content);
    },
    60_000,
  );

  it.each(['644', '640', '604', '660', '606'])(
    'is rejected with mode %s',
    async (mode) => {
      writeFileSync(tokenFile, `${TOKEN}\n`);
      chmodSync(tokenFile, parseInt(mode, 8));

      const { code, stderr } = await failedStart(startEnv());

      expect(code).toBe(2);
      expect(stderr).toContain(`The API token file ${tokenFile}`);
      expect(stderr).toContain(`has mode ${mode}`);
      expect(stderr).toContain(`chmod 600 ${tokenFile}`);
      expect(stderr).toContain('or delete it');
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(readFileSync(tokenFile, 'utf8')).toBe(`${TOKEN}\n`);
    },
    60_000,
  );

  asRoot(
    'is rejected when another user owns it',
    async () => {
      writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
      chownSync(tokenFile, 65534, 65534);

      const { code, stderr } = await failedStart(startEnv());

      expect(code).toBe(2);
      expect(stderr).toContain(`The API token file ${tokenFile}`);
      expect(stderr).toContain('is owned by user id 65534');
      expect(stderr).toContain('delete it');
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );

  it('is rejected as a symbolic link', async () => {
    const target = path.join(dir, 'planted-token');
    writeFileSync(target, `${TOKEN}\n`, { mode: 0o600 });
    symlinkSync(target, tokenFile);

    const { code, stderr } = await failedStart(startEnv());

    expect(code).toBe(2);
    expect(stderr).toContain(`The API token file ${tokenFile}`);
    expect(stderr).toContain('is not a regular file');
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});

describe('store path failure', () => {
  it.each([
    ['generated', {}],
    ['configured', { COSELL_API_TOKEN: TOKEN }],
  ])(
    'names COSELL_DB_PATH with a %s token',
    async (_, extra: Record<string, string>) => {
      const file = path.join(dir, 'plain-file');
      writeFileSync(file, 'not a folder\n');
      const value = path.join(file, 'cosell.db');

      const { code, stderr } = await failedStart(
        startEnv({ COSELL_DB_PATH: value, ...extra }),
      );

      expect(code).toBe(2);
      expect(stderr).toContain(
        `The store path ${JSON.stringify(value)} cannot be used, because ${file} is a file, not a folder; set COSELL_DB_PATH or --db to a file in a folder`,
      );
      expect(stderr).not.toContain('PORT');
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );

  (existsSync('/proc/self') ? it : it.skip)(
    'fails fast on a folder under /proc',
    async () => {
      const value = '/proc/cosell-missing/cosell.db';

      // Node's recursive mkdir loops forever on procfs, so the start gets a timeout.
      const result = await runNode(
        [SERVER],
        startEnv({ COSELL_DB_PATH: value }),
        10_000,
      );

      expect(result.signal).toBeNull();
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `COSELL_DB_PATH=${JSON.stringify(value)} cannot be used as the store path: ` +
          'mkdir /proc/cosell-missing failed (ENOENT). Set COSELL_DB_PATH to a file in a ' +
          'folder you can write, such as .cosell/cosell.db. The folder is created when ' +
          'missing and also holds the generated API token file api-token.\n',
      );
    },
    30_000,
  );

  it('names a folder as the store', async () => {
    const folder = path.join(dir, 'store');
    mkdirSync(folder);

    const { code, stderr } = await failedStart(
      startEnv({ COSELL_DB_PATH: folder }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      `The store path ${folder} is a folder, not a store file; set COSELL_DB_PATH or --db to a file path, such as ${path.join(folder, 'cosell.db')}\n`,
    );
    expect(readdirSync(folder)).toEqual([]);
    expect(existsSync(tokenFile)).toBe(false);
  }, 60_000);

  it.each(['/', '/.'])(
    'rejects a store path ending in %s',
    async (ending) => {
      const value = `${path.join(dir, 'cfg')}${ending}`;

      const { code, stderr } = await failedStart(
        startEnv({ COSELL_DB_PATH: value }),
      );

      expect(code).toBe(2);
      expect(stderr).toContain(
        `COSELL_DB_PATH=${JSON.stringify(value)}: ends in a path separator or in "." or "..", so it names a folder, not a store file; add a file name, such as ${path.join(dir, 'cfg', 'cosell.db')}`,
      );
      expect(existsSync(path.join(dir, 'cfg'))).toBe(false);
      expect(existsSync(tokenFile)).toBe(false);
    },
    60_000,
  );

  it('names COSELL_PACKAGE_DIR above a checkout', async () => {
    // A folder above a checkout: the package's objects folder is four
    // levels down, and .git has an objects folder of its own.
    const parent = path.join(dir, 'above-checkout');
    mkdirSync(path.join(parent, 'checkout', '.git', 'objects', 'info'), {
      recursive: true,
    });

    const { code, stderr } = await failedStart(
      startEnv({ COSELL_PACKAGE_DIR: parent }),
    );

    expect(code).toBe(2);
    expect(stderr).toContain(
      `COSELL_PACKAGE_DIR=${JSON.stringify(parent)}: has no objects folder within 3 levels`,
    );
    expect(stderr).toContain(
      'set it to the folder that contains main/default/objects',
    );
    expect(stderr).not.toContain('standardObjects()');
    expect(existsSync(dbPath)).toBe(false);
  }, 60_000);

  it('names COSELL_PACKAGE_DIR at a project root', async () => {
    const project = path.join(dir, 'project-root');
    mkdirSync(path.join(project, 'force-app', 'main', 'default', 'objects'), {
      recursive: true,
    });
    writeFileSync(
      path.join(project, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app' }] }),
    );

    const { code, stderr } = await failedStart(
      startEnv({ COSELL_PACKAGE_DIR: project }),
    );

    expect(code).toBe(2);
    expect(stderr).toContain(
      `COSELL_PACKAGE_DIR=${JSON.stringify(project)}: is the root of an SFDX project`,
    );
    expect(stderr).toContain(
      `set COSELL_PACKAGE_DIR=${path.join(project, 'force-app')}`,
    );
    expect(existsSync(dbPath)).toBe(false);
  }, 60_000);

  it('names COSELL_PACKAGE_DIR at an objects folder', async () => {
    const objects = path.join(PACKAGE_ROOT, 'force-app/main/default/objects');

    const { code, stderr } = await failedStart(
      startEnv({ COSELL_PACKAGE_DIR: objects }),
    );

    expect(code).toBe(2);
    expect(stderr).toContain(
      `COSELL_PACKAGE_DIR=${JSON.stringify(objects)}: is the objects folder itself`,
    );
    expect(stderr).toContain(
      `set COSELL_PACKAGE_DIR=${path.join(PACKAGE_ROOT, 'force-app')}`,
    );
    expect(stderr).not.toContain('within 3 levels');
    expect(existsSync(dbPath)).toBe(false);
  }, 60_000);

  it('names a dangling symbolic link store', async () => {
    const link = path.join(dir, 'dangling.db');
    const target = path.join(dir, 'missing', 'store.db');
    symlinkSync(target, link);

    const { code, stderr } = await failedStart(
      startEnv({ COSELL_DB_PATH: link }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      `The store path ${JSON.stringify(link)} is a symbolic link to ${target}, which does not exist; fix the link, or name the target itself to create a store there; set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n`,
    );
    expect(existsSync(tokenFile)).toBe(false);
  }, 60_000);

  (canShowAccessDenied ? it : it.skip)(
    'rejects a store file it may not write',
    async () => {
      chmodSync(dir, 0o777);
      writeFileSync(dbPath, '');
      chmodSync(dbPath, 0o444);
      const asNobody = process.getuid?.() === 0;

      const result = await run(process.execPath, [SERVER], {
        env: startEnv({ COSELL_DB_PATH: dbPath, COSELL_API_TOKEN: TOKEN }),
        timeout: 30_000,
        ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
      }).catch((error: { code: number; stderr: string }) => error);

      expect('code' in result ? result.code : 0).toBe(2);
      expect(result.stderr).toBe(
        `The store path ${JSON.stringify(dbPath)} cannot be read and written by this user (EACCES); ` +
          'give the user write access to the file; set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
      );
    },
    60_000,
  );

  (canShowAccessDenied ? it : it.skip)(
    'blames the folder, not PORT, for EACCES',
    async () => {
      const folder = path.join(dir, 'read-only');
      mkdirSync(folder);
      chmodSync(dir, 0o755);
      const asNobody = process.getuid?.() === 0;
      chmodSync(folder, asNobody ? 0o755 : 0o555);
      const value = path.join(folder, 'cosell.db');

      const result = await run(process.execPath, [SERVER], {
        env: startEnv({ COSELL_DB_PATH: value }),
        timeout: 30_000,
        ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
      }).catch((error: { code: number; stderr: string }) => error);

      expect('code' in result ? result.code : 0).toBe(2);
      expect(result.stderr).toContain(
        `COSELL_DB_PATH=${JSON.stringify(value)}`,
      );
      expect(result.stderr).toContain(
        `open ${path.join(folder, 'api-token')} failed (EACCES)`,
      );
      expect(result.stderr).not.toContain('PORT');
    },
    60_000,
  );
});

describe('package directory', () => {
  it('names COSELL_PACKAGE_DIR when missing', async () => {
    const missing = path.join(dir, 'missing-force-app');

    const { code, stderr } = await failedStart(
      startEnv({ COSELL_PACKAGE_DIR: missing }),
    );

    expect(code).toBe(2);
    expect(stderr).toContain(
      `COSELL_PACKAGE_DIR=${JSON.stringify(missing)}: package directory not found`,
    );
    expect(stderr).toContain('such as force-app');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(tokenFile)).toBe(false);
  }, 60_000);
});

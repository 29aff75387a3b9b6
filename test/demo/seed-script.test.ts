import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import {
  copyPackageWithShortPlanStep,
  importFixtureDeals,
} from '../helpers/local-store.js';

const run = promisify(execFile);
const NOBODY = 65534;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-seed-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Reads which file `npm run seed` runs from package.json. */
function seedScriptFile(): string {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    scripts: Record<string, string>;
  };
  const match = /\bnode (\S+\.js)/.exec(manifest.scripts['seed'] ?? '');
  if (!match)
    throw new Error('package.json has no "seed" script that runs node');
  return match[1]!;
}

/**
 * Runs the built seed script on `dbPath`, as `npm run seed -- --db` does, as
 * the user id `uid` when given.
 */
async function runSeed(
  dbPath: string,
  packageDir = path.resolve('force-app'),
  uid?: number,
  extraArgs: string[] = [],
) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    COSELL_PACKAGE_DIR: packageDir,
  };
  delete env['COSELL_DB_PATH'];
  return run(
    process.execPath,
    [seedScriptFile(), '--db', dbPath, ...extraArgs],
    {
      env,
      ...(uid === undefined ? {} : { uid, gid: uid }),
    },
  );
}

/**
 * Whether the seed script can run as the user nobody, which needs read access
 * to the built script, and a checkout under a private home folder denies that.
 */
function nobodyCanRunSeed(): boolean {
  return (
    spawnSync(
      process.execPath,
      [
        '-e',
        `require('node:fs').accessSync(${JSON.stringify(path.resolve(seedScriptFile()))})`,
      ],
      { uid: NOBODY, gid: NOBODY },
    ).status === 0
  );
}

async function countDeals(dbPath: string): Promise<number> {
  return countRecords(dbPath, 'Opportunity');
}

async function countRecords(
  dbPath: string,
  objectName: string,
): Promise<number> {
  const gateway = await openLocalGateway({
    dbPath,
    packageDir: path.resolve('force-app'),
  });
  try {
    return await gateway.countRecords(objectName);
  } finally {
    await gateway.close();
  }
}

/**
 * Whether a run can show EACCES on a folder. Root may search any folder, so as
 * root the script runs as nobody.
 */
const canShowAccessDenied = process.getuid?.() !== 0 || nobodyCanRunSeed();

describe('npm run seed', () => {
  it('runs a script the build produces', () => {
    expect(existsSync(seedScriptFile())).toBe(true);
  });

  it('seeds a new store and leaves a seeded one', async () => {
    const dbPath = path.join(dir, 'seeded.db');
    const first = await runSeed(dbPath);
    expect(first.stdout).toMatch(/^Seeded \d+ demo deals with \d+ moves/);
    expect(first.stdout).toContain(dbPath);
    expect(first.stdout).toContain('005000000000010AAA  Taylor Brooks');
    const deals = await countDeals(dbPath);
    expect(deals).toBeGreaterThan(500);

    const second = await runSeed(dbPath);
    expect(second.stdout).toContain(
      `${dbPath} already has ${deals} deals; nothing seeded.`,
    );
    expect(second.stdout).not.toContain('Delete');
    expect(await countDeals(dbPath)).toBe(deals);
  }, 60_000);

  it('offers --users for deals without users', async () => {
    const dbPath = path.join(dir, 'imported.db');
    await importFixtureDeals(dbPath);
    const deals = await countDeals(dbPath);
    expect(deals).toBeGreaterThan(0);

    const plain = await runSeed(dbPath).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect('code' in plain ? plain.code : 0).toBe(1);
    expect(plain.stderr).toContain(
      `${dbPath} has ${deals} deals but no User records`,
    );
    expect(plain.stderr).toContain(`npm run seed -- --db ${dbPath} --users`);
    expect(plain.stderr).not.toContain('Delete');
    expect(await countRecords(dbPath, 'User')).toBe(0);

    const withUsers = await runSeed(dbPath, undefined, undefined, ['--users']);
    expect(withUsers.stdout).toMatch(
      new RegExp(
        `^Added \\d+ demo users to ${dbPath}; its ${deals} deals are unchanged`,
      ),
    );
    expect(withUsers.stdout).toContain('005000000000010AAA  Taylor Brooks');
    expect(await countRecords(dbPath, 'User')).toBeGreaterThan(0);
    expect(await countDeals(dbPath)).toBe(deals);

    const again = await runSeed(dbPath, undefined, undefined, ['--users']);
    expect(again.stdout).toContain(`${dbPath} already has`);
    expect(again.stdout).toContain('users; nothing seeded.');
  }, 60_000);

  it('rejects --users on a missing store', async () => {
    const dbPath = path.join(dir, 'missing', 'users.db');
    const missing = await runSeed(dbPath, undefined, undefined, [
      '--users',
    ]).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    expect('code' in missing ? missing.code : 0).toBe(2);
    expect(missing.stderr).toContain(`but ${dbPath} does not exist.`);
    expect(missing.stderr).toContain(`run: npm run seed -- --db ${dbPath} `);
    expect(missing.stderr).toContain(`COSELL_DB_PATH=${dbPath} npm start`);
    expect(missing.stdout).toBe('');
    expect(existsSync(path.dirname(dbPath))).toBe(false);
  }, 60_000);

  it('exits 2 on an unknown option', async () => {
    const unknown = await run(process.execPath, [
      seedScriptFile(),
      '--bogus',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect('code' in unknown ? unknown.code : 0).toBe(2);
    expect(unknown.stderr).toContain('Usage: npm run seed');
  });

  it('exits 2 on an empty --db without a stack', async () => {
    const result = await runSeed('').catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      'The store path "" is empty, not a file path; set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
    );
  });

  it.each(['/', '/.'])('rejects --db ending in %s', async (ending) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cosell-seed-slash-'));
    try {
      const value = `${path.join(dir, 'slash')}${ending}`;
      const result = await runSeed(value).catch(
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect('code' in result ? result.code : 0).toBe(2);
      expect(result.stderr).toBe(
        `The store path ${JSON.stringify(value)} ends in a path separator or in "." or "..", so it names a folder, not a store file; ` +
          `add a file name, such as ${path.join(dir, 'slash', 'cosell.db')}; ` +
          'set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
      );
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on --db below a file without a stack', async () => {
    const file = path.join(dir, 'pfile');
    writeFileSync(file, '');
    const dbPath = path.join(file, 'x.db');
    const result = await runSeed(dbPath).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      `The store path ${JSON.stringify(dbPath)} cannot be used, because ${file} is a file, not a folder; ` +
        'set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
    );
  });

  it('exits 2 below a symbolic link loop', async () => {
    const loop = path.join(dir, 'loop1');
    symlinkSync(path.join(dir, 'loop2'), loop);
    symlinkSync(loop, path.join(dir, 'loop2'));
    const dbPath = path.join(loop, 'x.db');

    const result = await runSeed(dbPath).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      `The store path ${JSON.stringify(dbPath)} cannot be used, because a symbolic link on the way to ${dbPath} leads back to itself (ELOOP); ` +
        'point the link at a folder; set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
    );
  });

  (canShowAccessDenied ? it : it.skip)(
    'exits 2 below a folder it may not search',
    async () => {
      const asNobody = process.getuid?.() === 0;
      const parent = path.join(dir, 'search');
      const inner = path.join(parent, 'inner');
      mkdirSync(inner, { recursive: true });
      chmodSync(dir, 0o755);
      chmodSync(parent, 0o755);
      chmodSync(inner, asNobody ? 0o700 : 0o000);
      const dbPath = path.join(inner, 'x.db');

      const result = await runSeed(
        dbPath,
        undefined,
        asNobody ? NOBODY : undefined,
      ).catch(
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      chmodSync(inner, 0o700);

      expect('code' in result ? result.code : 0).toBe(2);
      expect(result.stderr).toBe(
        `The store path ${JSON.stringify(dbPath)} cannot be used, because this user may not search a folder on the way to ${dbPath} (EACCES); ` +
          'give the user execute permission on each folder of the path; set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
      );
      expect(existsSync(dbPath)).toBe(false);
    },
  );

  it('exits 2 on a text file as the store', async () => {
    const text = path.join(dir, 'text.db');
    writeFileSync(text, 'not a database\n');
    const result = await runSeed(text).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      'The local store file cannot be used:\n' +
        `- ${text} is not a SQLite database, so it cannot be a Cosell Stages store; ` +
        'set the store path (COSELL_DB_PATH or --db) to a Cosell Stages store or to a new file, which becomes an empty store\n',
    );
    expect(result.stdout).toBe('');
    expect(readFileSync(text, 'utf8')).toBe('not a database\n');
  });

  it('removes a new store the demo does not fit', async () => {
    const packageDir = copyPackageWithShortPlanStep(
      path.join(dir, 'short-step-force-app'),
    );
    const dbPath = path.join(dir, 'misfit', 'seed.db');

    const result = await runSeed(dbPath, packageDir).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain(
      'Seeding the demo data failed, because its records do not fit the objects of the package folder (COSELL_PACKAGE_DIR): ' +
        `Close_Plan_Step__c records do not fit the object files of the package folder ${packageDir}, so none`,
    );
    expect(result.stderr).toContain(
      `has 40 characters, more than the field's 2`,
    );
    expect(result.stderr).toContain(`The new store ${dbPath} was removed.\n`);
    expect(existsSync(path.join(dir, 'misfit'))).toBe(false);
  });

  it('exits 2 on a path too long for SQLite', async () => {
    const parent = path.join(dir, 'long');
    const part = 'd'.repeat(200);
    const dbPath = path.join(parent, part, part, part, 'x.db');
    const bytes = Buffer.byteLength(dbPath);
    const result = await runSeed(dbPath).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      `The store path ${JSON.stringify(dbPath)} is ${bytes} bytes long as an absolute path, ` +
        'more than the 504 bytes SQLite opens (512 with its -journal suffix); choose a shorter path; ' +
        'set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
    );
    expect(existsSync(parent)).toBe(false);
  });

  it('exits 2 on a file name too long', async () => {
    const dbPath = path.join(dir, `${'n'.repeat(300)}.db`);
    const result = await runSeed(dbPath).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain(
      'has a part of 303 bytes, more than the 255 bytes a file or folder name may have',
    );
  });
});

import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from '@jest/globals';
import { Messages } from '@salesforce/core';
import type { SfError } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { defaultSourceDir } from '../../../middleware/src/cli/source-dir.js';
import CriteriaImpactCommand from '../../../middleware/src/commands/cosell/criteria/impact.js';
import DealExplain from '../../../middleware/src/commands/cosell/deal/explain.js';
import PipelineEvaluate from '../../../middleware/src/commands/cosell/pipeline/evaluate.js';
import ReportExport from '../../../middleware/src/commands/cosell/report/export.js';
import { PACKAGE_ROOT } from '../../../middleware/src/config.js';
import {
  createCommandFixture,
  PACKAGE_DIR,
  stubProgress,
  useCommandHooks,
} from '../command-fixture.js';
import type { CommandFixture } from '../command-fixture.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const storeMessages = Messages.loadMessages('cosell-stages', 'cosell.store');

type StoreCommand = { run(argv: string[], root: string): Promise<unknown> };

/** Runs `work` with `folder` as the current folder, then changes back. */
async function inFolder<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const saved = process.cwd();
  process.chdir(folder);
  try {
    return await work();
  } finally {
    process.chdir(saved);
  }
}

/**
 * Writes an sfdx-project.json whose default package directory is `src/app`,
 * and creates that folder unless `createPackage` is false.
 */
function writeProject(folder: string, createPackage = true): string {
  mkdirSync(path.join(folder, 'other'), { recursive: true });
  const packageDir = path.join(folder, 'src', 'app');
  if (createPackage) mkdirSync(packageDir, { recursive: true });
  writeFileSync(
    path.join(folder, 'sfdx-project.json'),
    JSON.stringify({
      packageDirectories: [
        { path: 'other' },
        { path: 'src/app', default: true },
      ],
      sourceApiVersion: '62.0',
    }),
  );
  return packageDir;
}

async function runError(
  command: StoreCommand,
  argv: string[],
): Promise<SfError> {
  try {
    await command.run(argv, PACKAGE_ROOT);
  } catch (error) {
    return error as SfError;
  }
  throw new Error(`${argv.join(' ')} did not fail`);
}

/** The flags and values common to the commands that read one store. */
describe('cosell store flags', () => {
  const $$ = new TestContext();
  let fixture: CommandFixture;

  beforeAll(async () => {
    fixture = await createCommandFixture();
  });

  afterAll(async () => {
    await fixture.cleanup();
  });

  useCommandHooks($$);
  beforeEach(() => {
    stubProgress($$);
  });

  /** Each command with the flags it needs besides the store's. */
  const commands: Array<[string, StoreCommand, () => string[]]> = [
    ['deal explain', DealExplain, () => ['--deal-id', '006000000000040AAA']],
    ['pipeline evaluate', PipelineEvaluate, () => []],
    [
      'criteria impact',
      CriteriaImpactCommand,
      () => ['--baseline-dir', PACKAGE_DIR],
    ],
    [
      'report export',
      ReportExport,
      () => [
        '--report',
        'pipeline',
        '--format',
        'csv',
        '--output-file',
        path.join(fixture.dir, 'never.csv'),
      ],
    ],
  ];

  it.each(commands)(
    '%s rejects --local with --target-org',
    async (_name, command, extra) => {
      // No org has this alias, so a lookup would fail with another error.
      const error = await runError(command, [
        '--local',
        '--db',
        fixture.dbPath,
        '--source-dir',
        PACKAGE_DIR,
        '--target-org',
        'no-such-alias',
        ...extra(),
      ]);

      expect(error.name).toBe('LocalAndOrgError');
      expect(error.message).toBe(
        storeMessages.getMessage('error.LocalAndOrg', ['no-such-alias']),
      );
      expect(error.actions).toEqual(
        storeMessages.getMessages('error.LocalAndOrg.actions'),
      );
    },
  );

  it.each(commands)(
    '%s rejects --db with --target-org',
    async (_name, command, extra) => {
      const error = await runError(command, [
        '--db',
        fixture.dbPath,
        '--target-org',
        'no-such-alias',
        ...extra(),
      ]);

      expect(error.name).toBe('DbWithoutLocalError');
      expect(error.message).toBe(
        storeMessages.getMessage('error.DbWithoutLocal', [
          fixture.dbPath,
          'the org no-such-alias',
        ]),
      );
      expect(error.actions).toEqual(
        storeMessages.getMessages('error.DbWithoutLocal.actions'),
      );
    },
  );

  /** Runs `work` with the environment variable `name` set to `value`. */
  async function withVariable<T>(
    name: string,
    value: string,
    work: () => Promise<T>,
  ): Promise<T> {
    const saved = process.env[name];
    process.env[name] = value;
    try {
      return await work();
    } finally {
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
  }

  const localFlags = () => [
    '--local',
    '--db',
    fixture.dbPath,
    '--source-dir',
    PACKAGE_DIR,
  ];

  it.each(commands)(
    '%s rejects an invalid COSELL_LOG_LEVEL',
    async (_name, command, extra) => {
      const error = await withVariable('COSELL_LOG_LEVEL', 'loud', () =>
        runError(command, [...localFlags(), ...extra()]),
      );

      expect(error.name).toBe('InvalidLogLevelVariableError');
      expect(error.message).toContain('COSELL_LOG_LEVEL="loud"');
      expect(error.message).toContain(
        'fatal, error, warn, info, debug, trace or silent',
      );
      expect(error.actions).toEqual(
        storeMessages.getMessages('error.InvalidLogLevelVariable.actions'),
      );
    },
  );

  it.each(commands)(
    '%s rejects an invalid COSELL_TIME_ZONE',
    async (_name, command, extra) => {
      const error = await withVariable('COSELL_TIME_ZONE', 'Nope', () =>
        runError(command, [...localFlags(), ...extra()]),
      );

      expect(error.name).toBe('InvalidTimeZoneVariableError');
      expect(error.message).toContain('COSELL_TIME_ZONE="Nope"');
      expect(error.message).toContain('IANA time zone');
      expect(error.actions).toEqual(
        storeMessages.getMessages('error.InvalidTimeZoneVariable.actions'),
      );
    },
  );

  it('lets --time-zone replace COSELL_TIME_ZONE', async () => {
    const result = await withVariable('COSELL_TIME_ZONE', 'Nope', () =>
      PipelineEvaluate.run(
        [...localFlags(), '--time-zone', 'Europe/Berlin'],
        PACKAGE_ROOT,
      ),
    );

    expect(result.timeZone).toBe('Europe/Berlin');
  });

  it('names --time-zone, not the variable, when typed', async () => {
    const error = await withVariable('COSELL_TIME_ZONE', 'UTC', () =>
      runError(PipelineEvaluate, [...localFlags(), '--time-zone', 'Nope']),
    );

    expect(error.name).toBe('InvalidTimeZoneError');
  });

  it('takes an empty COSELL_LOG_LEVEL as unset', async () => {
    const result = await withVariable('COSELL_LOG_LEVEL', '', () =>
      PipelineEvaluate.run(localFlags(), PACKAGE_ROOT),
    );

    expect(result.openDeals).toBeGreaterThan(0);
  });

  it.each(commands)(
    '%s rejects a folder without objects',
    async (_name, command, extra) => {
      const csvFolder = path.join(fixture.dir, 'csv-files');
      mkdirSync(path.join(csvFolder, 'accounts'), { recursive: true });
      writeFileSync(path.join(csvFolder, 'deals.csv'), 'Id,Name\n');

      const error = await runError(command, [
        '--local',
        '--db',
        fixture.dbPath,
        '--source-dir',
        csvFolder,
        ...extra(),
      ]);

      expect(error.name).toBe('NotPackageFolderError');
      expect(error.message).toBe(
        storeMessages.getMessage('error.NotPackageFolder', [csvFolder]),
      );
      expect(error.actions).toEqual(
        storeMessages.getMessages('error.NotPackageFolder.actions', [
          '--source-dir',
          '--source-dir',
        ]),
      );
    },
  );

  it('names the package folder for a project root', async () => {
    const project = path.join(fixture.dir, 'project-root');
    mkdirSync(path.join(project, 'force-app', 'main', 'default', 'objects'), {
      recursive: true,
    });
    writeFileSync(
      path.join(project, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app' }] }),
    );

    const error = await runError(PipelineEvaluate, [
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      project,
    ]);

    expect(error.name).toBe('WrongPackageFolderError');
    expect(error.message).toContain(
      `${project} is the root of an SFDX project`,
    );
    expect(error.actions).toEqual([
      `Pass --source-dir ${path.join(project, 'force-app')}.`,
    ]);
  });

  it('names the package folder for objects', async () => {
    const objects = path.join(PACKAGE_ROOT, 'force-app/main/default/objects');

    const error = await runError(PipelineEvaluate, [
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      objects,
    ]);

    expect(error.name).toBe('WrongPackageFolderError');
    expect(error.message).toContain(`${objects} is the objects folder itself`);
    expect(error.actions).toEqual([
      `Pass --source-dir ${path.join(PACKAGE_ROOT, 'force-app')}.`,
    ]);
  });

  it('skips .git when looking for objects', async () => {
    const folder = path.join(fixture.dir, 'checkout');
    mkdirSync(path.join(folder, '.git', 'objects'), { recursive: true });

    const error = await runError(PipelineEvaluate, [
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      folder,
    ]);

    expect(error.name).toBe('NotPackageFolderError');
  });

  it('accepts objects directly in the folder', async () => {
    const folder = path.join(fixture.dir, 'flat-package');
    mkdirSync(path.join(folder, 'objects'), { recursive: true });

    // The folder defines no objects, so the store does not match it, but the
    // folder check lets it through to the reader.
    const error = await runError(PipelineEvaluate, [
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      folder,
    ]);

    expect(error.name).toBe('StoreSchemaMismatchError');
  });

  it('rejects --db=PATH without --local', async () => {
    const error = await runError(PipelineEvaluate, [`--db=${fixture.dbPath}`]);

    expect(error.name).toBe('DbWithoutLocalError');
    expect(error.message).toContain('the default org');
  });

  it('takes COSELL_DB_PATH with --target-org', async () => {
    const saved = process.env['COSELL_DB_PATH'];
    process.env['COSELL_DB_PATH'] = fixture.dbPath;
    try {
      // No org has this alias, so the command gets past the flag checks and
      // fails on the org lookup.
      const error = await runError(PipelineEvaluate, [
        '--target-org',
        'no-such-alias',
      ]);

      expect(error.name).not.toBe('DbWithoutLocalError');
      expect(error.message).toContain('no-such-alias');
    } finally {
      if (saved === undefined) delete process.env['COSELL_DB_PATH'];
      else process.env['COSELL_DB_PATH'] = saved;
    }
  });

  it('defaults --source-dir to the own force-app', () => {
    // The fixture folder is under the system temporary folder, with no
    // sfdx-project.json above it.
    expect(defaultSourceDir(fixture.dir)).toBe(
      path.join(PACKAGE_ROOT, 'force-app'),
    );
  });

  it('defaults --source-dir to the project package', () => {
    const project = path.join(fixture.dir, 'project-default');
    const packageDir = writeProject(project);
    const nested = path.join(project, 'src', 'app', 'deeper');
    mkdirSync(nested);

    expect(defaultSourceDir(nested)).toBe(packageDir);
  });

  it('reads the own force-app from another folder', async () => {
    const elsewhere = path.join(fixture.dir, 'elsewhere');
    mkdirSync(elsewhere);
    const db = path.relative(elsewhere, fixture.dbPath);

    const result = await inFolder(elsewhere, () =>
      PipelineEvaluate.run(['--local', '--db', db], PACKAGE_ROOT),
    );

    expect(result.evaluated).toBeGreaterThan(0);
  });

  it('names the flag and default folder on failure', async () => {
    const project = path.join(fixture.dir, 'project-broken-package');
    const packageDir = writeProject(project);
    const fields = path.join(packageDir, 'objects', 'Opportunity', 'fields');
    mkdirSync(fields, { recursive: true });
    writeFileSync(path.join(fields, 'Amount.field-meta.xml'), '<CustomField>');

    const error = await inFolder(project, () =>
      runError(PipelineEvaluate, ['--local', '--db', fixture.dbPath]),
    );

    expect(error.name).toBe('SourceUnreadableError');
    expect(error.message).toContain(`--source-dir, ${packageDir},`);
    expect(error.actions?.[0]).toContain('Check that --source-dir names');
    expect(error.actions?.[1]).toContain(`--source-dir ${packageDir}`);
  });

  it('rejects an empty --db', async () => {
    const error = await runError(PipelineEvaluate, [
      '--local',
      '--db',
      '',
      '--source-dir',
      PACKAGE_DIR,
    ]);

    expect(error.name).toBe('StoreUnusableError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.StoreUnusable', [
        '""',
        'is empty, not a file path',
      ]),
    );
  });

  it('names a dangling symbolic link', async () => {
    const target = path.join(fixture.dir, 'link-target.db');
    const link = path.join(fixture.dir, 'dangling.db');
    symlinkSync(target, link);

    const error = await runError(PipelineEvaluate, [
      '--local',
      '--db',
      link,
      '--source-dir',
      PACKAGE_DIR,
    ]);

    expect(error.name).toBe('StoreUnusableError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.StoreUnusable', [
        link,
        `is a symbolic link to ${target}, which does not exist; fix the link, or name the target itself to create a store there`,
      ]),
    );
    expect(existsSync(target)).toBe(false);
  });

  it('names a too-long file name', async () => {
    const long = path.join(fixture.dir, `${'a'.repeat(300)}.db`);

    const error = await runError(PipelineEvaluate, [
      '--local',
      '--db',
      long,
      '--source-dir',
      PACKAGE_DIR,
    ]);

    expect(error.name).toBe('StoreUnusableError');
    expect(error.message).toContain('has a part of 303 bytes');
  });

  it('names a missing default package directory', async () => {
    const project = path.join(fixture.dir, 'project-without-package');
    const packageDir = writeProject(project, false);
    const projectFile = path.join(project, 'sfdx-project.json');

    const error = await inFolder(project, () =>
      runError(PipelineEvaluate, ['--local', '--db', fixture.dbPath]),
    );

    expect(error.name).toBe('DefaultSourceDirMissingError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.DefaultSourceDirMissing', [
        'src/app',
        projectFile,
        packageDir,
      ]),
    );
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.DefaultSourceDirMissing.actions'),
    );
  });

  it('rejects an unreadable sfdx-project.json', () => {
    const project = path.join(fixture.dir, 'project-broken');
    mkdirSync(project);
    const projectFile = path.join(project, 'sfdx-project.json');
    writeFileSync(projectFile, JSON.stringify({ packageDirectories: [] }));

    let error: SfError | undefined;
    try {
      defaultSourceDir(project);
    } catch (caught) {
      error = caught as SfError;
    }

    expect(error?.name).toBe('InvalidSfdxProjectError');
    expect(error?.message).toContain(projectFile);
  });
});

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Messages } from '@salesforce/core';
import Database from 'better-sqlite3';
import type { SfError } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { parse } from 'csv-parse/sync';
import ReportExport from '../../../../middleware/src/commands/cosell/report/export.js';
import { DEMO_CURRENCY_RATES } from '../../../../middleware/src/demo/seed-history.js';
import type { ReportExportResult } from '../../../../middleware/src/commands/cosell/report/export.js';
import {
  createCommandFixture,
  PACKAGE_DIR,
  useCommandHooks,
} from '../../command-fixture.js';
import type { CommandFixture } from '../../command-fixture.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.report.export');
const storeMessages = Messages.loadMessages('cosell-stages', 'cosell.store');
const outputMessages = Messages.loadMessages(
  'cosell-stages',
  'cosell.output-file',
);

/** Probes whether mkfifo works here by making a FIFO in a temp folder. */
function canMakeFifo(): boolean {
  const folder = mkdtempSync(path.join(tmpdir(), 'cosell-fifo-probe-'));
  try {
    execFileSync('mkfifo', [path.join(folder, 'probe')]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const withFifo = canMakeFifo() ? it : it.skip;

function temporaryFiles(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.tmp'));
}

const pipelineCsv = ['--report', 'pipeline', '--format', 'csv'];

describe('cosell report export', () => {
  const $$ = new TestContext();
  let fixture: CommandFixture;
  let local: string[];
  let outDir: string;
  let openDeals: number;
  let transitionsOfStagedDeals: number;
  let wonDeals: number;

  async function runError(
    argv: string[],
    store: string[] = local,
  ): Promise<SfError> {
    try {
      await ReportExport.run([...store, ...argv], process.cwd());
    } catch (error) {
      return error as SfError;
    }
    throw new Error(`cosell report export ${argv.join(' ')} did not fail`);
  }

  function exportTo(file: string, argv: string[]) {
    return ReportExport.run(
      [...local, ...argv, '--output-file', path.join(outDir, file)],
      process.cwd(),
    );
  }

  /** Exports the pipeline as CSV to `file`, which may be outside outDir. */
  function exportPipeline(file: string) {
    return ReportExport.run(
      [...local, ...pipelineCsv, '--output-file', file],
      process.cwd(),
    );
  }

  function exportPipelineError(
    file: string,
    store: string[] = local,
  ): Promise<SfError> {
    return runError([...pipelineCsv, '--output-file', file], store);
  }

  /** Exports `report` as CSV to `file` in outDir and returns the error. */
  function exportCsvError(report: string, file: string): Promise<SfError> {
    return runError([
      '--report',
      report,
      '--format',
      'csv',
      '--output-file',
      path.join(outDir, file),
    ]);
  }

  /**
   * Flags of a store file that does not exist. A test that fails with another
   * error on them shows that its check runs before the store opens.
   */
  function missingStoreFlags(): string[] {
    return [
      '--local',
      '--db',
      path.join(fixture.dir, 'no-such-store.db'),
      '--source-dir',
      PACKAGE_DIR,
    ];
  }

  beforeAll(async () => {
    fixture = await createCommandFixture();
    local = ['--local', '--db', fixture.dbPath, '--source-dir', PACKAGE_DIR];
    outDir = path.join(fixture.dir, 'out');
    mkdirSync(outDir);
    const store = await fixture.openStore();
    try {
      openDeals = await store.countRecords('Opportunity', { IsClosed: false });
      const staged = await store.queryRecords('Opportunity', {
        fields: ['Id', 'Cosell_Stage__c'],
      });
      const withStage = new Set(
        staged.filter((deal) => deal['Cosell_Stage__c']).map((deal) => deal.Id),
      );
      const transitions = await store.queryRecords('Stage_Transition__c', {
        fields: ['Opportunity__c'],
      });
      transitionsOfStagedDeals = transitions.filter((t) =>
        withStage.has(t['Opportunity__c'] as string),
      ).length;
      wonDeals = await store.countRecords('Opportunity', {
        Cosell_Stage__c: 'Closed_Attributed',
      });
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await fixture.cleanup();
  });

  const ux = useCommandHooks($$);

  it('exports the pipeline as CSV', async () => {
    const result = await exportTo('pipeline.csv', [
      '--report',
      'pipeline',
      '--format',
      'csv',
    ]);

    const text = readFileSync(result.outputFile, 'utf8');
    const rows = parse(text, { columns: true }) as Array<
      Record<string, string>
    >;
    expect(result.rows).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(openDeals);
    expect(Object.keys(rows[0] ?? {})).toContain('Deal Id');
    expect(result.bytes).toBe(Buffer.byteLength(text));
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('starts a CSV with a BOM on request', async () => {
    const result = await exportTo('pipeline-excel.csv', [
      '--report',
      'pipeline',
      '--format',
      'csv',
      '--bom',
    ]);

    const bytes = readFileSync(result.outputFile);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('exports the stage history as JSON', async () => {
    const result = await exportTo('history.json', [
      '--report',
      'stage-history',
      '--format',
      'json',
    ]);

    const rows = JSON.parse(readFileSync(result.outputFile, 'utf8')) as Array<
      Record<string, unknown>
    >;
    expect(rows).toHaveLength(transitionsOfStagedDeals);
    expect(result.rows).toBe(transitionsOfStagedDeals);
    for (const row of rows) {
      expect(row['dealName']).toEqual(expect.any(String));
      expect(row['requestedBy']).toEqual(expect.any(String));
      expect(row['confirmedBy']).toEqual(expect.any(String));
    }
  });

  it('exports attribution of won deals', async () => {
    const result = await exportTo('attribution.ndjson', [
      '--report',
      'attribution',
      '--format',
      'ndjson',
    ]);

    const lines = readFileSync(result.outputFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    const deals = new Set(
      lines.map((line) => (JSON.parse(line) as { dealId: string }).dealId),
    );
    expect(wonDeals).toBeGreaterThan(0);
    expect(deals.size).toBe(wonDeals);
    expect(result.skippedDeals).toBe(0);
    expect(ux().warn.called).toBe(false);
  });

  it('writes the scorecard as markdown', async () => {
    const result = await exportTo('scorecard.md', [
      '--report',
      'scorecard',
      '--format',
      'md',
    ]);

    const text = readFileSync(result.outputFile, 'utf8');
    expect(text).toMatch(/^#/);
    expect(text).toContain('|');
    expect(result.rows).toBeGreaterThan(0);
  });

  it('draws the funnel as SVG', async () => {
    const result = await exportTo('funnel.svg', [
      '--report',
      'funnel',
      '--format',
      'svg',
    ]);

    const text = readFileSync(result.outputFile, 'utf8');
    expect(text).toMatch(/^<svg/);
    expect(text.trimEnd()).toMatch(/<\/svg>$/);
    expect(result.rows).toBeNull();
    expect(ux().logSuccess.firstCall.args[0]).toBe(
      `Wrote the funnel report (svg) to ${result.outputFile}: ${result.bytes} bytes.`,
    );
  });

  it('forecasts the given number of quarters', async () => {
    const result = await exportTo('forecast.json', [
      '--report',
      'forecast',
      '--format',
      'json',
      '--quarters',
      '2',
    ]);

    const rows = JSON.parse(readFileSync(result.outputFile, 'utf8')) as Array<
      Record<string, unknown>
    >;
    expect(rows).toHaveLength(2);
    expect(rows[0]?.['period']).not.toBe(rows[1]?.['period']);
  });

  it('writes the agenda document', async () => {
    const result = await exportTo('agenda.md', [
      '--report',
      'agenda',
      '--format',
      'md',
    ]);

    const text = readFileSync(result.outputFile, 'utf8');
    expect(text).toMatch(/^#/);
    expect(result.bytes).toBe(Buffer.byteLength(text));
    // A document has sections, not rows, so it reports no row count.
    expect(result.rows).toBeNull();
  });

  it('prints the result as JSON', async () => {
    await exportTo('pipeline.json', [
      '--report',
      'pipeline',
      '--format',
      'json',
      '--json',
    ]);

    const printed = ux().logJson.firstCall.args[0] as {
      status: number;
      result: ReportExportResult;
    };
    expect(printed.status).toBe(0);
    expect(printed.result.report).toBe('pipeline');
    expect(printed.result.outputFile).toBe(path.join(outDir, 'pipeline.json'));
  });

  it('rejects a format the report lacks', async () => {
    const error = await runError([
      '--report',
      'pipeline',
      '--format',
      'svg',
      '--output-file',
      path.join(outDir, 'never.svg'),
    ]);

    expect(error.name).toBe('UnsupportedFormatError');
    expect(error.message).toBe(
      messages.getMessage('error.UnsupportedFormat', ['pipeline', 'svg']),
    );
    expect(error.actions).toEqual(
      messages.getMessages('error.UnsupportedFormat.actions', [
        'csv, json, ndjson',
      ]),
    );
    expect(existsSync(path.join(outDir, 'never.svg'))).toBe(false);
  });

  it('rejects --bom without CSV', async () => {
    const error = await runError([
      '--report',
      'pipeline',
      '--format',
      'json',
      '--bom',
      '--output-file',
      path.join(outDir, 'never.json'),
    ]);

    expect(error.name).toBe('BomWithoutCsvError');
    expect(error.actions).toEqual(
      messages.getMessages('error.BomWithoutCsv.actions'),
    );
  });

  it('fails when the output folder is missing', async () => {
    const missing = path.join(outDir, 'no-such-folder', 'report.csv');
    const error = await runError([
      '--report',
      'pipeline',
      '--format',
      'csv',
      '--output-file',
      missing,
    ]);

    expect(error.name).toBe('OutputFolderMissingError');
    expect(error.message).toBe(
      outputMessages.getMessage('error.OutputFolderMissing', [
        path.dirname(missing),
      ]),
    );
  });

  it('fails when the output folder is a file', async () => {
    const file = path.join(outDir, 'plain-file');
    writeFileSync(file, 'not a folder\n');
    const target = path.join(file, 'sub', 'report.csv');

    const error = await exportPipelineError(target);

    expect(error.name).toBe('OutputFolderMissingError');
    expect(error.message).toBe(
      outputMessages.getMessage('error.OutputFolderMissing', [
        path.dirname(target),
      ]),
    );
    expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
  });

  it('rejects an empty output file', async () => {
    const error = await exportPipelineError('', missingStoreFlags());

    expect(error.name).toBe('OutputEmptyError');
    expect(error.message).toBe(outputMessages.getMessage('error.OutputEmpty'));
    expect(error.actions).toEqual(
      outputMessages.getMessages('error.OutputEmpty.actions', [
        'cosell-pipeline.csv',
      ]),
    );
  });

  it('rejects "-" instead of writing a file named "-"', async () => {
    const error = await exportPipelineError('-', missingStoreFlags());

    expect(error.name).toBe('OutputDashError');
    expect(error.actions).toEqual(
      outputMessages.getMessages('error.OutputDash.actions', [
        'cosell-pipeline.csv',
      ]),
    );
    expect(existsSync(path.resolve('-'))).toBe(false);
  });

  it('rejects a folder as the output file', async () => {
    const folder = path.join(outDir, 'a-folder');
    mkdirSync(folder);

    const error = await exportPipelineError(folder, missingStoreFlags());

    expect(error.name).toBe('OutputIsFolderError');
    expect(error.message).toBe(
      outputMessages.getMessage('error.OutputIsFolder', [folder]),
    );
    expect(error.actions).toEqual(
      outputMessages.getMessages('error.OutputIsFolder.actions', [
        path.join(folder, 'cosell-pipeline.csv'),
      ]),
    );
    expect(readdirSync(outDir).filter((name) => name.endsWith('.tmp'))).toEqual(
      [],
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it.each([
    ['a file', '/', 'plain-file.csv'],
    ['a file', '/.', 'plain-file.csv'],
    ['a missing path', '/', 'new-folder'],
    ['a missing path', '/.', 'new-folder'],
  ])('rejects %s ending in %s', async (_kind, ending, name) => {
    const folder = path.join(outDir, 'folder-ending');
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'plain-file.csv');
    writeFileSync(file, 'previous export\n');
    const requested = path.join(folder, name);
    const value = `${requested}${ending}`;

    const error = await exportPipelineError(value, missingStoreFlags());

    expect(error.name).toBe('OutputFolderNotFoundError');
    expect(error.message).toBe(
      outputMessages.getMessage('error.OutputFolderNotFound', [
        value,
        path.resolve(value),
      ]),
    );
    expect(error.actions).toEqual(
      outputMessages.getMessages('error.OutputFolderNotFound.actions', [
        path.resolve(value),
      ]),
    );
    expect(readFileSync(file, 'utf8')).toBe('previous export\n');
    expect(readdirSync(folder)).toEqual(['plain-file.csv']);
  });

  it('rejects a symbolic link to a folder', async () => {
    const folder = path.join(outDir, 'linked-folder');
    mkdirSync(folder);
    const link = path.join(outDir, 'folder-link.csv');
    symlinkSync(folder, link);

    const error = await exportPipelineError(link);

    expect(error.name).toBe('OutputIsFolderError');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(folder)).toEqual([]);
  });

  withFifo('rejects a FIFO as the output file', async () => {
    const folder = path.join(outDir, 'fifo');
    mkdirSync(folder);
    const fifo = path.join(folder, 'report.csv');
    execFileSync('mkfifo', [fifo]);

    // The check runs before the store opens and never opens the FIFO, so no
    // reader or writer blocks on it.
    const error = await exportPipelineError(fifo, missingStoreFlags());

    expect(error.name).toBe('OutputNotRegularFileError');
    expect(error.message).toBe(
      outputMessages.getMessage('error.OutputNotRegularFile', [
        fifo,
        outputMessages.getMessage('type.Fifo'),
      ]),
    );
    expect(error.actions).toEqual(
      outputMessages.getMessages('error.OutputNotRegularFile.actions', [
        path.join(folder, 'cosell-pipeline.csv'),
      ]),
    );
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(folder)).toEqual(['report.csv']);
  });

  withFifo('rejects a symbolic link to a FIFO', async () => {
    const folder = path.join(outDir, 'fifo-link');
    mkdirSync(folder);
    const fifo = path.join(folder, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(folder, 'report.csv');
    symlinkSync('pipe', link);

    const error = await exportPipelineError(link);

    expect(error.name).toBe('OutputNotRegularFileError');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(temporaryFiles(folder)).toEqual([]);
  });

  it('writes through a symbolic link to a file', async () => {
    const folder = path.join(outDir, 'file-link');
    const targets = path.join(folder, 'targets');
    mkdirSync(targets, { recursive: true });
    const target = path.join(targets, 'pipeline.csv');
    writeFileSync(target, 'previous export\n');
    const link = path.join(folder, 'pipeline.csv');
    symlinkSync(path.join('targets', 'pipeline.csv'), link);

    const result = await exportPipeline(link);

    expect(result.outputFile).toBe(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(path.join('targets', 'pipeline.csv'));
    expect(readFileSync(target, 'utf8')).toContain('Deal Id');
    expect(readFileSync(target, 'utf8')).not.toContain('previous export');
    expect(temporaryFiles(folder)).toEqual([]);
    expect(temporaryFiles(targets)).toEqual([]);
  });

  it('writes through a symbolic link to a missing file', async () => {
    const folder = path.join(outDir, 'missing-link');
    const targets = path.join(folder, 'targets');
    mkdirSync(targets, { recursive: true });
    const link = path.join(folder, 'pipeline.csv');
    symlinkSync(path.join('targets', 'new.csv'), link);

    await exportPipeline(link);

    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const target = path.join(targets, 'new.csv');
    expect(lstatSync(target).isFile()).toBe(true);
    expect(readFileSync(target, 'utf8')).toContain('Deal Id');
    expect(readdirSync(targets)).toEqual(['new.csv']);
    expect(readdirSync(folder).sort()).toEqual(['pipeline.csv', 'targets']);
  });

  it('writes a new report owner-only', async () => {
    const target = path.join(outDir, 'pipeline-new-mode.csv');

    await exportPipeline(target);

    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('keeps the mode of a replaced file', async () => {
    const target = path.join(outDir, 'pipeline-640.csv');
    writeFileSync(target, 'previous export\n');
    chmodSync(target, 0o640);

    await exportPipeline(target);

    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readFileSync(target, 'utf8')).toContain('Deal Id');
  });

  describe('with --output-file at the store', () => {
    let storeDir: string;
    let store: string;
    let storeBytes: Buffer;

    beforeAll(() => {
      storeDir = path.join(fixture.dir, 'victim');
      mkdirSync(storeDir);
      store = path.join(storeDir, 'victim.db');
      copyFileSync(fixture.dbPath, store);
      storeBytes = readFileSync(store);
    });

    function storeFlagsOf(db: string): string[] {
      return ['--local', '--db', db, '--source-dir', PACKAGE_DIR];
    }

    function expectStoreRejected(
      error: SfError,
      requested: string,
      storeFile: string,
    ): void {
      const note =
        requested === storeFile
          ? ''
          : ` ${outputMessages.getMessage('note.SameFileAs', [storeFile])}`;
      expect(error.name).toBe('OutputIsStoreError');
      expect(error.message).toBe(
        outputMessages.getMessage('error.OutputIsStore', [requested, note]),
      );
      expect(error.message.split(requested)).toHaveLength(2);
      expect(error.actions).toEqual(
        outputMessages.getMessages('error.OutputIsStore.actions', [
          path.join(path.dirname(requested), 'cosell-pipeline.csv'),
        ]),
      );
      expect(readFileSync(store).equals(storeBytes)).toBe(true);
      expect(temporaryFiles(path.dirname(requested))).toEqual([]);
    }

    it('rejects the store file', async () => {
      const error = await exportPipelineError(store, storeFlagsOf(store));

      expectStoreRejected(error, store, store);
    });

    it.each(['-wal', '-shm', '-journal'])(
      'rejects the store %s file',
      async (suffix) => {
        const file = `${store}${suffix}`;

        const error = await exportPipelineError(file, storeFlagsOf(store));

        expectStoreRejected(error, file, file);
        expect(existsSync(file)).toBe(false);
      },
    );

    it('rejects a symbolic link to the store', async () => {
      const link = path.join(outDir, 'store-link.csv');
      symlinkSync(store, link);

      const error = await exportPipelineError(link, storeFlagsOf(store));

      expectStoreRejected(error, link, store);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
    });

    it('rejects a hard link to the store', async () => {
      const link = path.join(outDir, 'store-hard-link.csv');
      linkSync(store, link);

      const error = await exportPipelineError(link, storeFlagsOf(store));

      expectStoreRejected(error, link, store);
    });

    it('rejects the store through a linked --db', async () => {
      const dbLink = path.join(outDir, 'db-link.db');
      symlinkSync(store, dbLink);
      const wal = `${store}-wal`;

      // SQLite keeps the -wal file beside the file that the link points to.
      const error = await exportPipelineError(wal, storeFlagsOf(dbLink));

      expectStoreRejected(error, wal, `${dbLink}-wal`);
    });

    describe('at the API token file', () => {
      const token = `${'a'.repeat(64)}\n`;
      let tokenFile: string;

      beforeAll(() => {
        tokenFile = path.join(storeDir, 'api-token');
        writeFileSync(tokenFile, token, { mode: 0o600 });
      });

      function expectTokenRejected(
        error: SfError,
        requested: string,
        note: string,
      ): void {
        expect(error.name).toBe('OutputIsTokenFileError');
        expect(error.message).toBe(
          outputMessages.getMessage('error.OutputIsTokenFile', [
            requested,
            note,
          ]),
        );
        expect(error.actions).toEqual(
          outputMessages.getMessages('error.OutputIsTokenFile.actions', [
            path.join(path.dirname(requested), 'cosell-pipeline.csv'),
          ]),
        );
        expect(readFileSync(tokenFile, 'utf8')).toBe(token);
        expect(temporaryFiles(path.dirname(requested))).toEqual([]);
      }

      it('rejects the token file', async () => {
        const error = await exportPipelineError(tokenFile, storeFlagsOf(store));

        expectTokenRejected(error, tokenFile, '');
      });

      it('rejects a symbolic link to the token file', async () => {
        const link = path.join(outDir, 'token-link.csv');
        symlinkSync(tokenFile, link);

        const error = await exportPipelineError(link, storeFlagsOf(store));

        expectTokenRejected(
          error,
          link,
          ` ${outputMessages.getMessage('note.SameFileAs', [tokenFile])}`,
        );
        expect(lstatSync(link).isSymbolicLink()).toBe(true);
      });

      it('rejects the token file without --local', async () => {
        const error = await exportPipelineError(tokenFile, ['--db', store]);

        expectTokenRejected(error, tokenFile, '');
      });
    });

    it('rejects the store without --local', async () => {
      const error = await exportPipelineError(store, ['--db', store]);

      expectStoreRejected(error, store, store);
    });

    // Last, because the export opens the store and may change its bytes.
    it('writes a file named like the store', async () => {
      const file = path.join(storeDir, 'victim.db.csv');

      await ReportExport.run(
        [...storeFlagsOf(store), ...pipelineCsv, '--output-file', file],
        process.cwd(),
      );

      expect(readFileSync(file, 'utf8')).toContain('Deal Id');
    });
  });

  it.each(['/', '/..'])('rejects a store path ending in %s', async (ending) => {
    const value = `${fixture.dbPath}${ending}`;
    const file = path.join(outDir, 'never-from-slash.csv');

    const error = await runError(
      ['--report', 'pipeline', '--format', 'csv', '--output-file', file],
      ['--local', '--db', value, '--source-dir', PACKAGE_DIR],
    );

    expect(error.name).toBe('StoreUnusableError');
    expect(error.message).toContain(JSON.stringify(value));
    expect(error.message).toContain(
      `ends in a path separator or in "." or "..", so it names a folder, not a store file; add a file name, such as ${path.join(value, 'cosell.db')}`,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('rejects a folder as the store', async () => {
    const parent = path.join(fixture.dir, 'store-parent');
    const folder = path.join(parent, 'store');
    mkdirSync(folder, { recursive: true });
    const file = path.join(outDir, 'never-from-folder.csv');

    const error = await runError(
      ['--report', 'pipeline', '--format', 'csv', '--output-file', file],
      ['--local', '--db', folder, '--source-dir', PACKAGE_DIR],
    );

    expect(error.name).toBe('StoreIsFolderError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.StoreIsFolder', [
        folder,
        path.join(folder, 'cosell.db'),
      ]),
    );
    expect(error.message).not.toContain('\n');
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.StoreIsFolder.actions'),
    );
    expect(readdirSync(folder)).toEqual([]);
    expect(readdirSync(parent)).toEqual(['store']);
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ['quarters', '2', 'pipeline', 'forecast'],
    ['quarters', '4', 'agenda', 'forecast'],
    ['expiring-within-days', '7', 'forecast', 'agenda'],
    ['expiring-within-days', '14', 'scorecard', 'agenda'],
  ])(
    'rejects --%s %s for the %s report',
    async (flag, value, report, reader) => {
      const file = path.join(outDir, `never-${flag}-${report}.csv`);

      const error = await runError([
        '--report',
        report,
        '--format',
        'csv',
        `--${flag}`,
        value,
        '--output-file',
        file,
      ]);

      expect(error.name).toBe('FlagNotForReportError');
      expect(error.message).toBe(
        messages.getMessage('error.FlagNotForReport', [flag, reader, report]),
      );
      expect(error.actions).toEqual(
        messages.getMessages('error.FlagNotForReport.actions', [flag, reader]),
      );
      expect(existsSync(file)).toBe(false);
    },
  );

  it('accepts each flag for its own report', async () => {
    const agenda = await exportTo('agenda-7.csv', [
      '--report',
      'agenda',
      '--format',
      'csv',
      '--expiring-within-days',
      '7',
    ]);

    expect(existsSync(agenda.outputFile)).toBe(true);
  });

  it('warns once about the demo rates', async () => {
    const savedLevel = process.env['COSELL_LOG_LEVEL'];
    process.env['COSELL_LOG_LEVEL'] = 'warn';
    const stderr = $$.SANDBOX.spy(process.stderr, 'write');
    try {
      await exportTo('forecast-demo.csv', [
        '--report',
        'forecast',
        '--format',
        'csv',
      ]);
    } finally {
      if (savedLevel === undefined) delete process.env['COSELL_LOG_LEVEL'];
      else process.env['COSELL_LOG_LEVEL'] = savedLevel;
    }

    const rateLines = stderr.args
      .map((args: unknown[]) => String(args[0]))
      .filter((line: string) => line.includes('COSELL_CURRENCY_RATES'));
    expect(rateLines).toEqual([]);
    const pairs = Object.entries(DEMO_CURRENCY_RATES).map(
      ([code, rate]) => `${code}=${rate}`,
    );
    expect(ux().warn.args.flat()).toEqual([
      messages.getMessage('warning.DemoRates', [
        Object.keys(DEMO_CURRENCY_RATES).join(', '),
        'USD',
        pairs.join(','),
      ]),
    ]);
  });

  it('skips the rates warning for the agenda', async () => {
    await exportTo('agenda-no-rates.csv', [
      '--report',
      'agenda',
      '--format',
      'csv',
    ]);

    expect(ux().warn.called).toBe(false);
  });

  it('fails on malformed currency settings', async () => {
    const saved = process.env['COSELL_CURRENCY_RATES'];
    process.env['COSELL_CURRENCY_RATES'] = 'EUR=abc';
    try {
      const error = await runError([
        '--report',
        'forecast',
        '--format',
        'csv',
        '--output-file',
        path.join(outDir, 'never-forecast.csv'),
      ]);

      expect(error.name).toBe('InvalidSettingsError');
      expect(error.message).toContain('COSELL_CURRENCY_RATES');
    } finally {
      if (saved === undefined) delete process.env['COSELL_CURRENCY_RATES'];
      else process.env['COSELL_CURRENCY_RATES'] = saved;
    }
  });

  it('leaves the old file when an export fails', async () => {
    const store = await fixture.openStore();
    let brokenId: string;
    let snapshot: unknown;
    try {
      const won = await store.queryRecords('Stage_Transition__c', {
        fields: ['Id', 'Attribution_Snapshot__c'],
        where: { To_Stage__c: 'Closed_Attributed' },
      });
      const withSnapshot = won.find((t) => t['Attribution_Snapshot__c']);
      brokenId = String(withSnapshot?.Id);
      snapshot = withSnapshot?.['Attribution_Snapshot__c'];
      await store.upsertRecords('Stage_Transition__c', [
        { Id: brokenId, Attribution_Snapshot__c: 'not JSON' },
      ]);
    } finally {
      await store.close();
    }
    const target = path.join(outDir, 'attribution-old.csv');
    writeFileSync(target, 'previous export\n');

    try {
      const error = await runError([
        '--report',
        'attribution',
        '--format',
        'csv',
        '--output-file',
        target,
      ]);

      expect(error.name).toBe('ExportFailedError');
      expect(error.message).toContain('not JSON');
      expect(readFileSync(target, 'utf8')).toBe('previous export\n');
      expect(
        readdirSync(outDir).filter((name) => name.endsWith('.tmp')),
      ).toEqual([]);
    } finally {
      const restore = await fixture.openStore();
      await restore.upsertRecords('Stage_Transition__c', [
        { Id: brokenId, Attribution_Snapshot__c: snapshot as string },
      ]);
      await restore.close();
    }
  });

  it.each([
    ['Amount', '12abc'],
    ['Cosell_Stage_Entered_At__c', 'garbage'],
  ])('names the deal of a stored %s %s', async (field, value) => {
    // Written with SQL, because the store rejects the value on upsert.
    const db = new Database(fixture.dbPath);
    const { Id: dealId, stored } = db
      .prepare(
        `SELECT "Id", "${field}" AS stored FROM "Opportunity"
         WHERE "IsClosed" = 0 AND "Cosell_Stage__c" IS NOT NULL LIMIT 1`,
      )
      .get() as { Id: string; stored: unknown };
    const update = db.prepare(
      `UPDATE "Opportunity" SET "${field}" = ? WHERE "Id" = ?`,
    );
    update.run(value, dealId);
    try {
      const error = await exportPipelineError(
        path.join(outDir, `pipeline-${field}.csv`),
      );

      expect(error.name).toBe('ExportFailedError');
      expect(error.message).toContain(
        `Opportunity ${dealId} has the invalid ${field} "${value}"`,
      );
      expect(error.actions?.[0]).toBe(
        `Correct ${field} on Opportunity ${dealId} in Salesforce, or in the local store when exporting from it, then export again.`,
      );
    } finally {
      update.run(stored, dealId);
      db.close();
    }
  });

  it('forecast names the deal of a stored Amount', async () => {
    // Written with SQL, because the store rejects the value on upsert. The
    // close date of today puts the deal in the forecast's first quarter.
    const db = new Database(fixture.dbPath);
    const deal = db
      .prepare(
        `SELECT "Id", "Amount", "CloseDate" FROM "Opportunity"
         WHERE "IsClosed" = 0 AND "Cosell_Stage__c" IS NOT NULL LIMIT 1`,
      )
      .get() as { Id: string; Amount: unknown; CloseDate: unknown };
    const update = db.prepare(
      `UPDATE "Opportunity" SET "Amount" = ?, "CloseDate" = ? WHERE "Id" = ?`,
    );
    update.run('12abc', new Date().toISOString().slice(0, 10), deal.Id);
    try {
      const error = await exportCsvError('forecast', 'forecast-amount.csv');

      expect(error.name).toBe('ExportFailedError');
      expect(error.message).toContain(
        `Opportunity ${deal.Id} has the invalid Amount "12abc"`,
      );
      expect(error.actions?.[0]).toContain(
        `Correct Amount on Opportunity ${deal.Id} in Salesforce`,
      );
    } finally {
      update.run(deal.Amount, deal.CloseDate, deal.Id);
      db.close();
    }
  });

  it('stage-history names a stored Version__c', async () => {
    // Written with SQL, because the store rejects the value on upsert.
    const db = new Database(fixture.dbPath);
    const transition = db
      .prepare(
        `SELECT "Id", "Version__c" AS stored FROM "Stage_Transition__c" LIMIT 1`,
      )
      .get() as { Id: string; stored: unknown };
    const update = db.prepare(
      `UPDATE "Stage_Transition__c" SET "Version__c" = ? WHERE "Id" = ?`,
    );
    update.run('v9', transition.Id);
    try {
      const error = await exportCsvError(
        'stage-history',
        'history-version.csv',
      );

      expect(error.name).toBe('ExportFailedError');
      expect(error.message).toContain(
        `Stage_Transition__c ${transition.Id} has the invalid Version__c "v9"`,
      );
      expect(error.message).not.toContain('NaN');
      expect(error.actions?.[0]).toContain(
        `Correct Version__c on Stage_Transition__c ${transition.Id} in Salesforce`,
      );
    } finally {
      update.run(transition.stored, transition.Id);
      db.close();
    }
  });
});

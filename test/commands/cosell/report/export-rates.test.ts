import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Messages } from '@salesforce/core';
import type { SfError } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import ReportExport from '../../../../middleware/src/commands/cosell/report/export.js';
import { DEMO_CURRENCY_RATES } from '../../../../middleware/src/demo/seed-history.js';
import { readDataLoaderCsv } from '../../../../middleware/src/import/data-loader-csv.js';
import { importRecords } from '../../../../middleware/src/import/import-records.js';
import { openLocalGateway } from '../../../../middleware/src/org/local/local-gateway.js';
import {
  createCommandFixture,
  PACKAGE_DIR,
  useCommandHooks,
} from '../../command-fixture.js';
import type { CommandFixture } from '../../command-fixture.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.report.export');

/** Data Loader export with one EUR deal among USD deals. */
const DEALS_CSV = path.resolve('test/fixtures/data-loader/opportunities.csv');

/** Runs `body` with COSELL_CURRENCY_RATES set to `rates`, or unset. */
async function withRates<T>(
  rates: string | undefined,
  body: () => Promise<T>,
): Promise<T> {
  const saved = process.env['COSELL_CURRENCY_RATES'];
  if (rates === undefined) delete process.env['COSELL_CURRENCY_RATES'];
  else process.env['COSELL_CURRENCY_RATES'] = rates;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env['COSELL_CURRENCY_RATES'];
    else process.env['COSELL_CURRENCY_RATES'] = saved;
  }
}

describe('cosell report export currency rates', () => {
  const $$ = new TestContext();
  let fixture: CommandFixture;
  let importedDb: string;
  let outDir: string;

  beforeAll(async () => {
    fixture = await createCommandFixture();
    outDir = mkdtempSync(path.join(tmpdir(), 'cosell-rates-'));
    importedDb = path.join(outDir, 'imported.db');
    const gateway = await openLocalGateway({
      dbPath: importedDb,
      packageDir: PACKAGE_DIR,
    });
    try {
      const records = await readDataLoaderCsv(DEALS_CSV);
      await importRecords(records, await gateway.describeSchema(), gateway);
    } finally {
      await gateway.close();
    }
  });

  afterAll(async () => {
    await fixture.cleanup();
    rmSync(outDir, { recursive: true, force: true });
  });

  const ux = useCommandHooks($$);

  /**
   * Exports `report`, the forecast or the scorecard. The scorecard converts
   * every deal, whatever its close date, so its result does not depend on
   * today's date.
   */
  function exportReport(
    report: 'forecast' | 'scorecard',
    db: string,
    file: string,
  ) {
    return ReportExport.run(
      [
        '--local',
        '--db',
        db,
        '--source-dir',
        PACKAGE_DIR,
        '--report',
        report,
        '--format',
        'csv',
        '--output-file',
        path.join(outDir, file),
      ],
      process.cwd(),
    );
  }

  it('names the converted demo currencies', async () => {
    await withRates(undefined, () =>
      exportReport('forecast', fixture.dbPath, 'demo.csv'),
    );

    const warnings = ux().warn.args.flat();
    expect(warnings).toHaveLength(1);
    const warning = String(warnings[0]);
    const match = /^Amounts in ([A-Z, ]+) were converted to USD/.exec(warning);
    const converted = match?.[1]?.split(', ') ?? [];
    expect(converted.length).toBeGreaterThan(0);
    const pairs = converted.map(
      (code) => `${code}=${DEMO_CURRENCY_RATES[code]}`,
    );
    expect(warning).toBe(
      messages.getMessage('warning.DemoRates', [
        converted.join(', '),
        'USD',
        pairs.join(','),
      ]),
    );
  });

  it('uses no demo rates on an imported store', async () => {
    const error = await withRates(undefined, () =>
      exportReport('scorecard', importedDb, 'imported.csv'),
    ).catch((e: unknown) => e as SfError);

    expect((error as SfError).name).toBe('ExportFailedError');
    expect((error as SfError).message).toContain(
      'COSELL_CURRENCY_RATES has no rate from EUR to USD',
    );
    expect((error as SfError).actions).toEqual(
      messages.getMessages('error.ExportFailed.actions', [
        messages.getMessage('action.CurrencyRateMissing', [
          'EUR',
          'EUR',
          'USD',
        ]),
      ]),
    );
    expect((error as SfError).actions?.join('\n')).not.toContain(
      'restart the middleware',
    );
    expect(ux().warn.called).toBe(false);
  });

  it('names the configured rates it used', async () => {
    await withRates('EUR=1.1,GBP=1.3', () =>
      exportReport('scorecard', importedDb, 'imported-rates.csv'),
    );

    expect(ux().warn.called).toBe(false);
    expect(ux().info.args.flat()).toEqual([
      messages.getMessage('info.ConfiguredRates', ['EUR', 'USD', 'EUR=1.1']),
    ]);
  });
});

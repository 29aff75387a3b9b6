import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Messages } from '@salesforce/core';
import type { SfError } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import CriteriaImpactCommand from '../../../middleware/src/commands/cosell/criteria/impact.js';
import DealExplain from '../../../middleware/src/commands/cosell/deal/explain.js';
import PipelineEvaluate from '../../../middleware/src/commands/cosell/pipeline/evaluate.js';
import ReportExport from '../../../middleware/src/commands/cosell/report/export.js';
import {
  createCommandFixture,
  PACKAGE_DIR,
  useCommandHooks,
} from '../command-fixture.js';
import type { CommandFixture } from '../command-fixture.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const storeMessages = Messages.loadMessages('cosell-stages', 'cosell.store');

type StoreCommand = { run(argv: string[], root: string): Promise<unknown> };

async function runError(
  command: StoreCommand,
  argv: string[],
): Promise<SfError> {
  try {
    await command.run(argv, process.cwd());
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
});

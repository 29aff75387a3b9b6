import Database from 'better-sqlite3';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
import { Progress } from '@salesforce/sf-plugins-core';
import CriteriaImpactCommand from '../../../../middleware/src/commands/cosell/criteria/impact.js';
import type { CriteriaImpactResult } from '../../../../middleware/src/commands/cosell/criteria/impact.js';
import {
  createCommandFixture,
  PACKAGE_DIR,
  stubProgress,
  useCommandHooks,
  withStderrTTY,
} from '../../command-fixture.js';
import type { CommandFixture } from '../../command-fixture.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(
  'cosell-stages',
  'cosell.criteria.impact',
);

const METADATA = path.join('main', 'default', 'customMetadata');
const OWNERS = 'Exit_Criterion.Default_Registered_Owners_Named.md-meta.xml';
const OWNERS_FORMULA =
  'AND(NOT(ISBLANK(Vendor_Owner__c)), NOT(ISBLANK(Partner_Owner__c)))';

/**
 * Copies force-app and changes the Registered stage: the owners criterion
 * stops requiring a partner owner, and a new criterion requires an amount.
 */
function writeChangedModels(folder: string): void {
  cpSync(PACKAGE_DIR, folder, { recursive: true });
  const ownersFile = path.join(folder, METADATA, OWNERS);
  const owners = readFileSync(ownersFile, 'utf8');
  writeFileSync(
    ownersFile,
    owners.replace(OWNERS_FORMULA, 'NOT(ISBLANK(Vendor_Owner__c))'),
  );
  const amountFile = path.join(
    folder,
    METADATA,
    'Exit_Criterion.Default_Registered_Amount_Set.md-meta.xml',
  );
  writeFileSync(
    amountFile,
    owners
      .replace(OWNERS_FORMULA, 'NOT(ISBLANK(Amount))')
      .replace('Vendor and partner owners named', 'Amount set')
      .replace(
        '<value xsi:type="xsd:double">2</value>',
        '<value xsi:type="xsd:double">3</value>',
      ),
  );
}

async function runError(argv: string[]): Promise<SfError> {
  try {
    await CriteriaImpactCommand.run(argv, process.cwd());
  } catch (error) {
    return error as SfError;
  }
  throw new Error(`cosell criteria impact ${argv.join(' ')} did not fail`);
}

describe('cosell criteria impact', () => {
  const $$ = new TestContext();
  let fixture: CommandFixture;
  let changedDir: string;
  let local: string[];
  let sameFolder: string[];
  let openDeals: number;
  let nowMetDealId: string;
  let nowUnmetDealId: string;

  beforeAll(async () => {
    fixture = await createCommandFixture();
    changedDir = path.join(fixture.dir, 'changed', 'force-app');
    writeChangedModels(changedDir);
    local = [
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      changedDir,
      '--baseline-dir',
      PACKAGE_DIR,
    ];
    // The flags of `local` with --source-dir naming the baseline folder.
    sameFolder = local.map((flag) =>
      flag === changedDir ? PACKAGE_DIR : flag,
    );
    const store = await fixture.openStore();
    try {
      const registered = await store.queryRecords('Opportunity', {
        fields: ['Id', 'Vendor_Owner__c', 'Partner_Owner__c', 'Amount'],
        where: { IsClosed: false, Cosell_Stage__c: 'Registered' },
      });
      const approved = await store.queryRecords('Deal_Registration__c', {
        where: {
          Status__c: ['Approved', 'Converted'],
          Conflict_Status__c: 'Clear',
        },
      });
      const registeredIds = new Set(approved.map((r) => r['Opportunity__c']));
      const ready = registered.filter(
        (deal) =>
          registeredIds.has(deal.Id) &&
          deal['Vendor_Owner__c'] &&
          deal['Partner_Owner__c'] &&
          deal['Amount'] !== null,
      );
      // Without a partner owner the deal fails today and passes once the
      // owners criterion requires the vendor owner only.
      nowMetDealId = String(ready[0]?.Id);
      // Without an amount the deal passes today and fails the new criterion.
      nowUnmetDealId = String(ready[1]?.Id);
      await store.upsertRecords('Opportunity', [
        { Id: nowMetDealId, Partner_Owner__c: null },
        { Id: nowUnmetDealId, Amount: null },
      ]);
      openDeals = await store.countRecords('Opportunity', { IsClosed: false });
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await fixture.cleanup();
  });

  const ux = useCommandHooks($$);
  let progress: ReturnType<typeof stubProgress>;
  beforeEach(() => {
    progress = stubProgress($$);
  });

  it('finds a deal that becomes met', async () => {
    const result = await CriteriaImpactCommand.run(local, process.cwd());

    const deal = result.changed.find((d) => d.dealId === nowMetDealId);
    expect(deal?.before).toBe('unmet');
    expect(deal?.after).toBe('met');
    const owners = deal?.criteria.find(
      (c) => c.name === 'Default_Registered_Owners_Named',
    );
    expect(owners?.before).toBe(false);
    expect(owners?.after).toBe(true);
    // A criterion only the changed models have counts as changed, from null.
    const amount = deal?.criteria.find(
      (c) => c.name === 'Default_Registered_Amount_Set',
    );
    expect(amount?.before).toBeNull();
    expect(amount?.after).toBe(true);
    expect(deal?.criteria).toHaveLength(2);
  });

  it('finds a deal that becomes unmet', async () => {
    const result = await CriteriaImpactCommand.run(local, process.cwd());

    const deal = result.changed.find((d) => d.dealId === nowUnmetDealId);
    expect(deal?.before).toBe('met');
    expect(deal?.after).toBe('unmet');
    expect(deal?.criteria.map((c) => c.name)).toEqual([
      'Default_Registered_Amount_Set',
    ]);
    expect(deal?.criteria[0]?.before).toBeNull();
    expect(deal?.criteria[0]?.after).toBe(false);
  });

  it('changes only deals in the changed stage', async () => {
    const result = await CriteriaImpactCommand.run(local, process.cwd());

    expect(result.evaluated).toBe(openDeals);
    expect(result.metToUnmet + result.unmetToMet).toBe(result.changed.length);
    expect(result.otherChanges).toBe(0);
    for (const deal of result.changed) {
      expect(deal.stage).toBe('Registered');
    }
    expect(result.baseline).toEqual({ kind: 'folder', name: PACKAGE_DIR });
  });

  it('names --baseline-dir without objects', async () => {
    const csvFolder = path.join(fixture.dir, 'csv-baseline');
    mkdirSync(csvFolder, { recursive: true });

    const error = await CriteriaImpactCommand.run(
      [
        '--local',
        '--db',
        fixture.dbPath,
        '--source-dir',
        PACKAGE_DIR,
        '--baseline-dir',
        csvFolder,
      ],
      process.cwd(),
    ).then(
      () => {
        throw new Error('a baseline folder without objects was read');
      },
      (caught: unknown) => caught as SfError,
    );

    expect(error.name).toBe('NotPackageFolderError');
    expect(error.message).toContain(csvFolder);
    expect(error.actions?.[0]).toContain('Pass --baseline-dir with');
  });

  it('finds nothing against the same folder', async () => {
    const result = await CriteriaImpactCommand.run(sameFolder, process.cwd());

    expect(result.changed).toEqual([]);
    expect(result.criteriaChangedOnly).toBe(0);
    expect(ux().warn.firstCall.args[0]).toBe(
      messages.getMessage('warning.SameFolder', [PACKAGE_DIR]),
    );
    expect(ux().log.args.flat()).toContain(
      messages.getMessage('info.NoChange'),
    );
  });

  it('checks COSELL_LOG_LEVEL before warning', async () => {
    const savedLevel = process.env['COSELL_LOG_LEVEL'];
    process.env['COSELL_LOG_LEVEL'] = 'loud';
    let error: SfError;
    try {
      error = await runError(sameFolder);
    } finally {
      if (savedLevel === undefined) delete process.env['COSELL_LOG_LEVEL'];
      else process.env['COSELL_LOG_LEVEL'] = savedLevel;
    }

    expect(error.name).toBe('InvalidLogLevelVariableError');
    expect(ux().warn.called).toBe(false);
  });

  it('prints the changed deals', async () => {
    const result = await CriteriaImpactCommand.run(local, process.cwd());

    expect(ux().styledHeader.args.flat()).toContain(
      messages.getMessage('header.Changed'),
    );
    const table = ux().table.firstCall.args[0] as {
      data: Array<Record<string, unknown>>;
    };
    expect(table.data).toHaveLength(result.changed.length);
  });

  it('lists deals whose criteria alone change', async () => {
    // Negotiating deals stay unmet before the close, because the won stage's
    // closing criteria count too, so this change moves no deal's status.
    const approvalsDir = path.join(fixture.dir, 'approvals', 'force-app');
    cpSync(PACKAGE_DIR, approvalsDir, { recursive: true });
    const approvalFile = path.join(
      approvalsDir,
      METADATA,
      'Exit_Criterion.Default_Negotiating_Approval_Exists.md-meta.xml',
    );
    writeFileSync(
      approvalFile,
      readFileSync(approvalFile, 'utf8').replace(
        'COUNT(Deal_Approvals__r) &gt;= 1',
        'COUNT(Deal_Approvals__r) &gt;= 3',
      ),
    );
    const argv = local.map((flag) =>
      flag === changedDir ? approvalsDir : flag,
    );

    const result = await CriteriaImpactCommand.run(argv, process.cwd());

    expect(result.changed).toEqual([]);
    expect(result.criteriaChanged.length).toBeGreaterThan(0);
    expect(result.criteriaChanged).toHaveLength(result.criteriaChangedOnly);
    for (const deal of result.criteriaChanged) {
      expect(deal.stage).toBe('Negotiating');
      expect(deal.before).toBe(deal.after);
      expect(deal.criteria.map((criterion) => criterion.name)).toEqual([
        'Default_Negotiating_Approval_Exists',
      ]);
    }
    expect(ux().styledHeader.args.flat()).toContain(
      messages.getMessage('header.CriteriaChanged'),
    );
    const table = ux().table.lastCall.args[0] as {
      data: Array<Record<string, unknown>>;
    };
    expect(table.data.map((row) => row['deal'])).toEqual(
      result.criteriaChanged.map((deal) => deal.dealId),
    );
  });

  it('draws the progress bar on a terminal', async () => {
    await withStderrTTY(true, () =>
      CriteriaImpactCommand.run(local, process.cwd()),
    );

    expect(progress.start.firstCall.args[0]).toBe(openDeals);
    expect(progress.finish.callCount).toBe(1);
  });

  it('draws no progress bar off a terminal', async () => {
    const result = await withStderrTTY(false, () =>
      CriteriaImpactCommand.run(local, process.cwd()),
    );

    expect(result.evaluated).toBe(openDeals);
    expect(progress.start.called).toBe(false);
    expect(progress.update.called).toBe(false);
  });

  it('prints the result as JSON', async () => {
    await CriteriaImpactCommand.run([...local, '--json'], process.cwd());

    const printed = ux().logJson.firstCall.args[0] as {
      status: number;
      result: CriteriaImpactResult;
    };
    expect(printed.status).toBe(0);
    expect(printed.result.evaluated).toBe(openDeals);
  });

  it('needs a baseline folder with --local', async () => {
    const error = await runError([
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      changedDir,
    ]);

    expect(error.name).toBe('BaselineRequiredError');
    expect(error.message).toBe(messages.getMessage('error.BaselineRequired'));
    expect(error.actions).toEqual(
      messages.getMessages('error.BaselineRequired.actions'),
    );
  });

  it('checks the baseline before the store', async () => {
    // Progress.prototype.start is a stub in every test of this suite.
    const start = Progress.prototype.start as unknown as { called: boolean };
    // A missing store file would fail with StoreNotFoundError if the store
    // were opened before the flags are checked.
    const error = await runError([
      '--local',
      '--db',
      path.join(fixture.dir, 'no-such-store.db'),
      '--source-dir',
      changedDir,
    ]);

    expect(error.name).toBe('BaselineRequiredError');
    expect(start.called).toBe(false);
  });

  it('fails on a changed formula that does not compile', async () => {
    const brokenDir = path.join(fixture.dir, 'broken', 'force-app');
    cpSync(changedDir, brokenDir, { recursive: true });
    const ownersFile = path.join(brokenDir, METADATA, OWNERS);
    writeFileSync(
      ownersFile,
      readFileSync(ownersFile, 'utf8').replace(
        'NOT(ISBLANK(Vendor_Owner__c))',
        'NOT(ISBLANK(Vendor_Ownr__c))',
      ),
    );

    const error = await runError([
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      brokenDir,
      '--baseline-dir',
      PACKAGE_DIR,
    ]);

    expect(error.name).toBe('ProposedInvalidError');
    expect(error.message).toContain('Default_Registered_Owners_Named');
    expect(error.message).toContain('Vendor_Ownr__c');
    expect(error.actions).toEqual(
      messages.getMessages('error.ProposedInvalid.actions', [brokenDir]),
    );
  });
});

describe('cosell criteria impact on an invalid stored value', () => {
  const $$ = new TestContext();
  const FIELD = 'Customer_Evaluation_Confirmed_At__c';
  const BAD_VALUE = 'garbage';
  let fixture: CommandFixture;
  let argv: string[];
  let brokenDealId: string;
  let openDeals: number;

  /** Writes BAD_VALUE to FIELD of one open Validating deal, around the store's checks. */
  beforeAll(async () => {
    fixture = await createCommandFixture();
    argv = [
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      PACKAGE_DIR,
      '--baseline-dir',
      PACKAGE_DIR,
    ];
    const store = await fixture.openStore();
    try {
      const validating = await store.queryRecords('Opportunity', {
        fields: ['Id'],
        where: { IsClosed: false, Cosell_Stage__c: 'Validating' },
      });
      brokenDealId = String(validating[0]?.Id);
      openDeals = await store.countRecords('Opportunity', { IsClosed: false });
    } finally {
      await store.close();
    }
    const db = new Database(fixture.dbPath);
    try {
      const { changes } = db
        .prepare(`UPDATE "Opportunity" SET "${FIELD}" = ? WHERE "Id" = ?`)
        .run(BAD_VALUE, brokenDealId);
      expect(changes).toBe(1);
    } finally {
      db.close();
    }
  });

  afterAll(async () => {
    await fixture.cleanup();
  });

  const ux = useCommandHooks($$);
  beforeEach(() => {
    stubProgress($$);
  });

  it('lists the deal and compares the rest', async () => {
    const result = await CriteriaImpactCommand.run(argv, process.cwd());

    expect(result.evaluated).toBe(openDeals);
    expect(result.notEvaluated).toHaveLength(1);
    const problem = result.notEvaluated[0]!;
    expect(problem.dealId).toBe(brokenDealId);
    expect(problem.version).toBe('baseline');
    expect(problem.object).toBe('Opportunity');
    expect(problem.recordId).toBe(brokenDealId);
    expect(problem.field).toBe(FIELD);
    expect(problem.value).toBe(BAD_VALUE);
    expect(problem.message).toContain(`"${BAD_VALUE}"`);
    expect(problem.fix).toContain(FIELD);
  });

  it('prints the deal in a table', async () => {
    await CriteriaImpactCommand.run(argv, process.cwd());

    expect(ux().styledHeader.args.flat()).toContain(
      messages.getMessage('header.NotEvaluated'),
    );
    const table = ux().table.firstCall.args[0] as {
      data: Array<Record<string, unknown>>;
    };
    expect(table.data).toEqual([
      {
        deal: brokenDealId,
        record: `Opportunity ${brokenDealId}`,
        field: FIELD,
        problem: expect.stringContaining(`"${BAD_VALUE}"`),
      },
    ]);
  });

  it('prints the deal in the JSON', async () => {
    await CriteriaImpactCommand.run([...argv, '--json'], process.cwd());

    const printed = ux().logJson.firstCall.args[0] as {
      status: number;
      result: CriteriaImpactResult;
    };
    expect(printed.status).toBe(0);
    expect(printed.result.notEvaluated.map((p) => p.dealId)).toEqual([
      brokenDealId,
    ]);
  });
});

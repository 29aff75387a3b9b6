import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Messages } from '@salesforce/core';
import Database from 'better-sqlite3';
import { TestContext } from '@salesforce/core/testSetup';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import DealExplain from '../../../../middleware/src/commands/cosell/deal/explain.js';
import type { DealExplainResult } from '../../../../middleware/src/commands/cosell/deal/explain.js';
import { readModelSource } from '../../../../middleware/src/org/force-app/index.js';
import {
  copyPackageWithoutValidating,
  createCommandFixture,
  PACKAGE_DIR,
  useCommandHooks,
} from '../../command-fixture.js';
import type { CommandFixture } from '../../command-fixture.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.deal.explain');
const storeMessages = Messages.loadMessages('cosell-stages', 'cosell.store');

async function runError(argv: string[]) {
  try {
    await DealExplain.run(argv, process.cwd());
  } catch (error) {
    return error as Error & { actions?: string[]; exitCode?: number };
  }
  throw new Error(`cosell deal explain ${argv.join(' ')} did not fail`);
}

describe('cosell deal explain', () => {
  const $$ = new TestContext();
  let fixture: CommandFixture;
  let local: string[];
  let regressedDealId: string;
  let historyDealId: string;
  let historyCount: number;
  let withoutValidating: string[];
  let validatingDealId: string;
  let requestDealId: string;
  let requestId: string;

  beforeAll(async () => {
    fixture = await createCommandFixture();
    local = ['--local', '--db', fixture.dbPath, '--source-dir', PACKAGE_DIR];
    withoutValidating = [
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      copyPackageWithoutValidating(
        path.join(fixture.dir, 'package-without-validating'),
      ),
    ];
    const store = await fixture.openStore();
    try {
      // A deal in Jointly_Qualified that came from Registered regresses when
      // one of Registered's exit criteria (both owners set) stops holding.
      const moves = await store.queryRecords('Stage_Transition__c', {
        where: {
          From_Stage__c: 'Registered',
          To_Stage__c: 'Jointly_Qualified',
        },
      });
      const open = await store.queryRecords('Opportunity', {
        fields: ['Id', 'Cosell_Stage__c'],
        where: { IsClosed: false, Cosell_Stage__c: 'Jointly_Qualified' },
      });
      const moved = new Set(moves.map((move) => move['Opportunity__c']));
      const deal = open.find((candidate) => moved.has(candidate.Id));
      regressedDealId = String(deal?.Id);
      await store.upsertRecords('Opportunity', [
        { Id: regressedDealId, Vendor_Owner__c: null },
      ]);
      const negotiating = await store.queryRecords('Opportunity', {
        fields: ['Id'],
        where: { IsClosed: false, Cosell_Stage__c: 'Negotiating' },
      });
      historyDealId = String(negotiating[0]?.Id);
      const validating = await store.queryRecords('Opportunity', {
        fields: ['Id'],
        where: { IsClosed: false, Cosell_Stage__c: 'Validating' },
      });
      validatingDealId = String(validating[0]?.Id);
      const requests = await store.queryRecords('Stage_Request__c', {
        fields: ['Id', 'Opportunity__c'],
        where: { Status__c: 'Pending', To_Stage__c: 'Validating' },
      });
      requestDealId = String(requests[0]?.Opportunity__c);
      requestId = String(requests[0]?.Id);
      historyCount = await store.countRecords('Stage_Transition__c', {
        Opportunity__c: historyDealId,
      });
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await fixture.cleanup();
  });

  const ux = useCommandHooks($$);

  it('explains the criteria of the current stage', async () => {
    const result = await DealExplain.run(
      [...local, '--deal-id', historyDealId],
      process.cwd(),
    );

    const source = await readModelSource(PACKAGE_DIR);
    const activeOf = (stage: string) =>
      source.criteria
        .filter((c) => c.stage === stage && c.active)
        .map((c) => c.developerName)
        .sort();
    const namesAt = (stage: string) =>
      result.criteria
        .filter((c) => c.stage === stage)
        .map((c) => c.name)
        .sort();
    expect(result.dealId).toBe(historyDealId);
    expect(result.stage?.value).toBe('Negotiating');
    expect(result.nextStage?.value).toBe('Closed_Attributed');
    expect(namesAt('Negotiating')).toEqual(activeOf('Default_Negotiating'));
    // The next move goes into the won stage, so its closing criteria follow.
    expect(namesAt('Closed_Attributed')).toEqual(
      activeOf('Default_Closed_Attributed'),
    );
    expect(result.criteria).toHaveLength(
      activeOf('Default_Negotiating').length +
        activeOf('Default_Closed_Attributed').length,
    );
    for (const criterion of result.criteria) {
      expect(criterion.evidence.length).toBeGreaterThan(0);
    }
    expect(result.allMet).toBe(result.criteria.every((c) => c.met));
    expect(result.stageNotInModel).toBeNull();
  });

  it('lists every transition with its evidence', async () => {
    const result = await DealExplain.run(
      [...local, '--deal-id', historyDealId],
      process.cwd(),
    );

    expect(historyCount).toBeGreaterThan(1);
    expect(result.transitions).toHaveLength(historyCount);
    expect(result.transitions.map((t) => t.toStage).at(-1)).toBe('Negotiating');
    const advances = result.transitions.filter((t) => t.fromStage !== null);
    for (const transition of advances) {
      expect(transition.evidence.length).toBeGreaterThan(0);
      expect(transition.requestedBy.name).not.toBeNull();
      expect(transition.confirmedBy.name).not.toBeNull();
    }
  });

  it('reports a regression with the failing criterion', async () => {
    const result = await DealExplain.run(
      [...local, '--deal-id', regressedDealId],
      process.cwd(),
    );

    expect(result.regressed).toBe(true);
    expect(result.regressedCriteria.map((c) => c.stage)).toContain(
      'Registered',
    );
    const owners = result.regressedCriteria.find((c) =>
      c.evidence.some((read) => read.path === 'Vendor_Owner__c'),
    );
    expect(owners?.met).toBe(false);
  });

  it('prints headers and tables for people', async () => {
    await DealExplain.run(
      [...local, '--deal-id', historyDealId],
      process.cwd(),
    );

    const headers = ux().styledHeader.args.flat().join('\n');
    expect(headers).toContain(historyDealId);
    expect(headers).toContain(messages.getMessage('header.Transitions'));
    expect(ux().table.callCount).toBeGreaterThanOrEqual(2);
  });

  it('prints closing criteria under their header', async () => {
    const result = await DealExplain.run(
      [...local, '--deal-id', historyDealId],
      process.cwd(),
    );

    const closing = result.criteria.filter(
      (c) => c.stage === 'Closed_Attributed',
    );
    const own = result.criteria.filter((c) => c.stage === 'Negotiating');
    const metCount = (list: typeof closing) => list.filter((c) => c.met).length;
    const headers = ux().styledHeader.args.flat();
    expect(headers).toContain(
      messages.getMessage('header.Criteria', [
        'Negotiating',
        metCount(own),
        own.length,
      ]),
    );
    expect(headers).toContain(
      messages.getMessage('header.ClosingCriteria', [
        'Closed_Attributed',
        metCount(closing),
        closing.length,
      ]),
    );
    expect(result.allMet).toBe(false);
  });

  it('prints the result as JSON', async () => {
    await DealExplain.run(
      [...local, '--deal-id', historyDealId, '--json'],
      process.cwd(),
    );

    expect(ux().logJson.callCount).toBe(1);
    const printed = ux().logJson.firstCall.args[0] as {
      status: number;
      result: DealExplainResult;
    };
    expect(printed.status).toBe(0);
    expect(printed.result.dealId).toBe(historyDealId);
  });

  it('flags a stage the model lacks', async () => {
    const result = await DealExplain.run(
      [...withoutValidating, '--deal-id', validatingDealId],
      process.cwd(),
    );

    expect(result.stageNotInModel).toBe('Validating');
    expect(result.stage).toBeNull();
    expect(result.nextStage).toBeNull();
    expect(result.criteria).toEqual([]);
    expect(result.allMet).toBe(false);
    expect(result.transitions.map((t) => t.toStage)).toContain('Validating');
  });

  it('warns about a stage the model lacks', async () => {
    await DealExplain.run(
      [...withoutValidating, '--deal-id', validatingDealId],
      process.cwd(),
    );

    const headers = ux().styledHeader.args.flat().join('\n');
    expect(headers).toContain(
      messages.getMessage('value.StageNotInModel', ['Validating']),
    );
    expect(headers).not.toContain('Criteria of stage');
    expect(ux().log.args.flat()).toContain(
      messages.getMessage('info.StageNotInModel'),
    );
    expect(ux().warn.callCount).toBe(1);
    expect(ux().warn.firstCall.args[0]).toEqual({
      name: 'StageNotInModel',
      message: messages.getMessage('warning.StageNotInModel', [
        validatingDealId,
        'Validating',
        'Default',
      ]),
      actions: messages.getMessages('warning.StageNotInModel.actions', [
        'Validating',
        'Default',
        'Registered, Jointly_Qualified, Negotiating, Closed_Attributed, Closed_Lost',
      ]),
    });
  });

  it('escapes control characters in names', async () => {
    const store = await fixture.openStore();
    let dealId: string;
    try {
      const registered = await store.queryRecords('Opportunity', {
        fields: ['Id'],
        where: { IsClosed: false, Cosell_Stage__c: 'Registered' },
      });
      dealId = String(registered[0]?.Id);
    } finally {
      await store.close();
    }
    // The store's own writes reject control characters, so the name goes in
    // with SQL, as another tool writing to the file could put it there.
    const db = new Database(fixture.dbPath);
    try {
      db.prepare('UPDATE "Opportunity" SET "Name" = ? WHERE "Id" = ?').run(
        'Acme \u001b[31mred\u001b]0;title\u0007 \u202edlrow',
        dealId,
      );
    } finally {
      db.close();
    }

    await DealExplain.run([...local, '--deal-id', dealId], process.cwd());

    const printed = [
      ...ux().styledHeader.args.flat(),
      ...ux().log.args.flat(),
    ].join('\n');
    expect(printed).toContain(
      'Acme \\u001b[31mred\\u001b]0;title\\u0007 \\u202edlrow',
    );
    expect(printed).not.toContain('\u001b');
    expect(printed).not.toContain('\u0007');
    expect(printed).not.toContain('\u202e');
  });

  it('escapes control characters in warnings and errors', async () => {
    const store = await fixture.openStore();
    let stageDealId: string;
    let modelDealId: string;
    try {
      const registered = await store.queryRecords('Opportunity', {
        fields: ['Id'],
        where: { IsClosed: false, Cosell_Stage__c: 'Registered' },
      });
      stageDealId = String(registered[1]?.Id);
      modelDealId = String(registered[2]?.Id);
    } finally {
      await store.close();
    }
    const db = new Database(fixture.dbPath);
    try {
      const update = db.prepare(
        'UPDATE "Opportunity" SET "Cosell_Stage__c" = ?, "Cosell_Model__c" = ? WHERE "Id" = ?',
      );
      update.run('Bogus\u001b]0;PWNED\u0007', 'Default', stageDealId);
      update.run('Registered', 'Bad\u009b2J\u202e', modelDealId);
    } finally {
      db.close();
    }

    await DealExplain.run([...local, '--deal-id', stageDealId], process.cwd());
    const warned = ux()
      .warn.args.map(([warning]: [SfCommand.Warning]) =>
        typeof warning === 'string'
          ? warning
          : [warning.message, ...(warning.actions ?? [])].join('\n'),
      )
      .join('\n');
    expect(warned).toContain('Bogus\\u001b]0;PWNED\\u0007');
    expect(warned).not.toContain('\u001b');
    expect(warned).not.toContain('\u0007');

    const error = await runError([...local, '--deal-id', modelDealId]);
    expect(error.message).toContain('Bad\\u009b2J\\u202e');
    expect(error.message).not.toContain('\u009b');
    expect(error.message).not.toContain('\u202e');
  });

  it('names the stored stage in JSON', async () => {
    await DealExplain.run(
      [...withoutValidating, '--deal-id', validatingDealId, '--json'],
      process.cwd(),
    );

    const printed = ux().logJson.firstCall.args[0] as {
      status: number;
      result: DealExplainResult;
    };
    expect(printed.status).toBe(0);
    expect(printed.result.stageNotInModel).toBe('Validating');
    expect(printed.result.criteria).toEqual([]);
    expect(ux().warn.callCount).toBe(1);
  });

  it('skips the warning for a model stage', async () => {
    const result = await DealExplain.run(
      [...local, '--deal-id', requestDealId],
      process.cwd(),
    );

    expect(result.pendingRequest?.toStage).toBe('Validating');
    expect(result.pendingRequestStageNotInModel).toBeNull();
    expect(ux().warn.callCount).toBe(0);
  });

  it('warns about a request to a removed stage', async () => {
    const result = await DealExplain.run(
      [...withoutValidating, '--deal-id', requestDealId],
      process.cwd(),
    );

    expect(result.stageNotInModel).toBeNull();
    expect(result.pendingRequest?.id).toBe(requestId);
    expect(result.pendingRequestStageNotInModel).toBe('Validating');
    const lines = ux().log.args.flat().join('\n');
    expect(lines).toContain(
      messages.getMessage('value.StageNotInModel', ['Validating']),
    );
    expect(ux().warn.callCount).toBe(1);
    expect(ux().warn.firstCall.args[0]).toEqual({
      name: 'RequestStageNotInModel',
      message: messages.getMessage('warning.RequestStageNotInModel', [
        requestId,
        requestDealId,
        'Validating',
        'Default',
      ]),
      actions: messages.getMessages('warning.RequestStageNotInModel.actions', [
        requestId,
        'Registered, Jointly_Qualified, Negotiating, Closed_Attributed, Closed_Lost',
        'Validating',
        'Default',
      ]),
    });
  });

  it('warns about the request in JSON', async () => {
    await DealExplain.run(
      [...withoutValidating, '--deal-id', requestDealId, '--json'],
      process.cwd(),
    );

    const printed = ux().logJson.firstCall.args[0] as {
      status: number;
      result: DealExplainResult;
    };
    expect(printed.status).toBe(0);
    expect(printed.result.pendingRequestStageNotInModel).toBe('Validating');
    // SfCommand.warn adds the warning to `warnings` in --json output. The
    // stub records the call instead.
    expect(ux().warn.callCount).toBe(1);
    expect(ux().warn.firstCall.args[0]).toMatchObject({
      name: 'RequestStageNotInModel',
    });
  });

  it('accepts a 15-character Id', async () => {
    const result = await DealExplain.run(
      [...local, '--deal-id', historyDealId.slice(0, 15)],
      process.cwd(),
    );

    expect(result.dealId).toBe(historyDealId);
  });

  it.each([
    ['another object', '001000000000001AAA'],
    ['a wrong checksum', '006000000000001ZZZ'],
    ['a short value', '006123'],
  ])('names a deal Id of %s', async (_label, value) => {
    const error = await runError([...local, '--deal-id', value]);

    expect(error.message).toContain(
      `--deal-id "${value}" is not an Opportunity Id`,
    );
    expect(error.message).toContain('begin with 006');
  });

  it('fails on a deal that does not exist', async () => {
    const error = await runError([...local, '--deal-id', '006000000009999AAA']);

    expect(error.name).toBe('DealNotFoundError');
    expect(error.message).toBe(
      messages.getMessage('error.DealNotFound', [
        '006000000009999AAA',
        path.resolve(fixture.dbPath),
      ]),
    );
    expect(error.actions).toEqual(
      messages.getMessages('error.DealNotFound.actions'),
    );
  });

  it('fails without a store', async () => {
    const error = await runError(['--deal-id', historyDealId]);

    expect(error.name).toBe('NoStoreError');
    expect(error.message).toBe(storeMessages.getMessage('error.NoStore'));
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.NoStore.actions'),
    );
  });

  it('fails when the store file is missing', async () => {
    const missing = path.join(fixture.dir, 'missing.db');
    const error = await runError([
      '--local',
      '--db',
      missing,
      '--deal-id',
      historyDealId,
    ]);

    expect(error.name).toBe('StoreNotFoundError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.StoreNotFound', [missing]),
    );
  });

  it('fails on an unknown time zone', async () => {
    const error = await runError([
      ...local,
      '--deal-id',
      historyDealId,
      '--time-zone',
      'Mars/Olympus',
    ]);

    expect(error.name).toBe('InvalidTimeZoneError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.InvalidTimeZone', ['Mars/Olympus']),
    );
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.InvalidTimeZone.actions'),
    );
  });

  it('fails on a folder the store does not match', async () => {
    const empty = path.join(fixture.dir, 'empty-package');
    mkdirSync(path.join(empty, 'objects'), { recursive: true });

    const error = await runError([
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      empty,
      '--deal-id',
      historyDealId,
    ]);

    expect(error.name).toBe('StoreSchemaMismatchError');
    expect(error.message).toContain(path.resolve(fixture.dbPath));
    expect(error.message).toContain(empty);
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.StoreSchemaMismatch.actions'),
    );
  });

  it("fails on another application's file", async () => {
    const foreign = path.join(fixture.dir, 'foreign.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.close();

    const error = await runError([
      '--local',
      '--db',
      foreign,
      '--source-dir',
      PACKAGE_DIR,
      '--deal-id',
      historyDealId,
    ]);

    expect(error.name).toBe('ForeignStoreError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.ForeignStore', [foreign, 'notes']),
    );
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.ForeignStore.actions'),
    );
  });

  it('fails on a text file as the store', async () => {
    const text = path.join(fixture.dir, 'text.db');
    writeFileSync(text, 'not a database\n');

    const error = await runError([
      '--local',
      '--db',
      text,
      '--source-dir',
      PACKAGE_DIR,
      '--deal-id',
      historyDealId,
    ]);

    expect(error.name).toBe('NotADatabaseError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.NotADatabase', [text]),
    );
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.NotADatabase.actions'),
    );
  });

  it('fails on an empty file as the store', async () => {
    const empty = path.join(fixture.dir, 'empty.db');
    writeFileSync(empty, '');

    const error = await runError([
      '--local',
      '--db',
      empty,
      '--source-dir',
      PACKAGE_DIR,
      '--deal-id',
      historyDealId,
    ]);

    expect(error.name).toBe('EmptyStoreError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.EmptyStore', [empty]),
    );
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.EmptyStore.actions'),
    );
    expect(statSync(empty).size).toBe(0);
  });

  it('fails on a SQLite file without tables', async () => {
    // As a copy of a store's main file whose data is still in its -wal file.
    const bare = path.join(fixture.dir, 'bare.db');
    const db = new Database(bare);
    db.pragma('journal_mode = WAL');
    db.close();
    const before = readFileSync(bare);

    const error = await runError([
      '--local',
      '--db',
      bare,
      '--source-dir',
      PACKAGE_DIR,
      '--deal-id',
      historyDealId,
    ]);

    expect(error.name).toBe('EmptyStoreError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.EmptyStore', [bare]),
    );
    expect(readFileSync(bare).equals(before)).toBe(true);
  });

  it('fails on a FIFO as the store', async () => {
    const fifo = path.join(fixture.dir, 'store.fifo');
    execFileSync('mkfifo', [fifo]);

    const error = await runError([
      '--local',
      '--db',
      fifo,
      '--source-dir',
      PACKAGE_DIR,
      '--deal-id',
      historyDealId,
    ]);

    expect(error.name).toBe('StoreUnusableError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.StoreUnusable', [
        fifo,
        'is a FIFO, not a regular file',
      ]),
    );
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.StoreUnusable.actions'),
    );
  });

  it('fails on an unreadable object file', async () => {
    const broken = path.join(fixture.dir, 'broken-xml-package');
    cpSync(PACKAGE_DIR, broken, { recursive: true });
    const file = path.join(
      broken,
      'main/default/objects/Close_Plan_Step__c/fields/Owner_Side__c.field-meta.xml',
    );
    writeFileSync(file, '<CustomField><type>Picklist</CustomField>');

    const error = await runError([
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      broken,
      '--deal-id',
      historyDealId,
    ]);

    expect(error.name).toBe('SourceUnreadableError');
    expect(error.message).toContain('Owner_Side__c.field-meta.xml');
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.SourceUnreadable.actions', [
        '--source-dir',
        broken,
      ]),
    );
  });

  it('fails on models that do not compile', async () => {
    const broken = path.join(fixture.dir, 'broken-package');
    cpSync(PACKAGE_DIR, broken, { recursive: true });
    const file = path.join(
      broken,
      'main/default/customMetadata/Exit_Criterion.Default_Registered_Owners_Named.md-meta.xml',
    );
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('Vendor_Owner__c', 'Vendor_Ownr__c'),
    );

    const error = await runError([
      '--local',
      '--db',
      fixture.dbPath,
      '--source-dir',
      broken,
      '--deal-id',
      historyDealId,
    ]);

    expect(error.name).toBe('ModelsInvalidError');
    expect(error.message).toContain(
      `The stage models of ${broken} did not load`,
    );
    expect(error.message).not.toContain(fixture.dbPath);
    expect(error.message).toContain('Default_Registered_Owners_Named');
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.ModelsInvalid.actions'),
    );
  });

  it('rejects an Id of another object', async () => {
    const error = await runError([...local, '--deal-id', '001000000000001AAA']);

    expect(error.message).toContain('--deal-id');
    expect(error.message).toContain('006');
  });
});

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
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import path from 'node:path';
import { dealModelName } from '../../../../middleware/src/app/deal-model-name.js';
import { createCosellContext } from '../../../../middleware/src/bootstrap.js';
import PipelineEvaluate from '../../../../middleware/src/commands/cosell/pipeline/evaluate.js';
import type { PipelineEvaluateResult } from '../../../../middleware/src/commands/cosell/pipeline/evaluate.js';
import { evaluateDeal } from '../../../../middleware/src/domain/evaluation.js';
import type { RecordData } from '../../../../middleware/src/domain/records.js';
import { createLogger } from '../../../../middleware/src/logger.js';
import {
  copyPackageWithoutValidating,
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
  'cosell.pipeline.evaluate',
);
const storeMessages = Messages.loadMessages('cosell-stages', 'cosell.store');

/** Calendar days between two instants in `zone`, computed by luxon directly. */
function luxonDays(from: string, to: string, zone: string): number {
  const start = DateTime.fromISO(from, { zone }).startOf('day');
  const end = DateTime.fromISO(to, { zone }).startOf('day');
  return Math.round(end.diff(start, 'days').days);
}

/**
 * Finds an instant about two weeks before `now` that is 14 calendar days ago
 * in one of UTC and UTC+14 and 15 in the other, by stepping half an hour at a
 * time. A Registered deal (14 stall days) entered then stalls in one zone only.
 */
function instantCountedDifferently(now: Date): string {
  const nowText = now.toISOString();
  for (let step = 0; step < 192; step += 1) {
    const at = new Date(
      now.getTime() - 16 * 86_400_000 + step * 1_800_000,
    ).toISOString();
    const counts = [
      luxonDays(at, nowText, 'UTC'),
      luxonDays(at, nowText, 'Pacific/Kiritimati'),
    ].sort();
    if (counts[0] === 14 && counts[1] === 15) return at;
  }
  throw new Error('no instant is 14 days ago in one zone and 15 in the other');
}

describe('cosell pipeline evaluate', () => {
  const $$ = new TestContext();
  let fixture: CommandFixture;
  let local: string[];
  let openDeals: number;
  let regressedDealId: string;
  let stalledDealId: string;
  let zoneDealId: string;
  let zoneEnteredAt: string;
  let unknownModelDealId: string;

  beforeAll(async () => {
    fixture = await createCommandFixture();
    local = ['--local', '--db', fixture.dbPath, '--source-dir', PACKAGE_DIR];
    const store = await fixture.openStore();
    try {
      const validating = await store.queryRecords('Opportunity', {
        fields: ['Id'],
        where: { IsClosed: false, Cosell_Stage__c: 'Validating' },
      });
      const moves = await store.queryRecords('Stage_Transition__c', {
        where: {
          From_Stage__c: 'Jointly_Qualified',
          To_Stage__c: 'Validating',
        },
      });
      const moved = new Set(moves.map((move) => move['Opportunity__c']));
      const candidates = validating.filter((deal) => moved.has(deal.Id));
      // Clearing the partner's confirmation breaks an exit criterion of
      // Jointly_Qualified, the stage the deal came from.
      regressedDealId = String(candidates[0]?.Id);
      const qualifications = await store.queryRecords(
        'Joint_Qualification__c',
        { fields: ['Id'], where: { Opportunity__c: regressedDealId } },
      );
      await store.upsertRecords(
        'Joint_Qualification__c',
        qualifications.map((q) => ({
          Id: q.Id,
          Partner_Confirmed_By__c: null,
        })),
      );

      stalledDealId = String(candidates[1]?.Id);
      unknownModelDealId = String(candidates[2]?.Id);
      const registered = await store.queryRecords('Opportunity', {
        fields: ['Id'],
        where: { IsClosed: false, Cosell_Stage__c: 'Registered' },
      });
      zoneDealId = String(registered[0]?.Id);
      // A minute of slack keeps the instant's day counts valid while the
      // commands below run.
      zoneEnteredAt = instantCountedDifferently(new Date(Date.now() + 60_000));
      await store.upsertRecords('Opportunity', [
        {
          Id: stalledDealId,
          Cosell_Stage_Entered_At__c: '2020-01-01T00:00:00.000Z',
        },
        { Id: zoneDealId, Cosell_Stage_Entered_At__c: zoneEnteredAt },
        { Id: unknownModelDealId, Cosell_Model__c: 'Retired_Model' },
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

  it('evaluates every open deal', async () => {
    const result = await PipelineEvaluate.run(local, process.cwd());

    expect(result.openDeals).toBe(openDeals);
    // The deal of an unknown model is the one open deal not evaluated.
    expect(result.evaluated).toBe(openDeals - 1);
    expect(result.allCriteriaMet).toBeGreaterThan(0);
    expect(result.allCriteriaMet).toBeLessThan(openDeals);
    expect(result.timeZone).toBe('UTC');
  });

  it('lists a regression with its failing criterion', async () => {
    const result = await PipelineEvaluate.run(local, process.cwd());

    const regression = result.regressions.find(
      (deal) => deal.dealId === regressedDealId,
    );
    expect(regression?.stage).toBe('Validating');
    expect(regression?.enteredFrom).toBe('Jointly_Qualified');
    const failing = regression?.failing ?? [];
    expect(failing.length).toBeGreaterThan(0);
    for (const criterion of failing) {
      expect(criterion.stage).toBe('Jointly_Qualified');
      expect(criterion.met).toBe(false);
    }
  });

  it('lists a deal past its stall days', async () => {
    const result = await PipelineEvaluate.run(local, process.cwd());

    const stall = result.stalls.find((deal) => deal.dealId === stalledDealId);
    const now = new Date().toISOString();
    expect(stall?.stallDays).toBe(30);
    expect(stall?.daysInStage).toBe(
      luxonDays('2020-01-01T00:00:00.000Z', now, 'UTC'),
    );
    for (const deal of result.stalls) {
      expect(deal.daysInStage).toBeGreaterThan(deal.stallDays);
    }
  });

  it('counts days in the given time zone', async () => {
    const stalledIn: string[] = [];
    for (const zone of ['UTC', 'Pacific/Kiritimati']) {
      const result = await PipelineEvaluate.run(
        [...local, '--time-zone', zone],
        process.cwd(),
      );
      const expected = luxonDays(zoneEnteredAt, result.evaluatedAt, zone);
      const stall = result.stalls.find((deal) => deal.dealId === zoneDealId);
      expect(result.timeZone).toBe(zone);
      expect(stall !== undefined).toBe(expected > 14);
      if (stall) {
        expect(stall.daysInStage).toBe(expected);
        stalledIn.push(zone);
      }
    }
    expect(stalledIn).toHaveLength(1);
  });

  it('lists a deal of an unknown model as a problem', async () => {
    const result = await PipelineEvaluate.run(local, process.cwd());

    const problem = result.problems.find(
      (deal) => deal.dealId === unknownModelDealId,
    );
    expect(problem?.message).toContain('Retired_Model');
    expect(result.problems).toHaveLength(1);
    expect(result.openDeals).toBe(openDeals);
    expect(result.evaluated).toBe(openDeals - 1);
  });

  it('drives the progress bar to the deal count', async () => {
    await withStderrTTY(true, () => PipelineEvaluate.run(local, process.cwd()));

    expect(progress.start.firstCall.args[0]).toBe(openDeals);
    expect(progress.update.lastCall.args[0]).toBe(openDeals);
    expect(progress.finish.callCount).toBe(1);
  });

  it('draws no progress bar off a terminal', async () => {
    const result = await withStderrTTY(false, () =>
      PipelineEvaluate.run(local, process.cwd()),
    );

    expect(result.openDeals).toBe(openDeals);
    expect(progress.start.called).toBe(false);
    expect(progress.update.called).toBe(false);
  });

  it('prints summary and tables', async () => {
    const result = await PipelineEvaluate.run(local, process.cwd());

    expect(ux().log.firstCall.args[0]).toBe(
      messages.getMessage('info.Summary', [
        openDeals - 1,
        messages.getMessage('count.OpenDeals.other', [openDeals]),
        fixture.dbPath,
        'UTC',
        messages.getMessage('count.AllCriteriaMet.other', [
          result.allCriteriaMet,
        ]),
        result.regressions.length,
        result.stalls.length,
      ]),
    );
    const headers = ux().styledHeader.args.flat();
    expect(headers).toContain(messages.getMessage('header.Regressions'));
    expect(headers).toContain(messages.getMessage('header.Stalls'));
    expect(headers).toContain(messages.getMessage('header.Problems'));
  });

  it('prints the result as JSON', async () => {
    await PipelineEvaluate.run([...local, '--json'], process.cwd());

    const printed = ux().logJson.firstCall.args[0] as {
      status: number;
      result: PipelineEvaluateResult;
    };
    expect(printed.status).toBe(0);
    expect(printed.result.openDeals).toBe(openDeals);
    expect(printed.result.evaluated).toBe(openDeals - 1);
  });

  it('fails when both stores are named', async () => {
    const org = new MockTestOrgData();
    await $$.stubAuths(org);

    const error = await PipelineEvaluate.run(
      [...local, '--target-org', org.username],
      process.cwd(),
    ).then(
      () => {
        throw new Error('--local with --target-org did not fail');
      },
      (caught: unknown) => caught as SfError,
    );

    expect(error.name).toBe('LocalAndOrgError');
    expect(error.message).toBe(
      storeMessages.getMessage('error.LocalAndOrg', [org.username]),
    );
    expect(error.actions).toEqual(
      storeMessages.getMessages('error.LocalAndOrg.actions'),
    );
  });

  it('prefers --local to a default org', async () => {
    const org = new MockTestOrgData();
    await $$.stubAuths(org);
    await $$.stubConfig({ 'target-org': org.username });

    const result = await PipelineEvaluate.run(local, process.cwd());

    expect(result.openDeals).toBe(openDeals);
  });
});

describe('cosell pipeline evaluate count wording', () => {
  const $$ = new TestContext();
  let fixture: CommandFixture;
  let local: string[];
  let metDealId: string;
  let negotiatingDealId: string;

  async function reopenDeal(dealId: string): Promise<void> {
    const store = await fixture.openStore();
    try {
      await store.upsertRecords('Opportunity', [
        { Id: dealId, IsClosed: false },
      ]);
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    fixture = await createCommandFixture();
    local = ['--local', '--db', fixture.dbPath, '--source-dir', PACKAGE_DIR];
    const store = await fixture.openStore();
    try {
      const ctx = await createCosellContext(store, {
        timeZone: 'UTC',
        logger: createLogger('silent'),
      });
      const env = { now: ctx.now(), timeZone: 'UTC' };
      const evaluate = (deal: RecordData) => {
        const model = ctx.models.get(dealModelName(deal));
        if (!model) return { stage: null, met: false };
        const { stage, results } = evaluateDeal(model, deal, env);
        return {
          stage,
          met: results.every((result) => result.met),
          exitMet: results
            .filter((result) => result.kind === 'Exit')
            .every((result) => result.met),
        };
      };
      const open: string[] = [];
      let metId: string | undefined;
      let unstagedId: string | undefined;
      let negotiatingId: string | undefined;
      for await (const deal of store.streamOpenDeals(ctx.plan)) {
        const id = String(deal['Id']);
        open.push(id);
        const current = evaluate(deal);
        if (
          negotiatingId === undefined &&
          current.stage?.value === 'Negotiating' &&
          current.exitMet
        ) {
          negotiatingId = id;
          continue;
        }
        if (metId === undefined && current.stage && current.met) {
          metId = id;
          continue;
        }
        const withoutStage = evaluate({ ...deal, Cosell_Stage__c: null });
        if (unstagedId === undefined && !withoutStage.met) unstagedId = id;
      }
      if (negotiatingId === undefined) {
        throw new Error(
          'the demo store needs a Negotiating deal that meets its exit criteria',
        );
      }
      negotiatingDealId = negotiatingId;
      if (metId === undefined || unstagedId === undefined) {
        throw new Error(
          'the demo store needs a staged deal that meets every criterion and another deal that fails them without a stage',
        );
      }
      metDealId = metId;
      // One deal without a stage that fails its criteria stays open. The
      // deal that meets every criterion is reopened by the second test.
      await store.upsertRecords('Opportunity', [
        { Id: unstagedId, Cosell_Stage__c: null },
        ...open
          .filter((id) => id !== unstagedId)
          .map((id) => ({ Id: id, IsClosed: true })),
      ]);
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await fixture.cleanup();
  });

  const ux = useCommandHooks($$);
  beforeEach(() => {
    stubProgress($$);
  });

  it('prints one open deal in the singular', async () => {
    const result = await PipelineEvaluate.run(local, process.cwd());

    expect(result.openDeals).toBe(1);
    expect(result.evaluated).toBe(1);
    expect(result.withoutStage).toBe(1);
    expect(result.allCriteriaMet).toBe(0);
    expect(ux().log.args.flat()).toEqual([
      `Evaluated 1 of 1 open deal in ${fixture.dbPath} (time zone UTC): 0 meet every criterion their next move needs, 0 regressed, 0 stalled.`,
      '1 open deal has no co-sell stage yet.',
    ]);
  });

  it('prints one deal meeting its criteria', async () => {
    await reopenDeal(metDealId);

    const result = await PipelineEvaluate.run(local, process.cwd());

    expect(result.openDeals).toBe(2);
    expect(result.evaluated).toBe(2);
    expect(result.withoutStage).toBe(1);
    expect(result.allCriteriaMet).toBe(1);
    const regressed = result.regressions.length;
    const stalled = result.stalls.length;
    expect(ux().log.args.flat()[0]).toBe(
      `Evaluated 2 of 2 open deals in ${fixture.dbPath} (time zone UTC): 1 meets every criterion its next move needs, ${regressed} regressed, ${stalled} stalled.`,
    );
    expect(ux().log.args.flat()[1]).toBe(
      '1 open deal has no co-sell stage yet.',
    );
  });

  it('counts no deal short of closing', async () => {
    // Its exit criteria are met, but the move into the won stage also needs
    // the closing criteria, and an open deal is not won.
    await reopenDeal(negotiatingDealId);

    const result = await PipelineEvaluate.run(local, process.cwd());

    expect(result.openDeals).toBe(3);
    expect(result.evaluated).toBe(3);
    expect(result.allCriteriaMet).toBe(1);
  });
});

/** Writes `text` to `field` of the first open deal at `stage`; returns its Id. */
function storeText(
  db: Database.Database,
  stage: string,
  field: string,
  text: string,
): string {
  const row = db
    .prepare(
      `SELECT "Id" FROM "Opportunity" WHERE "Cosell_Stage__c" = ? AND "IsClosed" = 0`,
    )
    .get(stage) as { Id: string };
  db.prepare(`UPDATE "Opportunity" SET "${field}" = ? WHERE "Id" = ?`).run(
    text,
    row.Id,
  );
  return row.Id;
}

describe('cosell pipeline evaluate with an invalid value', () => {
  const $$ = new TestContext();
  let fixture: CommandFixture;
  let local: string[];
  let dealId: string;
  let enteredAtDealId: string;

  /**
   * Stores text in a date/time field that a Validating exit criterion reads,
   * and in the stage entry time of a Registered deal.
   */
  beforeAll(async () => {
    fixture = await createCommandFixture();
    local = ['--local', '--db', fixture.dbPath, '--source-dir', PACKAGE_DIR];
    const db = new Database(fixture.dbPath);
    try {
      dealId = storeText(
        db,
        'Validating',
        'Customer_Evaluation_Confirmed_At__c',
        'yesterday',
      );
      enteredAtDealId = storeText(
        db,
        'Registered',
        'Cosell_Stage_Entered_At__c',
        'garbage',
      );
    } finally {
      db.close();
    }
  });

  afterAll(async () => {
    await fixture.cleanup();
  });

  useCommandHooks($$);
  beforeEach(() => {
    stubProgress($$);
  });

  it('lists each deal as a problem', async () => {
    const result = await PipelineEvaluate.run(local, process.cwd());

    expect(result.problems).toHaveLength(2);
    const problem = result.problems.find((p) => p.dealId === dealId)!;
    expect(problem.message).toContain('Customer_Evaluation_Confirmed_At__c');
    expect(problem.message).toContain('"yesterday"');
    expect(problem.message).toContain('Default_Validating_Customer_Confirmed');
    const enteredAt = result.problems.find(
      (p) => p.dealId === enteredAtDealId,
    )!;
    expect(enteredAt.message).toContain(`Opportunity ${enteredAtDealId}`);
    expect(enteredAt.message).toContain('Cosell_Stage_Entered_At__c');
    expect(result.evaluated).toBe(result.openDeals - 2);
  });
});

describe('cosell pipeline evaluate with a removed stage', () => {
  const $$ = new TestContext();
  let fixture: CommandFixture;
  let reduced: string[];
  let validatingIds: string[];
  let requestIds: string[];

  beforeAll(async () => {
    fixture = await createCommandFixture();
    const packageDir = copyPackageWithoutValidating(
      path.join(fixture.dir, 'package-without-validating'),
    );
    reduced = ['--local', '--db', fixture.dbPath, '--source-dir', packageDir];
    const store = await fixture.openStore();
    try {
      const validating = await store.queryRecords('Opportunity', {
        fields: ['Id'],
        where: { IsClosed: false, Cosell_Stage__c: 'Validating' },
      });
      validatingIds = validating.map((deal) => String(deal.Id)).sort();
      const requests = await store.queryRecords('Stage_Request__c', {
        fields: ['Id'],
        where: { Status__c: 'Pending', To_Stage__c: 'Validating' },
      });
      requestIds = requests.map((request) => String(request.Id)).sort();
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await fixture.cleanup();
  });

  const ux = useCommandHooks($$);
  beforeEach(() => {
    stubProgress($$);
  });

  it('separates them from stage-less deals', async () => {
    const full = await PipelineEvaluate.run(
      ['--local', '--db', fixture.dbPath, '--source-dir', PACKAGE_DIR],
      process.cwd(),
    );
    const result = await PipelineEvaluate.run(reduced, process.cwd());

    expect(validatingIds.length).toBeGreaterThan(0);
    expect(full.stagesNotInModel).toEqual([]);
    expect(result.stagesNotInModel.map((deal) => deal.dealId).sort()).toEqual(
      validatingIds,
    );
    for (const deal of result.stagesNotInModel) {
      expect([deal.dealId, deal.model, deal.stage]).toEqual([
        deal.dealId,
        'Default',
        'Validating',
      ]);
    }
    expect(result.withoutStage).toBe(full.withoutStage);
    expect(result.openDeals).toBe(full.openDeals);
    const listed = new Set(validatingIds);
    const elsewhere = [
      ...result.regressions,
      ...result.stalls,
      ...result.problems,
    ].filter((deal) => listed.has(deal.dealId));
    expect(elsewhere).toEqual([]);
  });

  it('counts only the evaluated deals', async () => {
    const full = await PipelineEvaluate.run(
      ['--local', '--db', fixture.dbPath, '--source-dir', PACKAGE_DIR],
      process.cwd(),
    );
    const result = await PipelineEvaluate.run(reduced, process.cwd());

    expect(full.evaluated).toBe(full.openDeals);
    expect(result.problems).toEqual([]);
    expect(result.evaluated).toBe(result.openDeals - validatingIds.length);
    expect(ux().log.args.flat()).toContain(
      messages.getMessage('info.Summary', [
        result.evaluated,
        messages.getMessage('count.OpenDeals.other', [result.openDeals]),
        fixture.dbPath,
        'UTC',
        messages.getMessage('count.AllCriteriaMet.other', [
          result.allCriteriaMet,
        ]),
        result.regressions.length,
        result.stalls.length,
      ]),
    );
  });

  it('prints a table and a warning', async () => {
    await PipelineEvaluate.run(reduced, process.cwd());

    const headers = ux().styledHeader.args.flat();
    expect(headers).toContain(messages.getMessage('header.StagesNotInModel'));
    type Rows = Array<Record<string, unknown>>;
    const tables: Rows[] = ux().table.args.map(
      (args: unknown[]) => (args[0] as { data: Rows }).data,
    );
    const listed = tables.find((rows) =>
      rows.some((row) => row['stage'] === 'Validating' && 'model' in row),
    );
    expect(listed?.map((row) => row['deal']).sort()).toEqual(validatingIds);
    expect(ux().warn.callCount).toBe(2);
    expect(ux().warn.firstCall.args[0]).toEqual({
      name: 'StagesNotInModel',
      message: messages.getMessage(
        validatingIds.length === 1
          ? 'warning.StagesNotInModel.one'
          : 'warning.StagesNotInModel.other',
        [validatingIds.length],
      ),
      actions: messages.getMessages('warning.StagesNotInModel.actions'),
    });
  });

  it('prints the deals in JSON', async () => {
    await PipelineEvaluate.run([...reduced, '--json'], process.cwd());

    const printed = ux().logJson.firstCall.args[0] as {
      status: number;
      result: PipelineEvaluateResult;
    };
    expect(printed.status).toBe(0);
    expect(
      printed.result.stagesNotInModel.map((deal) => deal.dealId).sort(),
    ).toEqual(validatingIds);
    expect(
      printed.result.requestsToStagesNotInModel
        .map((request) => request.requestId)
        .sort(),
    ).toEqual(requestIds);
    // SfCommand.warn adds each warning to `warnings` in --json output. The
    // stub records the calls instead.
    expect(ux().warn.callCount).toBe(2);
  });

  it('lists requests to the removed stage', async () => {
    const full = await PipelineEvaluate.run(
      ['--local', '--db', fixture.dbPath, '--source-dir', PACKAGE_DIR],
      process.cwd(),
    );
    const result = await PipelineEvaluate.run(reduced, process.cwd());

    expect(requestIds.length).toBeGreaterThan(0);
    expect(full.requestsToStagesNotInModel).toEqual([]);
    const listed = result.requestsToStagesNotInModel;
    expect(listed.map((request) => request.requestId).sort()).toEqual(
      requestIds,
    );
    for (const request of listed) {
      expect(request.model).toBe('Default');
      expect(request.kind).toBe('Advance');
      expect(request.fromStage).toBe('Jointly_Qualified');
      expect(request.stage).toBe('Validating');
    }
    // The requests' deals are at a model stage, so they were evaluated.
    const removed = new Set(result.stagesNotInModel.map((deal) => deal.dealId));
    for (const request of listed) {
      expect(removed.has(request.dealId)).toBe(false);
    }
  });

  it('prints the requests and a warning', async () => {
    await PipelineEvaluate.run(reduced, process.cwd());

    const headers = ux().styledHeader.args.flat();
    expect(headers).toContain(
      messages.getMessage('header.RequestsToStagesNotInModel'),
    );
    type Rows = Array<Record<string, unknown>>;
    const tables: Rows[] = ux().table.args.map(
      (args: unknown[]) => (args[0] as { data: Rows }).data,
    );
    const listed = tables.find((rows) => rows.some((row) => 'request' in row));
    expect(listed?.map((row) => row['request']).sort()).toEqual(requestIds);
    for (const row of listed ?? []) {
      expect(row['stage']).toBe('Validating');
    }
    expect(ux().warn.secondCall.args[0]).toEqual({
      name: 'RequestsToStagesNotInModel',
      message: messages.getMessage(
        requestIds.length === 1
          ? 'warning.RequestsToStagesNotInModel.one'
          : 'warning.RequestsToStagesNotInModel.other',
        [requestIds.length],
      ),
      actions: messages.getMessages(
        'warning.RequestsToStagesNotInModel.actions',
      ),
    });
  });
});

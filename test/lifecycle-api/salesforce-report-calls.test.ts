import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  exportOpsReport,
  type OpsReportResult,
} from '../../middleware/src/app/export-ops-report.js';
import type { LifecycleContext } from '../../middleware/src/app/lifecycle/lifecycle-context.js';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import type { ReportName } from '../../middleware/src/reports/registry.js';
import { OrgResponseInvalidError } from '../../middleware/src/org/errors.js';
import { SalesforceLifecycleStore } from '../../middleware/src/org/salesforce/lifecycle-salesforce-store.js';
import {
  SILENT,
  startTestOrg,
  type TestOrg,
} from '../org/salesforce/salesforce-fixture.js';
import { DEFAULT_SETTINGS } from './lifecycle-test-app.js';

/** Records per page of the stand-in's REST query results. */
const PAGE_SIZE = 10;
const WON_STAGE = 'Closed_Attributed';

let org: TestOrg | undefined;

afterEach(async () => {
  await org?.close();
  org = undefined;
});

interface ReportsOrg {
  org: TestOrg;
  lc: LifecycleContext;
  sellerId: string;
  partnerId: string;
}

async function startReportsOrg(): Promise<ReportsOrg> {
  org = await startTestOrg({ queryBatchSize: PAGE_SIZE });
  const sellerId = org.standIn.users.find(
    (user) => user.username === 'seller@stand-in.example',
  )!.id;
  const partnerId = org.standIn.addUser({
    username: 'partner@stand-in.example',
    name: 'Pat Partner',
  }).id;
  const cosell = await createCosellContext(org.gateway, {
    timeZone: 'UTC',
    logger: SILENT,
  });
  const lc: LifecycleContext = {
    cosell,
    store: new SalesforceLifecycleStore(org.gateway),
    settings: DEFAULT_SETTINGS,
  };
  return { org, lc, sellerId, partnerId };
}

/**
 * Inserts `count` deals at `stage`, each with two transitions: into
 * Registered, then into `stage` with `snapshot` as its attribution snapshot.
 */
function seedDeals(
  world: ReportsOrg,
  count: number,
  stage: string,
  snapshot: string | null = null,
): string[] {
  const { records } = world.org.standIn;
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const dealId = records.insert('Opportunity', {
      Name: `${stage} deal ${index}`,
      StageName: 'Qualification',
      CloseDate: '2026-06-30',
      Cosell_Model__c: 'Default',
      Cosell_Stage__c: stage,
      Cosell_Stage_Version__c: 2,
    });
    const moves: Array<[string | null, string, string | null]> = [
      [null, 'Registered', null],
      ['Registered', stage, snapshot],
    ];
    moves.forEach(([fromStage, toStage, attribution], position) => {
      records.insert('Stage_Transition__c', {
        Opportunity__c: dealId,
        From_Stage__c: fromStage,
        To_Stage__c: toStage,
        Requested_By__c: world.sellerId,
        Confirmed_By__c: world.partnerId,
        Transitioned_At__c: `2026-01-0${position + 1}T09:00:00.000Z`,
        Evidence_Snapshot__c: '[]',
        Attribution_Snapshot__c: attribution,
        One_Sided__c: false,
        Key__c: `report-calls:${dealId}:${position + 1}`,
        Version__c: position + 1,
      });
    });
    ids.push(dealId);
  }
  return ids;
}

/** Exports `report` as JSON and returns its rows, the result and the API calls it made. */
async function exportJson(world: ReportsOrg, report: ReportName) {
  world.org.standIn.resetLog();
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const result: OpsReportResult = await exportOpsReport(
    world.lc,
    { report, format: 'json', bom: false, quarters: 1, expiringWithinDays: 14 },
    out,
  );
  const requests = world.org.standIn.requests.filter((r) => r.apiCall);
  return {
    rows: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Array<
      Record<string, unknown>
    >,
    result,
    calls: requests.length,
    transitionPages: requests.filter(
      (r) =>
        r.resource === 'query-more' ||
        (r.resource === 'query' &&
          /FROM Stage_Transition__c/.test(r.query.q ?? '')),
    ).length,
  };
}

describe('ops report exports on an org', () => {
  it('stage history costs calls per page, not per deal', async () => {
    const world = await startReportsOrg();
    seedDeals(world, 5, 'Validating');
    await exportJson(world, 'stage-history');

    const few = await exportJson(world, 'stage-history');
    seedDeals(world, 20, 'Validating');
    const many = await exportJson(world, 'stage-history');

    expect(few.rows).toHaveLength(10);
    expect(many.rows).toHaveLength(50);
    // 10 and 50 transitions, 10 a page.
    expect(few.transitionPages).toBe(1);
    expect(many.transitionPages).toBe(5);
    expect(many.calls - few.calls).toBe(4);
  });

  it('stage history rejects a malformed next page', async () => {
    const world = await startReportsOrg();
    seedDeals(world, 10, 'Validating');
    // Page two's nextRecordsUrl ends in -10, the offset of its first record.
    world.org.standIn.faults.next({
      kind: 'malformed',
      match: { method: 'GET', path: /-10$/ },
      replaceBody: () => '{"totalSize":20,"done":true}',
    });

    const error = await exportJson(world, 'stage-history').catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(OrgResponseInvalidError);
    expect((error as Error).message).toMatch(
      /^read every stage transition with its deal: .*the query result does not match the expected shape at records/,
    );
  });

  it('stage history keeps the rows of each deal', async () => {
    const world = await startReportsOrg();
    const dealIds = seedDeals(world, 12, 'Validating');
    const [stageless, deleted] = seedDeals(world, 2, 'Validating');
    world.org.standIn.records.update('Opportunity', stageless!, {
      Cosell_Stage__c: null,
    });
    world.org.standIn.records.delete('Opportunity', deleted!);

    const exported = await exportJson(world, 'stage-history');

    const expected = [];
    for (const dealId of dealIds) {
      for (const transition of await world.org.gateway.listTransitions(
        dealId,
      )) {
        expected.push([transition.id, dealId, transition.toStage]);
      }
    }
    expect(
      exported.rows.map((row) => [
        row['transitionId'],
        row['dealId'],
        row['toStage'],
      ]),
    ).toEqual(expected);
    expect(exported.rows[0]?.['dealName']).toBe('Validating deal 0');
    expect(exported.rows[0]?.['requestedBy']).toBe('Vendor Seller');
    expect(exported.rows[0]?.['confirmedBy']).toBe('Pat Partner');
    expect(exported.transitionPages).toBe(3);
  });

  it('attribution reads transitions once and counts skipped deals', async () => {
    const world = await startReportsOrg();
    const snapshot = JSON.stringify({
      amount: '1000.00',
      currencyIsoCode: 'USD',
      partners: [],
      problems: [],
    });
    const attributed = seedDeals(world, 3, WON_STAGE, snapshot);
    seedDeals(world, 1, WON_STAGE);
    seedDeals(world, 2, 'Validating');
    world.org.standIn.records.insert('Opportunity', {
      Name: 'Won without history',
      StageName: 'Closed Won',
      CloseDate: '2026-06-30',
      Cosell_Model__c: 'Default',
      Cosell_Stage__c: WON_STAGE,
    });
    await exportJson(world, 'attribution');

    const few = await exportJson(world, 'attribution');
    seedDeals(world, 20, 'Validating');
    const many = await exportJson(world, 'attribution');

    expect(few.rows.map((row) => row['dealId'])).toEqual(attributed);
    expect(few.result.skippedDeals).toBe(2);
    expect(many.result.skippedDeals).toBe(2);
    // 12 and 52 transitions, 10 a page.
    expect(few.transitionPages).toBe(2);
    expect(many.transitionPages).toBe(6);
    expect(many.transitionPages - few.transitionPages).toBe(4);
  });
});

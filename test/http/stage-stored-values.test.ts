import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import type { DemoDeal } from '../../scripts/demo/demo-deal.js';
import { writeStoredValue } from '../helpers/store-value.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

/**
 * Deals whose co-sell stage fields contain values the stage workflow cannot
 * use, written straight to the SQLite file as a data fix around the
 * middleware's checks would write them. The workflow must neither read such a
 * deal as having no stage nor move it. Every deal call gets 500
 * invalid_stored_value naming the deal, the field and the value, and nothing
 * is written.
 */
let app: TestApp;
const logLines: Array<Record<string, any>> = [];

beforeAll(async () => {
  app = await startTestApp({ logLines });
});

afterAll(async () => {
  await app.close();
});

function store(dealId: string, field: string, value: string | number | null) {
  writeStoredValue(app.dbPath, 'Opportunity', dealId, field, value);
}

/** Reads the deal's stage fields, request statuses and transitions, as stored. */
async function stored(dealId: string) {
  const [deal] = await app.gateway.queryRecords('Opportunity', {
    fields: ['Cosell_Stage__c', 'Cosell_Stage_Version__c'],
    where: { Id: dealId },
  });
  const requests = await app.gateway.queryRecords('Stage_Request__c', {
    fields: ['Status__c'],
    where: { Opportunity__c: dealId },
  });
  return {
    deal,
    requests: requests.map((request) => request['Status__c']),
    transitions: await app.gateway.listTransitions(dealId),
  };
}

/** Lists the log lines of the calls to `path` that finished after line `from`. */
function linesOf(path: string, from: number) {
  return logLines.slice(from).filter((line) => line.req?.url === path);
}

const BAD_VERSIONS = [
  { written: '1.5', read: 1.5 },
  { written: 'x', read: 'x' },
  { written: '-1', read: -1 },
];

describe.each(BAD_VERSIONS)(
  'deal with Cosell_Stage_Version__c $written',
  ({ written, read }) => {
    let deal: DemoDeal;
    let requestId: string;

    function expectProblem(response: { status: number; body: any }): void {
      expect(response.status).toBe(500);
      expect(response.body.code).toBe('invalid_stored_value');
      expect(response.body.detail).toContain(`Opportunity ${deal.dealId}`);
      expect(response.body.detail).toContain('Cosell_Stage_Version__c');
      expect(response.body.detail).toContain(
        typeof read === 'string' ? `"${read}"` : String(read),
      );
      // Partner users see the deal version, so the value is not hidden.
      expect(response.body.value).toBe(read);
      expect(response.body.fix).toContain(
        `Set Cosell_Stage_Version__c on Opportunity ${deal.dealId}`,
      );
    }

    beforeAll(async () => {
      deal = await createDemoDeal(app.gateway);
      const created = await app.call(
        'POST',
        `/v1/deals/${deal.dealId}/stage-requests`,
        { user: deal.vendorSeller, body: { kind: 'Advance' } },
      );
      expect(created.status).toBe(201);
      requestId = created.body.id;
      store(deal.dealId, 'Cosell_Stage_Version__c', written);
    });

    it('fails the deal read and the evaluation', async () => {
      for (const path of [
        `/v1/deals/${deal.dealId}`,
        `/v1/deals/${deal.dealId}/evaluation`,
      ]) {
        expectProblem(
          await app.call('GET', path, { user: deal.partnerSeller }),
        );
      }
    });

    it('fails a confirmation, writes nothing and logs it once', async () => {
      const before = await stored(deal.dealId);
      expect(before.requests).toEqual(['Pending']);
      // Past its expiry, so a read that went on would expire the request.
      app.advanceClock(8 * 86_400_000);
      const path = `/v1/stage-requests/${requestId}/confirm`;
      const from = logLines.length;

      expectProblem(
        await app.call('POST', path, { user: deal.partnerSeller, body: {} }),
      );

      expect(await stored(deal.dealId)).toEqual(before);
      const [line, ...more] = linesOf(path, from);
      expect(more).toEqual([]);
      expect(line).toMatchObject({
        level: 50,
        userId: deal.partnerSeller,
        problemCode: 'invalid_stored_value',
        err: {
          source: {
            object: 'Opportunity',
            recordId: deal.dealId,
            field: 'Cosell_Stage_Version__c',
          },
          value: read,
        },
      });
    });

    it('fails a new request and stores none', async () => {
      // The request is past its expiry, and with a valid version again the
      // next read expires it.
      store(deal.dealId, 'Cosell_Stage_Version__c', 1);
      const fixed = await app.call('GET', `/v1/deals/${deal.dealId}`, {
        user: deal.vendorSeller,
      });
      expect(fixed.status).toBe(200);
      expect((await stored(deal.dealId)).requests).toEqual(['Expired']);
      store(deal.dealId, 'Cosell_Stage_Version__c', written);

      expectProblem(
        await app.call('POST', `/v1/deals/${deal.dealId}/stage-requests`, {
          user: deal.vendorSeller,
          body: { kind: 'Advance' },
        }),
      );
      expect((await stored(deal.dealId)).requests).toEqual(['Expired']);
    });
  },
);

describe('deal with a number in Cosell_Stage__c', () => {
  it('reads it as the text SQLite stores and moves nothing', async () => {
    const deal = await createDemoDeal(app.gateway);
    // better-sqlite3 binds the number as a real, which the column's TEXT
    // affinity stores as the text "7.0": a stage the model does not have.
    store(deal.dealId, 'Cosell_Stage__c', 7);
    const before = await stored(deal.dealId);
    expect(before.deal?.['Cosell_Stage__c']).toBe('7.0');

    const response = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.vendorSeller, body: { kind: 'Advance' } },
    );
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('stage_not_in_model');
    expect(response.body.value).toBe('7.0');
    expect(await stored(deal.dealId)).toEqual(before);
  });
});

describe('deal with blank stage fields', () => {
  it('has no co-sell stage yet and version 0', async () => {
    const deal = await createDemoDeal(app.gateway);
    store(deal.dealId, 'Cosell_Stage__c', null);
    store(deal.dealId, 'Cosell_Stage_Version__c', null);

    const read = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: deal.vendorSeller,
    });
    expect(read.status).toBe(200);
    expect(read.body.stage).toBeNull();
    expect(read.body.version).toBe(0);
    const created = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.vendorSeller, body: { kind: 'Advance' } },
    );
    expect(created.status).toBe(201);
    expect(created.body.fromStage).toBeNull();
    expect(created.body.toStage).toBe('Registered');
    expect((await app.gateway.getRequest(created.body.id))?.dealVersion).toBe(
      0,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import type { DemoDeal } from '../../scripts/demo/demo-deal.js';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';
import { writeStoredValue } from '../helpers/store-value.js';

/**
 * The agenda over deals whose stored values outside the criteria are invalid:
 * a pending request's times, the deal's stage entry time and its model.
 */
const BAD_EXPIRES = 'garbage-expires';
const BAD_CREATED = 'garbage-created';
const BAD_ENTERED = 'garbage-entered';
const BAD_MODEL = 'Nope';

let app: LifecycleTestApp;
let badExpires: { deal: DemoDeal; requestId: string };
let badCreated: { deal: DemoDeal; requestId: string };
let badEntered: { deal: DemoDeal; requestId: string };
let badModel: { deal: DemoDeal; requestId: string };
let healthy: { deal: DemoDeal; requestId: string };

function storeValue(
  table: string,
  id: string,
  field: string,
  value: string,
): void {
  writeStoredValue(app.dbPath, table, id, field, value);
}

/** Creates a demo deal with a pending Advance by the partner. */
async function dealWithPendingAdvance(): Promise<{
  deal: DemoDeal;
  requestId: string;
}> {
  const deal = await createDemoDeal(app.gateway);
  const request = await app.call(
    'POST',
    `/v1/deals/${deal.dealId}/stage-requests`,
    { user: deal.partnerSeller, body: { kind: 'Advance' } },
  );
  expect(request.status).toBe(201);
  return { deal, requestId: String(request.body.id) };
}

beforeAll(async () => {
  app = await startLifecycleApp();

  badExpires = await dealWithPendingAdvance();
  badCreated = await dealWithPendingAdvance();
  badEntered = await dealWithPendingAdvance();
  badModel = await dealWithPendingAdvance();
  healthy = await dealWithPendingAdvance();
  storeValue(
    'Stage_Request__c',
    badExpires.requestId,
    'Expires_At__c',
    BAD_EXPIRES,
  );
  storeValue(
    'Stage_Request__c',
    badCreated.requestId,
    'CreatedDate',
    BAD_CREATED,
  );
  storeValue(
    'Opportunity',
    badEntered.deal.dealId,
    'Cosell_Stage_Entered_At__c',
    BAD_ENTERED,
  );
  storeValue('Opportunity', badModel.deal.dealId, 'Cosell_Model__c', BAD_MODEL);
});

afterAll(async () => {
  await app.close();
});

interface Item {
  dealId: string;
  detail: string;
  problem?: Record<string, unknown>;
}

function itemOf(items: Item[], dealId: string): Item | undefined {
  return items.find((item) => item.dealId === dealId);
}

describe('agenda with an invalid stored instant', () => {
  // Each case: the deal, and the object, record and field of its bad value.
  const cases = () => [
    {
      name: 'request expiry',
      deal: badExpires.deal,
      object: 'Stage_Request__c',
      recordId: badExpires.requestId,
      field: 'Expires_At__c',
      value: BAD_EXPIRES,
    },
    {
      name: 'request creation time',
      deal: badCreated.deal,
      object: 'Stage_Request__c',
      recordId: badCreated.requestId,
      field: 'CreatedDate',
      value: BAD_CREATED,
    },
    {
      name: 'stage entry time',
      deal: badEntered.deal,
      object: 'Opportunity',
      recordId: badEntered.deal.dealId,
      field: 'Cosell_Stage_Entered_At__c',
      value: BAD_ENTERED,
    },
  ];

  it('lists each bad value', async () => {
    for (const { name, deal, object, recordId, field, value } of cases()) {
      const res = await app.call('GET', '/v1/agenda', {
        user: deal.vendorSeller,
      });
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      const item = itemOf(res.body.notEvaluated, deal.dealId);
      expect({ name, problem: item?.problem }).toEqual({
        name,
        problem: {
          object,
          recordId,
          field,
          value,
          message: expect.stringContaining(`"${value}"`),
          fix: expect.stringContaining(
            `Correct ${field} on ${object} ${recordId}`,
          ),
        },
      });
    }
  });

  it('leaves the bad request unlisted', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: badExpires.deal.vendorSeller,
    });
    expect(res.status).toBe(200);
    expect(
      itemOf(res.body.waitingOnVendor, badExpires.deal.dealId),
    ).toBeUndefined();
  });

  it('keeps the other deals', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: healthy.deal.vendorSeller,
    });
    expect(res.status).toBe(200);
    expect(itemOf(res.body.notEvaluated, healthy.deal.dealId)).toBeUndefined();
    const waiting = itemOf(res.body.waitingOnVendor, healthy.deal.dealId);
    expect(waiting).toBeDefined();
    expect(waiting!.detail).toContain('expires');
  });

  it('lists the problems for the partner', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: badEntered.deal.partnerSeller,
    });
    expect(res.status).toBe(200);
    const entered = itemOf(res.body.notEvaluated, badEntered.deal.dealId);
    expect(entered?.problem?.['field']).toBe('Cosell_Stage_Entered_At__c');
    const expires = itemOf(res.body.notEvaluated, badExpires.deal.dealId);
    expect(expires?.problem?.['recordId']).toBe(badExpires.requestId);
  });

  it('hides problems from other partners', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: PEOPLE.otherPartnerSeller,
    });
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(badExpires.requestId);
    expect(text).not.toContain(badCreated.requestId);
    expect(text).not.toContain(badEntered.deal.dealId);
  });

  it('lists the deals in the markdown', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: PEOPLE.partnerSeller,
      headers: { accept: 'text/markdown' },
    });
    expect(res.status).toBe(200);
    const rowOf = (record: string) =>
      res.text.split('\n').find((line) => line.includes(`${record} |`));
    expect(rowOf(`Stage_Request__c ${badCreated.requestId}`)).toContain(
      '| CreatedDate |',
    );
    expect(rowOf(`Stage_Request__c ${badExpires.requestId}`)).toContain(
      '| Expires_At__c |',
    );
    expect(rowOf(`Opportunity ${badEntered.deal.dealId}`)).toContain(
      '| Cosell_Stage_Entered_At__c |',
    );
  });

  it('lists the deals in the report', async () => {
    const res = await app.call('GET', '/v1/reports/agenda?format=csv', {
      user: PEOPLE.channelManager,
    });
    expect(res.status).toBe(200);
    const rows = parse(res.text, { columns: true }) as Array<
      Record<string, string>
    >;
    const rowOf = (dealId: string) =>
      rows.find(
        (entry) =>
          entry['Section'] === 'notEvaluated' && entry['Deal Id'] === dealId,
      );
    expect(rowOf(badCreated.deal.dealId)?.['Invalid Record Id']).toBe(
      badCreated.requestId,
    );
    expect(rowOf(badCreated.deal.dealId)?.['Invalid Field']).toBe(
      'CreatedDate',
    );
    expect(rowOf(badEntered.deal.dealId)?.['Invalid Field']).toBe(
      'Cosell_Stage_Entered_At__c',
    );
  });
});

describe('agenda with an unknown model', () => {
  it('lists the deal with the model names', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: badModel.deal.vendorSeller,
    });
    expect(res.status).toBe(200);
    const item = itemOf(res.body.notEvaluated, badModel.deal.dealId);
    expect(item?.problem).toEqual({
      object: 'Opportunity',
      recordId: badModel.deal.dealId,
      field: 'Cosell_Model__c',
      value: BAD_MODEL,
      message: expect.stringContaining(`"${BAD_MODEL}"`),
      fix: expect.stringContaining('Set Cosell_Model__c'),
    });
    expect(item!.problem!['message']).toContain('AWS_ACE, Default');
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { StandIn } from '../salesforce-stand-in/index.js';
import { connect, seedDeal, startStandIn } from './stand-in-fixture.js';

describe('stand-in query', () => {
  let standIn: StandIn;
  let dealId: string;

  beforeAll(async () => {
    standIn = await startStandIn({ queryBatchSize: 3 });
    ({ dealId } = seedDeal(standIn));
    standIn.records.insertMany(
      'Close_Plan_Step__c',
      ['Customer', 'Vendor', 'Customer', 'Partner'].map((side, index) => ({
        Opportunity__c: dealId,
        Step__c: `Step ${index + 1}`,
        Owner_Side__c: side,
      })),
    );
    for (let index = 0; index < 7; index++) {
      seedDeal(standIn, `Deal ${index}`);
    }
  });

  afterAll(() => standIn.close());

  test('pages with nextRecordsUrl', async () => {
    const conn = connect(standIn);
    standIn.resetLog();
    const first = await conn.query(
      'SELECT Id, Name FROM Opportunity ORDER BY Name',
    );
    expect(first.totalSize).toBe(8);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(3);
    expect(first.nextRecordsUrl).toMatch(
      /\/services\/data\/v62\.0\/query\/01g\w{15}-3$/,
    );
    const all = await conn
      .query('SELECT Id, Name FROM Opportunity ORDER BY Name')
      .run({ autoFetch: true, maxFetch: 100 });
    expect(all.records).toHaveLength(8);
    const paths = standIn.requests.map((r) => r.resource);
    expect(paths).toContain('query-more');
  });

  test('child subquery and parent lookup', async () => {
    const conn = connect(standIn);
    const result = await conn.query<any>(
      `SELECT Id, Account.Name, (SELECT Step__c FROM Close_Plan_Steps__r WHERE Owner_Side__c = 'Customer' ORDER BY Step__c) FROM Opportunity WHERE Id = '${dealId}'`,
    );
    const deal = result.records[0];
    expect(deal.Account.Name).toBe('Acme expansion account');
    expect(deal.Close_Plan_Steps__r.totalSize).toBe(2);
    expect(deal.Close_Plan_Steps__r.records.map((r: any) => r.Step__c)).toEqual(
      ['Step 1', 'Step 3'],
    );
  });

  test('INVALID_FIELD on a typo', async () => {
    const conn = connect(standIn);
    await expect(
      conn.query('SELECT Id, Cosell_Stag__c FROM Opportunity'),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });
});

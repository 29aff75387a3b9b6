import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFixtureDeal } from './deal-fixture.js';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';

/** 01:10 on 10 March 2026 in New York (EDT, UTC-4), 05:10 in UTC. */
const NOW = '2026-03-10T05:10:00.000Z';
/** 23:50 on 9 March in New York, 03:50 on 10 March in UTC. */
const LATE_EVENING = '2026-03-10T03:50:00.000Z';
const DAY = 86_400_000;

let utc: LifecycleTestApp;
let newYork: LifecycleTestApp;

beforeAll(async () => {
  utc = await startLifecycleApp({ start: NOW });
  newYork = await startLifecycleApp({
    start: NOW,
    timeZone: 'America/New_York',
  });
});

afterAll(async () => {
  await utc.close();
  await newYork.close();
});

async function getDeal(
  app: LifecycleTestApp,
  dealId: string,
  user = PEOPLE.vendorSeller,
) {
  const res = await app.call('GET', `/v1/deals/${dealId}`, { user });
  expect(res.status).toBe(200);
  return res.body;
}

describe('days in stage', () => {
  it('counts calendar days in the configured time zone', async () => {
    const inUtc = await createFixtureDeal(utc, 'Registered', LATE_EVENING);
    const inNewYork = await createFixtureDeal(
      newYork,
      'Registered',
      LATE_EVENING,
    );
    expect((await getDeal(utc, inUtc.dealId)).daysInStage).toBe(0);
    expect((await getDeal(newYork, inNewYork.dealId)).daysInStage).toBe(1);
  });
});

describe('stalled', () => {
  it('is false on the last allowed day and true the day after', async () => {
    const at14 = await createFixtureDeal(
      utc,
      'Registered',
      new Date(Date.parse(NOW) - 14 * DAY).toISOString(),
    );
    const at15 = await createFixtureDeal(
      utc,
      'Registered',
      new Date(Date.parse(NOW) - 15 * DAY).toISOString(),
    );
    const fourteen = await getDeal(utc, at14.dealId);
    expect(fourteen.daysInStage).toBe(14);
    expect(fourteen.stalled).toBe(false);
    const fifteen = await getDeal(utc, at15.dealId);
    expect(fifteen.daysInStage).toBe(15);
    expect(fifteen.stalled).toBe(true);
  });
});

describe('regressed', () => {
  it('turns true when evidence of the stage left is removed', async () => {
    const deal = await createFixtureDeal(utc, 'Validating', NOW);
    const before = await getDeal(utc, deal.dealId);
    expect(before.regressed).toBe(false);
    expect(before.regressedCriteria).toEqual([]);
    await utc.gateway.upsertRecords('Joint_Qualification__c', [
      { Id: deal.qualificationId, Budget__c: null },
    ]);
    const after = await getDeal(utc, deal.dealId, PEOPLE.partnerSeller);
    expect(after.regressed).toBe(true);
    expect(
      after.regressedCriteria.map((c: { name: string }) => c.name),
    ).toEqual([
      'Default_Qualified_Content_Complete',
      // The confirmation counts only a complete qualification.
      'Default_Qualified_Both_Sides_Confirmed',
    ]);
  });

  it('stays false after a back move into the stage', async () => {
    const deal = await createFixtureDeal(utc, 'Jointly_Qualified', NOW);
    await utc.gateway.upsertRecords('Stage_Transition__c', [
      {
        Id: deal.id('Stage_Transition__c'),
        Opportunity__c: deal.dealId,
        From_Stage__c: 'Validating',
        To_Stage__c: 'Jointly_Qualified',
        Requested_By__c: PEOPLE.vendorSeller,
        Confirmed_By__c: PEOPLE.partnerSeller,
        Transitioned_At__c: new Date(Date.parse(NOW) + 1000).toISOString(),
        Evidence_Snapshot__c: '[]',
        One_Sided__c: false,
        Key__c: `fixture:${deal.dealId}:back`,
        Version__c: 3,
      },
    ]);
    await utc.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Vendor_Owner__c: null },
    ]);
    const view = await getDeal(utc, deal.dealId, PEOPLE.channelManager);
    expect(view.regressed).toBe(false);
  });
});

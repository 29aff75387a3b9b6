import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import type { DemoDeal } from '../../scripts/demo/demo-deal.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

/**
 * The shipped Default criteria evaluated by the real app over a socket, on a
 * store seeded with the demo people.
 */

let app: TestApp;
/** A seller of another partner account than the demo deal's partner. */
const otherPartnerSeller = demoId('005', 110);

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

/** Creates a demo deal and sets its stored stage. */
async function dealAt(stage: string): Promise<DemoDeal> {
  const deal = await createDemoDeal(app.gateway);
  await app.gateway.upsertRecords('Opportunity', [
    { Id: deal.dealId, Cosell_Stage__c: stage },
  ]);
  return deal;
}

/** Returns whether each exit criterion of the deal's stage is met, by name. */
async function criteriaMet(deal: DemoDeal): Promise<Record<string, boolean>> {
  const res = await app.call('GET', `/v1/deals/${deal.dealId}/evaluation`, {
    user: deal.vendorSeller,
  });
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.criteria.map((c: { name: string; met: boolean }) => [
      c.name,
      c.met,
    ]),
  );
}

async function addApproval(
  deal: DemoDeal,
  owner: string,
  counterpart: string,
): Promise<void> {
  await app.gateway.upsertRecords('Deal_Approval__c', [
    {
      Opportunity__c: deal.dealId,
      Type__c: 'Pricing',
      Owner__c: owner,
      Handoff_Counterpart__c: counterpart,
      Status__c: 'Approved',
    },
  ]);
}

describe('Default cross-side handoff', () => {
  const HANDOFF = 'Default_Negotiating_Cross_Side_Handoff';

  it('accepts the deal partner as counterpart', async () => {
    const deal = await dealAt('Negotiating');
    await addApproval(deal, deal.vendorSeller, deal.partnerSeller);
    expect((await criteriaMet(deal))[HANDOFF]).toBe(true);
  });

  it('accepts a deal partner owner', async () => {
    const deal = await dealAt('Negotiating');
    await addApproval(deal, deal.partnerSeller, deal.vendorSeller);
    expect((await criteriaMet(deal))[HANDOFF]).toBe(true);
  });

  it('rejects another partner as counterpart', async () => {
    const deal = await dealAt('Negotiating');
    await addApproval(deal, deal.vendorSeller, otherPartnerSeller);
    expect((await criteriaMet(deal))[HANDOFF]).toBe(false);
  });

  it('rejects another partner as owner', async () => {
    const deal = await dealAt('Negotiating');
    await addApproval(deal, otherPartnerSeller, deal.vendorSeller);
    expect((await criteriaMet(deal))[HANDOFF]).toBe(false);
  });

  it('rejects two vendor users', async () => {
    const deal = await dealAt('Negotiating');
    await addApproval(deal, deal.vendorSeller, deal.vendorColleague);
    expect((await criteriaMet(deal))[HANDOFF]).toBe(false);
  });
});

describe('Default joint qualification', () => {
  const CONTENT = 'Default_Qualified_Content_Complete';
  const CONFIRMED = 'Default_Qualified_Both_Sides_Confirmed';

  it('accepts one complete confirmed qualification', async () => {
    const deal = await dealAt('Jointly_Qualified');
    await app.gateway.upsertRecords('Joint_Qualification__c', [
      {
        Id: deal.qualificationId,
        Partner_Confirmed_By__c: deal.partnerSeller,
        Partner_Confirmed_At__c: new Date().toISOString(),
      },
    ]);
    const met = await criteriaMet(deal);
    expect(met[CONTENT]).toBe(true);
    expect(met[CONFIRMED]).toBe(true);
  });

  it('rejects confirmation on an empty second record', async () => {
    const deal = await dealAt('Jointly_Qualified');
    const now = new Date().toISOString();
    await app.gateway.upsertRecords('Joint_Qualification__c', [
      {
        Id: deal.qualificationId,
        Vendor_Confirmed_By__c: null,
        Vendor_Confirmed_At__c: null,
      },
      {
        Opportunity__c: deal.dealId,
        Vendor_Confirmed_By__c: deal.vendorSeller,
        Vendor_Confirmed_At__c: now,
        Partner_Confirmed_By__c: deal.partnerSeller,
        Partner_Confirmed_At__c: now,
      },
    ]);
    const met = await criteriaMet(deal);
    expect(met[CONTENT]).toBe(true);
    expect(met[CONFIRMED]).toBe(false);
  });
});

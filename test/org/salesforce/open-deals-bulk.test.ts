import { afterEach, describe, expect, it } from '@jest/globals';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import { StoreUnavailableError } from '../../../middleware/src/org/errors.js';
import {
  seedDeal,
  startTestOrg,
  TEST_PLAN,
  type TestOrg,
} from './salesforce-fixture.js';

let org: TestOrg | undefined;

afterEach(async () => {
  await org?.close();
  org = undefined;
});

async function streamAll(testOrg: TestOrg): Promise<RecordData[]> {
  const deals: RecordData[] = [];
  for await (const deal of testOrg.gateway.streamOpenDeals(TEST_PLAN)) {
    deals.push(deal);
  }
  return deals;
}

/** Sorts child lists by Id, since neither API promises an order. */
function sortedChildren(deal: RecordData): RecordData {
  const copy: RecordData = { ...deal };
  for (const [key, value] of Object.entries(copy)) {
    if (Array.isArray(value)) {
      copy[key] = [...value].sort((a, b) =>
        String(a.Id).localeCompare(String(b.Id)),
      );
    }
  }
  return copy;
}

describe('SalesforceGateway.streamOpenDeals', () => {
  it('joins one job per object across pages', async () => {
    org = await startTestOrg({
      stageModels: false,
      bulkPollsUntilComplete: 2,
    });
    const open = Array.from({ length: 7 }, () => seedDeal(org!.standIn));
    const closed = seedDeal(org.standIn, { StageName: 'Closed Won' });
    await org.gateway.describeSchema();
    org.standIn.resetLog();

    const deals = await streamAll(org);

    expect(deals.map((d) => d.Id).sort()).toEqual(
      open.map((d) => d.dealId).sort(),
    );
    expect(deals.some((d) => d.Id === closed.dealId)).toBe(false);
    for (const deal of deals) {
      expect(deal.Close_Plan_Steps__r).toHaveLength(2);
      expect(deal.Deal_Partners__r).toHaveLength(2);
    }
    const jobs = org.standIn.requests.filter(
      (r) => r.method === 'POST' && r.resource === 'bulk-query',
    );
    expect(jobs).toHaveLength(3);
    const pages = org.standIn.requests.filter((r) =>
      r.path.endsWith('/results'),
    );
    // 7 deals and 14 rows of each child object, 3 rows a page.
    expect(pages).toHaveLength(3 + 5 + 5);
    expect(pages.filter((r) => r.query.locator !== undefined)).toHaveLength(
      2 + 4 + 4,
    );
    const polls = org.standIn.requests.filter(
      (r) => r.method === 'GET' && /\/jobs\/query\/\w+$/.test(r.path),
    );
    expect(polls).toHaveLength(3 * 3);
    expect(org.apiCalls()).toBe(jobs.length + polls.length + pages.length);
  });

  it('reads a deal as the REST read does', async () => {
    org = await startTestOrg({ stageModels: false });
    const seller = org.standIn.users[1]!.id;
    const { dealId } = seedDeal(org.standIn, {
      Vendor_Owner__c: seller,
      Amount: 9999999999999.99,
      Partner_Account__c: null,
    });
    const [fromBulk] = await streamAll(org);
    const { deal: fromRest } = await org.gateway.readDealContext({
      dealId,
      actingUserId: seller,
      plan: TEST_PLAN,
    });
    expect(fromBulk).toBeDefined();
    expect(sortedChildren(fromBulk!)).toEqual(sortedChildren(fromRest!));
    expect(fromBulk?.Partner_Account__r).toBeNull();
    expect(fromBulk?.Amount).toBe(9999999999999.99);
    expect(String(fromBulk?.Amount)).toBe('9999999999999.99');
  });

  it('polls with backoff until the job completes', async () => {
    org = await startTestOrg({
      stageModels: false,
      bulkPollsUntilComplete: 4,
      settings: { bulkPollMinMs: 10, bulkPollMaxMs: 20 },
    });
    seedDeal(org.standIn);
    const deals = await streamAll(org);
    expect(deals).toHaveLength(1);
    const dealPolls = org.standIn.requests.filter(
      (r) => r.method === 'GET' && /\/jobs\/query\/\w+$/.test(r.path),
    );
    expect(dealPolls).toHaveLength(3 * 5);
  });

  it('fails a job that runs out of time', async () => {
    org = await startTestOrg({
      stageModels: false,
      bulkPollsUntilComplete: 1000,
      settings: { bulkPollMinMs: 5, bulkPollMaxMs: 5, bulkTimeoutMs: 50 },
    });
    seedDeal(org.standIn);
    const failed = streamAll(org);
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failed).rejects.toThrow(/did not complete within 50 ms/);
    const aborts = org.standIn.requests.filter(
      (r) => r.method === 'PATCH' && r.resource === 'bulk-query',
    );
    // The deal job and its two child jobs.
    expect(aborts).toHaveLength(3);
    expect(aborts.every((r) => r.status === 200)).toBe(true);
  });

  it('retries a result page after a 503', async () => {
    org = await startTestOrg({ stageModels: false });
    seedDeal(org.standIn);
    org.standIn.faults.next({ kind: '503', match: { path: '/results' } });
    const deals = await streamAll(org);
    expect(deals).toHaveLength(1);
    expect(org.standIn.requests.filter((r) => r.status === 503)).toHaveLength(
      1,
    );
  });

  it('renews the session for a result page', async () => {
    org = await startTestOrg({ stageModels: false });
    seedDeal(org.standIn);
    org.standIn.faults.next({
      kind: 'expired-session',
      match: { path: '/results' },
    });
    const deals = await streamAll(org);
    expect(deals).toHaveLength(1);
    expect(org.gateway.usage().tokensRenewed).toBe(1);
  });
});

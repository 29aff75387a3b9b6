import { describe, expect, it } from '@jest/globals';
import { benchmarkSalesforceCalls } from '../../../scripts/bench/salesforce-calls.js';

describe('benchmarkSalesforceCalls', () => {
  it('counts calls per decision and for Bulk', async () => {
    const result = await benchmarkSalesforceCalls({
      openDeals: 25,
      bulkPageSize: 10,
      bulkPollMinMs: 1,
    });
    expect(result.oneTime).toEqual({
      tokenRequests: 1,
      describeCalls: 1,
      modelLoadCalls: 1,
    });
    expect(result.evaluation.calls).toBe(1);
    expect(result.confirmedMove.calls).toBe(2);
    expect(result.request.calls).toBe(2);
    expect(result.confirmedMove.naiveCalls).toBe(
      result.confirmedMove.recordsRead + 4,
    );
    expect(result.evaluation.naiveCalls).toBeGreaterThan(
      result.evaluation.calls,
    );
    expect(result.withinTargets).toBe(true);
    const bulk = result.bulkReevaluation;
    // The seeded deal moved on, and its stage's criteria are not met yet.
    expect(bulk.dealsRead).toBe(26);
    expect(bulk.criteriaMet).toBe(25);
    // The plan reads five child relationships: six jobs, each polled twice.
    expect(bulk.jobs).toBe(6);
    expect(bulk.polls).toBe(12);
    // 26 deals a page of 10: 3 pages; 26 registrations and partners: 3 each;
    // the three other children have no rows: 1 page each.
    expect(bulk.resultPages).toBe(3 + 3 + 3 + 1 + 1 + 1);
    expect(bulk.apiCalls).toBe(bulk.jobs + bulk.polls + bulk.resultPages);
  }, 30_000);
});

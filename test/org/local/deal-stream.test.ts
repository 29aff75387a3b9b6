import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import { toId18 } from '../../../middleware/src/domain/salesforce-id.js';
import type { DealQueryPlan } from '../../../middleware/src/org/gateway.js';
import { StoreUnavailableError } from '../../../middleware/src/org/errors.js';
import { openTempStore } from '../../helpers/local-store.js';
import type { TempStore } from '../../helpers/local-store.js';

const OPEN_DEALS = 450;
const CLOSED_DEALS = 50;
const PLAN: DealQueryPlan = {
  dealFields: ['Id', 'Name', 'IsClosed'],
  children: { Close_Plan_Steps__r: ['Id', 'Opportunity__c', 'Step__c'] },
};
let store: TempStore;

const dealId = (n: number) => toId18(`006${String(n).padStart(12, '0')}`);

/** Tells whether a reader keeps a snapshot, which a TRUNCATE checkpoint cannot pass. */
function readerHoldsSnapshot(dbPath: string): boolean {
  // No busy wait: the checkpoint reports a reader at once instead of waiting for it.
  const db = new Database(dbPath, { timeout: 0 });
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{
      busy: number;
    }>;
    return result?.busy === 1;
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  store = await openTempStore();
  const deals = Array.from({ length: OPEN_DEALS + CLOSED_DEALS }, (_, i) => ({
    Id: dealId(i + 1),
    Name: `Deal ${i + 1}`,
    StageName: 'Prospecting',
    CloseDate: '2027-01-31',
    IsClosed: i >= OPEN_DEALS,
  }));
  await store.gateway.upsertRecords('Opportunity', deals);
  await store.gateway.upsertRecords(
    'Close_Plan_Step__c',
    deals.flatMap((deal, i) =>
      Array.from({ length: i % 3 }, (_, k) => ({
        Opportunity__c: deal.Id,
        Step__c: `Step ${k + 1} of ${deal.Name}`,
        Owner_Side__c: 'Vendor',
      })),
    ),
  );
});

afterEach(async () => {
  await store.cleanup();
});

describe('streamOpenDeals on the local store', () => {
  it('streams open deals across batches with their own children', async () => {
    const seen: RecordData[] = [];
    for await (const deal of store.gateway.streamOpenDeals(PLAN))
      seen.push(deal);
    expect(seen).toHaveLength(OPEN_DEALS);
    expect(new Set(seen.map((d) => d.Id)).size).toBe(OPEN_DEALS);
    seen.forEach((deal, i) => {
      const steps = deal['Close_Plan_Steps__r'] as RecordData[];
      expect({ deal: deal.Id, steps: steps.length }).toEqual({
        deal: dealId(i + 1),
        steps: i % 3,
      });
      for (const step of steps) expect(step['Opportunity__c']).toBe(deal.Id);
    });
  });

  it('lets writes through and reads one snapshot', async () => {
    const stream = store.gateway.streamOpenDeals(PLAN)[Symbol.asyncIterator]();
    const first = await stream.next();
    expect(first.value?.Id).toBe(dealId(1));
    await store.gateway.upsertRecords('Opportunity', [
      {
        Id: dealId(9999),
        Name: 'Added while streaming',
        StageName: 'Prospecting',
        CloseDate: '2027-01-31',
      },
    ]);
    let count = 1;
    let sawAdded = false;
    for (
      let next = await stream.next();
      !next.done;
      next = await stream.next()
    ) {
      count += 1;
      if (next.value.Id === dealId(9999)) sawAdded = true;
    }
    expect(count).toBe(OPEN_DEALS);
    expect(sawAdded).toBe(false);
    expect(
      await store.gateway.countRecords('Opportunity', { IsClosed: false }),
    ).toBe(OPEN_DEALS + 1);
  });

  it('releases its snapshot when the loop stops early', async () => {
    const stream = store.gateway.streamOpenDeals(PLAN)[Symbol.asyncIterator]();
    await stream.next();
    expect(readerHoldsSnapshot(store.dbPath)).toBe(true);
    await stream.return?.(undefined);
    expect(readerHoldsSnapshot(store.dbPath)).toBe(false);
  });

  it('fails a stream still reading at close', async () => {
    const stream = store.gateway.streamOpenDeals(PLAN)[Symbol.asyncIterator]();
    await stream.next();
    await store.gateway.close();
    const drain = async () => {
      for (
        let next = await stream.next();
        !next.done;
        next = await stream.next()
      );
    };
    await expect(drain()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(readerHoldsSnapshot(store.dbPath)).toBe(false);
  });
});

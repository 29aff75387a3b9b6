import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { openLocalLifecycleStore } from '../../middleware/src/org/local/lifecycle-local-store.js';
import {
  describeLifecycleStore,
  type StoreUnderTest,
} from './lifecycle-store.suite.js';

async function openLocalStore(): Promise<StoreUnderTest> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-lifecycle-store-'));
  const dbPath = path.join(dir, 'store.db');
  const gateway = await openLocalGateway({
    dbPath,
    packageDir: path.resolve('force-app'),
  });
  const schema = await gateway.describeSchema();
  const store = openLocalLifecycleStore({
    dbPath,
    schema,
    packageDir: gateway.packageDir,
    now: () => new Date('2026-03-10T05:10:00.000Z'),
  });
  return {
    store,
    seed: async (batches) => {
      for (const batch of batches) {
        await gateway.upsertRecords(batch.objectName, batch.records);
      }
    },
    keyPrefix: (objectName) => schema[objectName]!.keyPrefix,
    cleanup: async () => {
      await store.close();
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeLifecycleStore('LocalLifecycleStore', openLocalStore);

describe('LocalLifecycleStore transition read', () => {
  it('lets writes run while it is open', async () => {
    const { store, seed, keyPrefix, cleanup } = await openLocalStore();
    try {
      const dealId = demoId(keyPrefix('Opportunity'), 1);
      const userId = demoId('005', 1);
      await seed([
        {
          objectName: 'User',
          records: [
            {
              Id: userId,
              Name: 'Vera Vendor',
              Username: 'vera@read.example',
              Email: 'vera@read.example',
            },
          ],
        },
        {
          objectName: 'Opportunity',
          records: [
            {
              Id: dealId,
              Name: 'Read deal',
              StageName: 'Prospecting',
              CloseDate: '2026-09-30',
              Cosell_Stage__c: 'Registered',
            },
          ],
        },
        {
          objectName: 'Stage_Transition__c',
          records: [1, 2].map((version) => ({
            Id: demoId(keyPrefix('Stage_Transition__c'), version),
            Opportunity__c: dealId,
            To_Stage__c: 'Registered',
            Requested_By__c: userId,
            Confirmed_By__c: userId,
            Transitioned_At__c: '2026-03-01T05:10:00.000Z',
            Key__c: `read:${version}`,
            Version__c: version,
          })),
        },
      ]);
      const rows = store.streamDealTransitions()[Symbol.asyncIterator]();
      const first = await rows.next();

      // A write on the store's own connection while the read is open.
      const created = await store.createRegistration({
        partnerAccountId: demoId('001', 1),
        submittedById: userId,
        submittedAt: '2026-03-10T05:10:00.000Z',
        customerCompany: 'Pemberton Mills',
        customerWebsite: null,
        customerCountry: 'United States',
        productLine: 'Analytics',
        amount: '1000.00',
        currencyIsoCode: 'USD',
        expectedCloseDate: '2026-09-30',
        expiresAt: '2026-06-08T05:10:00.000Z',
        conflictStatus: 'Clear',
        conflictMatches: '[]',
      });
      const second = await rows.next();
      const end = await rows.next();

      expect(first.value?.transition.version).toBe(1);
      expect(created.status).toBe('Submitted');
      expect(second.value?.transition.version).toBe(2);
      expect(end.done).toBe(true);
    } finally {
      await cleanup();
    }
  });
});

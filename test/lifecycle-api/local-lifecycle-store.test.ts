import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { openLocalLifecycleStore } from '../../middleware/src/org/local/lifecycle-local-store.js';
import { describeLifecycleStore } from './lifecycle-store.suite.js';

describeLifecycleStore('LocalLifecycleStore', async () => {
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
});

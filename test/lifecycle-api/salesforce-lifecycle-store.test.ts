import { SalesforceLifecycleStore } from '../../middleware/src/org/salesforce/lifecycle-salesforce-store.js';
import {
  INTEGRATION_USER,
  packageSchema,
  startTestOrg,
} from '../org/salesforce/salesforce-fixture.js';
import { describeLifecycleStore } from './lifecycle-store.suite.js';

/**
 * The lifecycle store contract against `SalesforceLifecycleStore` on jsforce
 * and the loopback stand-in, with a fresh org per test seeded through the
 * stand-in's trusted inserts.
 */
describeLifecycleStore('SalesforceLifecycleStore', async () => {
  const org = await startTestOrg({
    stageModels: false,
    users: [
      {
        username: INTEGRATION_USER,
        name: 'Integration User',
        customPermissions: ['Cosell_Integration'],
        permissionSets: ['Cosell_Integration'],
      },
    ],
  });
  const schema = await packageSchema();
  return {
    store: new SalesforceLifecycleStore(org.gateway, {
      now: () => new Date('2026-03-10T05:10:00.000Z'),
    }),
    seed: async (batches) => {
      for (const batch of batches) {
        org.standIn.records.insertMany(batch.objectName, batch.records);
      }
    },
    keyPrefix: (objectName) => schema[objectName]!.keyPrefix,
    cleanup: () => org.close(),
  };
});

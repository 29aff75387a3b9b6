import type { RecordData } from '../../../middleware/src/domain/records.js';
import { describeStorePort } from '../conformance/store-port.suite.js';
import { INTEGRATION_USER, startTestOrg } from './salesforce-fixture.js';

/**
 * The store port's conformance suite against `SalesforceGateway` on jsforce and the
 * loopback stand-in: a fresh org per test, seeded through the stand-in's trusted
 * inserts with the Ids the suite gives.
 */
describeStorePort('SalesforceGateway', async () => {
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
  return {
    gateway: org.gateway,
    seed: async (batches) => {
      for (const batch of batches) {
        org.standIn.records.insertMany(
          batch.objectName,
          batch.records.map((record) =>
            withDerivedName(batch.objectName, record),
          ),
        );
      }
    },
    cleanup: () => org.close(),
  };
});

/** Salesforce derives a Contact's Name from its first and last names; the stand-in does not. */
function withDerivedName(objectName: string, record: RecordData): RecordData {
  if (objectName !== 'Contact' || record.Name !== undefined) return record;
  const parts = [record.FirstName, record.LastName].filter(
    (part) => typeof part === 'string' && part !== '',
  );
  return { ...record, Name: parts.join(' ') };
}

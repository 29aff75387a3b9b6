import { describeStorePort } from '../conformance/store-port.suite.js';
import { openTempStore } from '../../helpers/local-store.js';

describeStorePort('LocalGateway', async () => {
  const store = await openTempStore();
  return {
    gateway: store.gateway,
    async seed(batches) {
      for (const batch of batches) {
        await store.gateway.upsertRecords(batch.objectName, batch.records);
      }
    },
    cleanup: () => store.cleanup(),
  };
});

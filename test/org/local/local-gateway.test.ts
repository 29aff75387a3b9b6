import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { StoreUnavailableError } from '../../../middleware/src/org/errors.js';
import { openLocalGateway } from '../../../middleware/src/org/local/local-gateway.js';
import { describeStorePort } from '../conformance/store-port.suite.js';
import {
  buildWorld,
  contextQuery,
  idempotencyRecord,
  newRequest,
} from '../conformance/store-world.js';
import type { World } from '../conformance/store-world.js';
import { openTempStore, PACKAGE_DIR } from '../../helpers/local-store.js';
import type { TempStore } from '../../helpers/local-store.js';

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

describe('LocalGateway beyond the port', () => {
  let store: TempStore;
  let world: World;
  let clock: Date;

  beforeEach(async () => {
    clock = new Date('2026-12-04T12:00:00.000Z');
    store = await openTempStore({ now: () => clock, busyTimeoutMs: 50 });
    world = buildWorld(await store.gateway.describeSchema());
    for (const batch of world.batches) {
      await store.gateway.upsertRecords(batch.objectName, batch.records);
    }
  });

  afterEach(async () => {
    await store.cleanup();
  });

  it('expires idempotency keys by its clock', async () => {
    const record = idempotencyRecord('caller:k', '2026-12-05T12:00:00.000Z');
    await store.gateway.createRequest(newRequest(world), record);
    const read = () =>
      store.gateway.readDealContext(
        contextQuery(world, { idempotencyKey: record.key }),
      );
    expect((await read()).idempotency).toEqual(record);
    clock = new Date('2026-12-05T12:00:00.000Z');
    expect((await read()).idempotency).toBeNull();
  });

  it('reuses an expired idempotency key', async () => {
    const old = idempotencyRecord('caller:k', '2026-12-04T13:00:00.000Z');
    const request = await store.gateway.createRequest(newRequest(world), old);
    clock = new Date('2026-12-06T00:00:00.000Z');
    const fresh = idempotencyRecord('caller:k', '2026-12-07T00:00:00.000Z');
    await store.gateway.closeRequest({
      id: request.id,
      status: 'Withdrawn',
      respondedById: world.id.vendor,
      respondedAt: clock.toISOString(),
      responseReason: null,
      idempotency: fresh,
    });
    const rows = await store.gateway.queryRecords('Idempotency_Record__c', {
      fields: ['Key__c', 'Expires_At__c'],
    });
    expect(rows.map((row) => row['Expires_At__c'])).toEqual([fresh.expiresAt]);
  });

  it('reports a lock held past the busy timeout', async () => {
    const other = new Database(store.dbPath);
    try {
      other.exec('BEGIN IMMEDIATE');
      const request = store.gateway.createRequest(newRequest(world));
      await expect(request).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(request).rejects.toThrow('raise busyTimeoutMs');
      other.exec('ROLLBACK');
      expect(
        (await store.gateway.createRequest(newRequest(world))).status,
      ).toBe('Pending');
    } finally {
      other.close();
    }
  });

  it('reports a closed store', async () => {
    await store.gateway.close();
    await expect(
      store.gateway.readDealContext(contextQuery(world)),
    ).rejects.toThrow('The local store is closed');
  });

  it('names an unknown plan path', async () => {
    const plan = { dealFields: ['Id', 'Partner_Acount__r.Name'], children: {} };
    await expect(
      store.gateway.readDealContext(contextQuery(world, { plan })),
    ).rejects.toThrow(
      'Field path "Partner_Acount__r.Name" on Opportunity: Opportunity has no lookup relationship Partner_Acount__r; did you mean Partner_Account__r?',
    );
  });

  it('rejects an in-memory database path', async () => {
    await expect(
      openLocalGateway({ dbPath: ':memory:', packageDir: PACKAGE_DIR }),
    ).rejects.toThrow(
      'The store path ":memory:" names an in-memory database, and the store needs a file that other connections can open; set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db',
    );
  });
});

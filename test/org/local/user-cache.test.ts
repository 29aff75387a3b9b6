import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openLocalGateway } from '../../../middleware/src/org/local/local-gateway.js';
import type { LocalGateway } from '../../../middleware/src/org/local/local-gateway.js';
import { openTempStore, PACKAGE_DIR } from '../../helpers/local-store.js';
import type { TempStore } from '../../helpers/local-store.js';
import { buildWorld, contextQuery } from '../conformance/store-world.js';
import type { World } from '../conformance/store-world.js';

let store: TempStore;
let world: World;

beforeEach(async () => {
  store = await openTempStore();
  world = buildWorld(await store.gateway.describeSchema());
  for (const batch of world.batches) {
    await store.gateway.upsertRecords(batch.objectName, batch.records);
  }
});

afterEach(async () => {
  await store.cleanup();
});

async function actingUser(gateway: LocalGateway, userId: string) {
  const context = await gateway.readDealContext(
    contextQuery(world, { actingUserId: userId }),
  );
  return context.actingUser;
}

describe('acting user reads', () => {
  it('sees an assignment made here', async () => {
    const before = await actingUser(store.gateway, world.id.vendor);
    expect(before?.permissionSets).toEqual(['Cosell_Seller']);

    await store.gateway.upsertRecords('PermissionSetAssignment', [
      {
        AssigneeId: world.id.vendor,
        PermissionSetId: world.id.managerSet,
      },
    ]);

    const after = await actingUser(store.gateway, world.id.vendor);
    expect(after?.permissionSets).toEqual([
      'Cosell_Channel_Manager',
      'Cosell_Seller',
    ]);
  });

  it('sees another connection deactivating a user', async () => {
    expect((await actingUser(store.gateway, world.id.vendor))?.isActive).toBe(
      true,
    );

    const other = await openLocalGateway({
      dbPath: store.dbPath,
      packageDir: PACKAGE_DIR,
    });
    try {
      await other.upsertRecords('User', [
        { Id: world.id.vendor, IsActive: false },
      ]);
    } finally {
      await other.close();
    }

    expect((await actingUser(store.gateway, world.id.vendor))?.isActive).toBe(
      false,
    );
  });

  it('finds a user created after a miss', async () => {
    const newcomer = world.ids.id('User', 9);
    expect(await actingUser(store.gateway, newcomer)).toBeNull();

    await store.gateway.upsertRecords('User', [
      {
        Id: newcomer,
        Name: 'Nia New',
        Username: 'nia.new@cosell.example',
        Email: 'nia.new@cosell.example',
        IsActive: true,
      },
    ]);

    expect((await actingUser(store.gateway, newcomer))?.name).toBe('Nia New');
  });

  it('returns frozen users', async () => {
    const user = await actingUser(store.gateway, world.id.vendor);
    expect(Object.isFrozen(user)).toBe(true);
    expect(Object.isFrozen(user?.permissionSets)).toBe(true);
  });
});

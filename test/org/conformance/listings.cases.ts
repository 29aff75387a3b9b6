import { describe, expect, it } from '@jest/globals';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import type { SuiteState } from './store-port.suite.js';
import {
  confirmMove,
  idempotencyRecord,
  newRequest,
  PLAN,
} from './store-world.js';

export function describeListings(current: () => SuiteState): void {
  describe('listTransitions', () => {
    it('lists a deal transitions by version', async () => {
      const { gateway, world } = current();
      const first = await gateway.createRequest(newRequest(world));
      await gateway.applyMove(confirmMove(world, first.id));
      const second = await gateway.createRequest(
        newRequest(world, {
          fromStage: 'Jointly_Qualified',
          toStage: 'Validating',
          dealVersion: 2,
        }),
      );
      const move = confirmMove(world, second.id, {
        expectedVersion: 2,
        toStage: 'Validating',
      });
      await gateway.applyMove({
        ...move,
        transition: {
          ...move.transition,
          fromStage: 'Jointly_Qualified',
          toStage: 'Validating',
          version: 3,
        },
      });
      const listed = await gateway.listTransitions(world.id.deal);
      expect(listed.map((t) => t.version)).toEqual([2, 3]);
      expect(listed.map((t) => t.requestId)).toEqual([first.id, second.id]);
      expect(await gateway.listTransitions(world.id.otherDeal)).toEqual([]);
    });
  });

  describe('findRequestCreatedAfter', () => {
    it('finds the first request of the deal after an instant', async () => {
      const { gateway, world } = current();
      const first = await gateway.createRequest(newRequest(world));
      await gateway.closeRequest({
        id: first.id,
        status: 'Rejected',
        respondedById: world.id.partnerSeller,
        respondedAt: first.createdAt,
        responseReason: 'Not yet',
      });
      await gateway.createRequest(
        newRequest(world, { dealId: world.id.otherDeal }),
      );
      const before = new Date(
        Date.parse(first.createdAt) - 60_000,
      ).toISOString();

      const found = await gateway.findRequestCreatedAfter(
        world.id.deal,
        before,
      );

      expect(found?.id).toBe(first.id);
      expect(
        await gateway.findRequestCreatedAfter(world.id.deal, first.createdAt),
      ).toBeNull();
      expect(
        await gateway.findRequestCreatedAfter(world.id.closedDeal, before),
      ).toBeNull();
    });
  });

  describe('listExpiredPending', () => {
    it('lists pending requests that expired before now', async () => {
      const { gateway, world } = current();
      const early = await gateway.createRequest(
        newRequest(world, { expiresAt: '2026-01-01T00:00:00.000Z' }),
      );
      const late = await gateway.createRequest(
        newRequest(world, {
          dealId: world.id.otherDeal,
          expiresAt: '2026-03-01T00:00:00.000Z',
        }),
      );
      const closed = await gateway.createRequest(
        newRequest(world, {
          dealId: world.id.closedDeal,
          expiresAt: '2025-06-01T00:00:00.000Z',
        }),
      );
      await gateway.closeRequest({
        id: closed.id,
        status: 'Withdrawn',
        respondedById: world.id.vendor,
        respondedAt: '2025-05-01T00:00:00.000Z',
        responseReason: null,
      });
      const ids = async (now: string, limit: number) =>
        (await gateway.listExpiredPending(now, limit)).map((r) => r.id);
      expect(await ids('2026-02-01T00:00:00.000Z', 10)).toEqual([early.id]);
      expect(await ids('2026-06-01T00:00:00.000Z', 10)).toEqual([
        early.id,
        late.id,
      ]);
      expect(await ids('2026-06-01T00:00:00.000Z', 1)).toEqual([early.id]);
      expect(await ids('2026-01-01T00:00:00.000Z', 10)).toEqual([]);
    });
  });

  describe('purgeExpiredIdempotency', () => {
    it('deletes expired records, oldest first', async () => {
      const { gateway, world } = current();
      // The records expire in 2099, so no insert purges one before this test does.
      const keyed = (dealId: string, key: string, expiresAt: string) =>
        gateway.createRequest(
          newRequest(world, { dealId }),
          idempotencyRecord(key, expiresAt),
        );
      await keyed(world.id.deal, 'caller-1:later', '2099-02-01T00:00:00.000Z');
      await keyed(
        world.id.otherDeal,
        'caller-1:first',
        '2099-01-01T00:00:00.000Z',
      );
      await keyed(
        world.id.closedDeal,
        'caller-1:live',
        '2099-06-01T00:00:00.000Z',
      );
      const now = '2099-03-01T00:00:00.000Z';

      expect(await gateway.purgeExpiredIdempotency(now, 1)).toBe(1);
      // The January record went first: nothing else had expired by mid-January.
      expect(
        await gateway.purgeExpiredIdempotency('2099-01-15T00:00:00.000Z', 10),
      ).toBe(0);
      expect(await gateway.purgeExpiredIdempotency(now, 10)).toBe(1);
      expect(await gateway.purgeExpiredIdempotency(now, 10)).toBe(0);
      // The live record was kept: it is the one left once its time has passed.
      expect(
        await gateway.purgeExpiredIdempotency('2099-07-01T00:00:00.000Z', 10),
      ).toBe(1);
    });

    it('rejects a limit below 1', async () => {
      const { gateway } = current();
      await expect(
        gateway.purgeExpiredIdempotency('2099-03-01T00:00:00.000Z', 0),
      ).rejects.toThrow('limit must be a whole number of at least 1, not 0');
    });
  });

  describe('getUsers', () => {
    it('returns the users that exist', async () => {
      const { gateway, world } = current();
      const users = await gateway.getUsers([
        world.id.vendor,
        world.ids.id('User', 999),
        world.id.partnerSeller.slice(0, 15),
      ]);
      expect(users.map((u) => u.id).sort()).toEqual(
        [world.id.vendor, world.id.partnerSeller].sort(),
      );
      const vendor = users.find((u) => u.id === world.id.vendor);
      expect(vendor).toMatchObject({
        name: 'Vera Vendor',
        userType: 'Standard',
        accountId: null,
        permissionSets: ['Cosell_Seller'],
      });
    });
  });

  describe('streamOpenDeals', () => {
    it('streams each open deal once with its children', async () => {
      const { gateway, harness, world } = current();
      const extra = Array.from({ length: 30 }, (_, i) => ({
        Id: world.ids.id('Opportunity', 100 + i),
        Name: `Stream deal ${i}`,
        AccountId: world.id.customer,
        OwnerId: world.id.vendor,
        StageName: i % 5 === 0 ? 'Closed Won' : 'Prospecting',
        IsClosed: i % 5 === 0,
        IsWon: i % 5 === 0,
        CloseDate: '2027-06-30',
        Cosell_Stage__c: 'Registered',
      }));
      await harness.seed([{ objectName: 'Opportunity', records: extra }]);
      const seen: RecordData[] = [];
      for await (const deal of gateway.streamOpenDeals(PLAN)) seen.push(deal);

      const openIds = [
        world.id.deal,
        world.id.otherDeal,
        ...extra.filter((d) => !d.IsClosed).map((d) => d.Id),
      ];
      expect(seen.map((d) => d.Id).sort()).toEqual(openIds.sort());
      expect(seen.every((d) => d['IsClosed'] === false)).toBe(true);
      expect(seen.every((d) => Array.isArray(d['Close_Plan_Steps__r']))).toBe(
        true,
      );
      const withSteps = seen.find((d) => d.Id === world.id.deal);
      expect(withSteps?.['Close_Plan_Steps__r']).toHaveLength(2);
      expect(withSteps?.['Partner_Account__r']).toMatchObject({
        Name: 'Acme Cloud Partners',
      });
    });
  });

  describe('describeSchema', () => {
    it('describes the co-sell objects', async () => {
      const { gateway } = current();
      const schema = await gateway.describeSchema();
      expect(schema['Opportunity']?.fields['Cosell_Stage__c']?.type).toBe(
        'picklist',
      );
      expect(schema['Stage_Request__c']?.keyPrefix).toMatch(/^[a-zA-Z0-9]{3}$/);
      expect(
        schema['Opportunity']?.childRelationships['Close_Plan_Steps__r']
          ?.childSObject,
      ).toBe('Close_Plan_Step__c');
    });
  });
}

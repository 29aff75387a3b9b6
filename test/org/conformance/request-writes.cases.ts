import { describe, expect, it } from '@jest/globals';
import { isSalesforceId } from '../../../middleware/src/domain/salesforce-id.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  PendingRequestExistsError,
  RecordNotFoundError,
} from '../../../middleware/src/org/errors.js';
import type { SuiteState } from './store-port.suite.js';
import { contextQuery, idempotencyRecord, newRequest } from './store-world.js';

export function describeRequestWrites(current: () => SuiteState): void {
  describe('createRequest', () => {
    it('stores a pending request as given', async () => {
      const { gateway, world } = current();
      const input = newRequest(world, { idempotencyKey: 'caller-1:req-1' });
      const created = await gateway.createRequest(input);
      expect(created.id).toHaveLength(18);
      expect(isSalesforceId(created.id)).toBe(true);
      expect(created).toMatchObject({
        dealId: world.id.deal,
        fromStage: 'Registered',
        toStage: 'Jointly_Qualified',
        kind: 'Advance',
        requestedById: world.id.vendor,
        requestingSide: 'Vendor',
        status: 'Pending',
        respondedById: null,
        respondedAt: null,
        reason: input.reason,
        responseReason: null,
        expiresAt: input.expiresAt,
        idempotencyKey: 'caller-1:req-1',
        evaluationSnapshot: input.evaluationSnapshot,
        dealVersion: 1,
      });
      expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
      expect(await gateway.getRequest(created.id)).toEqual(created);
    });

    it('allows one pending request per deal', async () => {
      const { gateway, world } = current();
      const first = await gateway.createRequest(newRequest(world));
      const second = gateway.createRequest(
        newRequest(world, { kind: 'Close Lost' }),
      );
      await expect(second).rejects.toBeInstanceOf(PendingRequestExistsError);
      await expect(second).rejects.toMatchObject({
        dealId: world.id.deal,
        pendingRequestId: first.id,
      });
    });

    it('allows pending requests on different deals', async () => {
      const { gateway, world } = current();
      await gateway.createRequest(newRequest(world));
      const other = await gateway.createRequest(
        newRequest(world, { dealId: world.id.otherDeal }),
      );
      expect(other.status).toBe('Pending');
    });

    it('rejects a used idempotency key', async () => {
      const { gateway, world } = current();
      await gateway.createRequest(
        newRequest(world, { idempotencyKey: 'caller-1:k' }),
        idempotencyRecord('caller-1:k'),
      );
      const again = gateway.createRequest(
        newRequest(world, {
          dealId: world.id.otherDeal,
          idempotencyKey: 'caller-1:k',
        }),
      );
      await expect(again).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(again).rejects.toMatchObject({
        keyField: 'Stage_Request__c.Idempotency_Key__c',
        keyValue: 'caller-1:k',
      });
    });

    it('reuses a key whose record expired', async () => {
      const { gateway, world } = current();
      const old = await gateway.createRequest(
        newRequest(world, { idempotencyKey: 'caller-1:old' }),
        idempotencyRecord('caller-1:old', '2020-01-01T00:00:00.000Z'),
      );
      const again = await gateway.createRequest(
        newRequest(world, {
          dealId: world.id.otherDeal,
          idempotencyKey: 'caller-1:old',
        }),
        idempotencyRecord('caller-1:old'),
      );
      expect(again.id).not.toBe(old.id);
      expect(again.idempotencyKey).toBe('caller-1:old');
      expect(
        (await gateway.findRequestByIdempotencyKey('caller-1:old'))?.id,
      ).toBe(again.id);
      expect((await gateway.getRequest(old.id))?.idempotencyKey).toBeNull();
      const context = await gateway.readDealContext(
        contextQuery(world, { idempotencyKey: 'caller-1:old' }),
      );
      expect(context.idempotency?.expiresAt).toBe('2099-01-01T00:00:00.000Z');
    });

    it('reuses a key whose record was purged', async () => {
      const { gateway, world } = current();
      const old = await gateway.createRequest(
        newRequest(world, { idempotencyKey: 'caller-1:purged' }),
        idempotencyRecord('caller-1:purged', '2020-01-01T00:00:00.000Z'),
      );
      await gateway.purgeExpiredIdempotency('2021-01-01T00:00:00.000Z', 10);
      const again = await gateway.createRequest(
        newRequest(world, {
          dealId: world.id.otherDeal,
          idempotencyKey: 'caller-1:purged',
        }),
        idempotencyRecord('caller-1:purged'),
      );
      expect(again.id).not.toBe(old.id);
      expect((await gateway.getRequest(old.id))?.idempotencyKey).toBeNull();
    });

    it('finds a request by its idempotency key', async () => {
      const { gateway, world } = current();
      const created = await gateway.createRequest(
        newRequest(world, { idempotencyKey: 'caller-2:k' }),
      );
      expect(
        (await gateway.findRequestByIdempotencyKey('caller-2:k'))?.id,
      ).toBe(created.id);
      expect(
        await gateway.findRequestByIdempotencyKey('caller-2:none'),
      ).toBeNull();
    });

    it('returns null for an unknown request', async () => {
      const { gateway, world } = current();
      expect(
        await gateway.getRequest(world.ids.id('Stage_Request__c', 999)),
      ).toBeNull();
    });
  });

  describe('closeRequest', () => {
    it('closes a pending request', async () => {
      const { gateway, world } = current();
      const created = await gateway.createRequest(newRequest(world));
      const record = idempotencyRecord('caller-3:reject');
      const closed = await gateway.closeRequest({
        id: created.id,
        status: 'Rejected',
        respondedById: world.id.partnerSeller,
        respondedAt: '2026-12-02T10:00:00.000Z',
        responseReason: 'Qualification call not held yet',
        idempotency: record,
      });
      expect(closed).toMatchObject({
        id: created.id,
        status: 'Rejected',
        respondedById: world.id.partnerSeller,
        respondedAt: '2026-12-02T10:00:00.000Z',
        reason: created.reason,
        responseReason: 'Qualification call not held yet',
      });
      expect(await gateway.getRequest(created.id)).toEqual(closed);
      const context = await gateway.readDealContext(
        contextQuery(world, { idempotencyKey: record.key }),
      );
      expect(context.pendingRequest).toBeNull();
      expect(context.idempotency).toEqual(record);
      const next = await gateway.createRequest(newRequest(world));
      expect(next.status).toBe('Pending');
    });

    it('keeps the request reason without a new one', async () => {
      const { gateway, world } = current();
      const created = await gateway.createRequest(newRequest(world));
      const closed = await gateway.closeRequest({
        id: created.id,
        status: 'Withdrawn',
        respondedById: world.id.vendor,
        respondedAt: '2026-12-02T10:00:00.000Z',
        responseReason: null,
      });
      expect(closed.reason).toBe(created.reason);
      expect(closed.responseReason).toBeNull();
    });

    it('keeps the request reason beside the expiry reason', async () => {
      const { gateway, world } = current();
      const created = await gateway.createRequest(newRequest(world));
      await gateway.closeRequest({
        id: created.id,
        status: 'Expired',
        respondedById: null,
        respondedAt: '2099-01-02T00:00:00.000Z',
        responseReason: 'Expired unanswered.',
      });
      const read = await gateway.getRequest(created.id);
      expect(read?.reason).toBe('Registration approved and owners set');
      expect(read?.responseReason).toBe('Expired unanswered.');
    });

    it('closes a request only once', async () => {
      const { gateway, world } = current();
      const created = await gateway.createRequest(newRequest(world));
      const close = {
        id: created.id,
        status: 'Expired' as const,
        respondedById: null,
        respondedAt: '2099-01-02T00:00:00.000Z',
        responseReason: null,
      };
      await gateway.closeRequest(close);
      await expect(
        gateway.closeRequest({
          ...close,
          status: 'Rejected',
          responseReason: 'late',
        }),
      ).rejects.toBeInstanceOf(ConcurrentChangeError);
      const read = await gateway.getRequest(created.id);
      expect(read?.status).toBe('Expired');
      expect(read?.responseReason).toBeNull();
    });

    it('reports an unknown request', async () => {
      const { gateway, world } = current();
      await expect(
        gateway.closeRequest({
          id: world.ids.id('Stage_Request__c', 999),
          status: 'Withdrawn',
          respondedById: world.id.vendor,
          respondedAt: '2026-12-02T10:00:00.000Z',
          responseReason: null,
        }),
      ).rejects.toBeInstanceOf(RecordNotFoundError);
    });
  });

  describe('updateRequestSnapshot', () => {
    it('stores the latest evaluation', async () => {
      const { gateway, world } = current();
      const created = await gateway.createRequest(newRequest(world));
      await gateway.updateRequestSnapshot({
        id: created.id,
        evaluationSnapshot: '[{"name":"owners","met":false}]',
      });
      const read = await gateway.getRequest(created.id);
      expect(read?.evaluationSnapshot).toBe('[{"name":"owners","met":false}]');
      expect(read?.status).toBe('Pending');
    });
  });
}

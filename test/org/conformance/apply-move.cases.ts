import { describe, expect, it } from '@jest/globals';
import { isSalesforceId } from '../../../middleware/src/domain/salesforce-id.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
} from '../../../middleware/src/org/errors.js';
import type { StageRequest } from '../../../middleware/src/domain/cosell.js';
import type { MoveWrite } from '../../../middleware/src/org/gateway.js';
import type { SuiteState } from './store-port.suite.js';
import {
  confirmMove,
  contextQuery,
  idempotencyRecord,
  newRequest,
} from './store-world.js';

/** The deal's stage, version, pending request and transition count. */
async function dealState(state: SuiteState) {
  const { gateway, world } = state;
  const context = await gateway.readDealContext(contextQuery(world));
  return {
    stage: context.deal?.['Cosell_Stage__c'],
    version: context.deal?.['Cosell_Stage_Version__c'],
    pendingRequestId: context.pendingRequest?.id ?? null,
    transitions: (await gateway.listTransitions(world.id.deal)).length,
  };
}

/** Creates a Close Lost request on the main deal and expires it unanswered. */
async function expiredRequest(state: SuiteState): Promise<StageRequest> {
  const { gateway, world } = state;
  const request = await gateway.createRequest(
    newRequest(world, { kind: 'Close Lost', toStage: 'Closed_Lost' }),
  );
  return gateway.closeRequest({
    id: request.id,
    status: 'Expired',
    respondedById: null,
    respondedAt: '2099-01-02T00:00:00.000Z',
    responseReason: 'Expired unanswered.',
  });
}

/** Builds a channel manager's one-sided Close Lost override of `requestId`. */
function overrideMove(state: SuiteState, requestId: string): MoveWrite {
  const base = confirmMove(state.world, requestId);
  return {
    ...base,
    toStage: 'Closed_Lost',
    transition: {
      ...base.transition,
      toStage: 'Closed_Lost',
      confirmedById: state.world.id.vendor,
      oneSided: true,
      key: `override:${requestId}`,
    },
    request: null,
    overriddenRequest: {
      id: requestId,
      respondedById: state.world.id.vendor,
      respondedAt: '2099-01-03T00:00:00.000Z',
      responseReason:
        'Expired unanswered. Applied as a one-sided Close Lost override: Partner unresponsive for a week',
    },
  };
}

export function describeApplyMove(current: () => SuiteState): void {
  describe('applyMove', () => {
    it('moves the deal, applies the request and records the transition', async () => {
      const state = current();
      const { gateway, world } = state;
      const request = await gateway.createRequest(newRequest(world));
      const record = idempotencyRecord('caller-4:confirm');
      const move = { ...confirmMove(world, request.id), idempotency: record };
      const transition = await gateway.applyMove(move);

      expect(isSalesforceId(transition.id)).toBe(true);
      expect(transition).toMatchObject({
        ...move.transition,
        id: transition.id,
      });
      const context = await gateway.readDealContext(
        contextQuery(world, { idempotencyKey: record.key }),
      );
      expect(context.deal?.['Cosell_Stage__c']).toBe('Jointly_Qualified');
      expect(context.deal?.['Cosell_Stage_Version__c']).toBe(2);
      expect(context.deal?.['Cosell_Stage_Entered_At__c']).toBe(move.enteredAt);
      expect(context.pendingRequest).toBeNull();
      expect(context.idempotency).toEqual(record);
      expect(await gateway.getRequest(request.id)).toMatchObject({
        status: 'Applied',
        respondedById: world.id.partnerSeller,
        respondedAt: move.enteredAt,
      });
      expect(await gateway.listTransitions(world.id.deal)).toEqual([
        transition,
      ]);
    });

    it('rejects a move at a stale version', async () => {
      const state = current();
      const { gateway, world } = state;
      const request = await gateway.createRequest(newRequest(world));
      const stale = confirmMove(world, request.id, { expectedVersion: 0 });
      await expect(gateway.applyMove(stale)).rejects.toBeInstanceOf(
        ConcurrentChangeError,
      );
      expect(await dealState(state)).toEqual({
        stage: 'Registered',
        version: 1,
        pendingRequestId: request.id,
        transitions: 0,
      });
    });

    it('rejects a move whose request is no longer pending', async () => {
      const state = current();
      const { gateway, world } = state;
      const request = await gateway.createRequest(newRequest(world));
      await gateway.closeRequest({
        id: request.id,
        status: 'Withdrawn',
        respondedById: world.id.vendor,
        respondedAt: '2026-12-02T09:00:00.000Z',
        responseReason: null,
      });
      await expect(
        gateway.applyMove(confirmMove(world, request.id)),
      ).rejects.toBeInstanceOf(ConcurrentChangeError);
      expect(await dealState(state)).toEqual({
        stage: 'Registered',
        version: 1,
        pendingRequestId: null,
        transitions: 0,
      });
      expect((await gateway.getRequest(request.id))?.status).toBe('Withdrawn');
    });

    it('applies the same move once', async () => {
      const state = current();
      const { gateway, world } = state;
      const request = await gateway.createRequest(newRequest(world));
      const move = confirmMove(world, request.id);
      await gateway.applyMove(move);
      await expect(gateway.applyMove(move)).rejects.toBeInstanceOf(
        ConcurrentChangeError,
      );
      expect(await dealState(state)).toMatchObject({
        version: 2,
        transitions: 1,
      });
    });

    it('writes nothing when the transition insert fails', async () => {
      const state = current();
      const { gateway, harness, world } = state;
      await harness.seed([
        {
          objectName: 'Stage_Transition__c',
          records: [
            {
              Id: world.ids.id('Stage_Transition__c', 900),
              Opportunity__c: world.id.otherDeal,
              From_Stage__c: 'Registered',
              To_Stage__c: 'Jointly_Qualified',
              Requested_By__c: world.id.vendor,
              Confirmed_By__c: world.id.partnerSeller,
              Transitioned_At__c: '2026-10-01T00:00:00.000Z',
              Evidence_Snapshot__c: '[]',
              Key__c: 'taken-key',
              Version__c: 2,
            },
          ],
        },
      ]);

      const request = await gateway.createRequest(newRequest(world));
      const base = confirmMove(world, request.id);
      const record = idempotencyRecord('caller-5:confirm');
      const clash = {
        ...base,
        transition: { ...base.transition, key: 'taken-key' },
        idempotency: record,
      };
      const applied = gateway.applyMove(clash);

      await expect(applied).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(applied).rejects.toMatchObject({
        keyField: 'Stage_Transition__c.Key__c',
        keyValue: 'taken-key',
      });
      // The stage, version, request and idempotency record are as before the call.
      expect(await dealState(state)).toEqual({
        stage: 'Registered',
        version: 1,
        pendingRequestId: request.id,
        transitions: 0,
      });
      const context = await gateway.readDealContext(
        contextQuery(world, { idempotencyKey: record.key }),
      );
      expect(context.idempotency).toBeNull();
    });

    it('stores the override reason on the expired request', async () => {
      const state = current();
      const { gateway } = state;
      const request = await expiredRequest(state);
      const transition = await gateway.applyMove(
        overrideMove(state, request.id),
      );
      expect(transition.oneSided).toBe(true);
      const read = await gateway.getRequest(request.id);
      expect(read?.status).toBe('Expired');
      expect(read?.reason).toBe(request.reason);
      expect(read?.responseReason).toBe(
        'Expired unanswered. Applied as a one-sided Close Lost override: Partner unresponsive for a week',
      );
      expect(read?.respondedById).toBe(state.world.id.vendor);
      expect(read?.respondedAt).toBe('2099-01-03T00:00:00.000Z');
      expect(await dealState(state)).toEqual({
        stage: 'Closed_Lost',
        version: 2,
        pendingRequestId: null,
        transitions: 1,
      });
    });

    it('rejects an override of a request not expired', async () => {
      const state = current();
      const { gateway } = state;
      const request = await gateway.createRequest(
        newRequest(state.world, { kind: 'Close Lost', toStage: 'Closed_Lost' }),
      );
      await expect(
        gateway.applyMove(overrideMove(state, request.id)),
      ).rejects.toBeInstanceOf(ConcurrentChangeError);
      expect(await dealState(state)).toEqual({
        stage: 'Registered',
        version: 1,
        pendingRequestId: request.id,
        transitions: 0,
      });
      expect((await gateway.getRequest(request.id))?.responseReason).toBeNull();
    });

    it('applies a move with no request', async () => {
      const state = current();
      const { gateway, world } = state;
      const transition = await gateway.applyMove(confirmMove(world, null));
      expect(transition.requestId).toBeNull();
      expect(await dealState(state)).toEqual({
        stage: 'Jointly_Qualified',
        version: 2,
        pendingRequestId: null,
        transitions: 1,
      });
    });
  });
}

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import jsforce from 'jsforce';
import type { IdempotencyRecord } from '../../../middleware/src/domain/cosell.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  PendingRequestExistsError,
  RecordNotFoundError,
} from '../../../middleware/src/org/errors.js';
import type {
  MoveWrite,
  NewStageRequest,
} from '../../../middleware/src/org/gateway.js';
import { SalesforceGateway } from '../../../middleware/src/org/salesforce/salesforce-gateway.js';
import {
  seedDeal,
  SILENT,
  startTestOrg,
  TEST_SETTINGS,
  type TestOrg,
} from './salesforce-fixture.js';

const NOW = '2026-12-02T10:15:00.000Z';

function newRequest(
  dealId: string,
  requestedById: string,
  overrides: Partial<NewStageRequest> = {},
): NewStageRequest {
  return {
    dealId,
    fromStage: 'Validating',
    toStage: 'Negotiating',
    kind: 'Advance',
    requestedById,
    requestingSide: 'Vendor',
    status: 'Pending',
    respondedById: null,
    respondedAt: null,
    reason: null,
    responseReason: null,
    expiresAt: '2099-01-01T00:00:00.000Z',
    createdAt: NOW,
    idempotencyKey: null,
    evaluationSnapshot: '[]',
    dealVersion: 3,
    ...overrides,
  };
}

function confirm(
  dealId: string,
  requestId: string | null,
  requestedById: string,
  confirmedById: string,
  overrides: Partial<MoveWrite> = {},
): MoveWrite {
  return {
    dealId,
    expectedVersion: 3,
    toStage: 'Negotiating',
    enteredAt: NOW,
    transition: {
      dealId,
      fromStage: 'Validating',
      toStage: 'Negotiating',
      requestId,
      requestedById,
      confirmedById,
      at: NOW,
      evidenceSnapshot: '[]',
      attributionSnapshot: null,
      oneSided: false,
      key: `request:${requestId ?? 'none'}`,
      version: 4,
    },
    request: requestId
      ? {
          id: requestId,
          status: 'Applied',
          respondedById: confirmedById,
          respondedAt: NOW,
          evaluationSnapshot: '[]',
        }
      : null,
    ...overrides,
  };
}

function idempotency(key: string, expiresAt: string): IdempotencyRecord {
  return {
    key,
    fingerprint: 'a'.repeat(64),
    responseStatus: 200,
    responseBody: '{"operation":"confirm"}',
    expiresAt,
  };
}

describe('SalesforceGateway writes', () => {
  let org: TestOrg;
  let dealId: string;
  let sellerId: string;
  let integrationUserId: string;

  beforeEach(async () => {
    org = await startTestOrg({ stageModels: false });
    ({ dealId } = seedDeal(org.standIn));
    integrationUserId = org.standIn.users[0]!.id;
    sellerId = org.standIn.users[1]!.id;
    await org.gateway.describeSchema();
    org.standIn.resetLog();
  });

  afterEach(() => org?.close());

  it('creates a request in one composite call', async () => {
    const created = await org.gateway.createRequest(
      newRequest(dealId, sellerId, { idempotencyKey: 'caller:create-1' }),
      idempotency('caller:create-1', '2099-01-01T00:00:00.000Z'),
    );
    expect(org.apiCalls()).toBe(1);
    expect(org.standIn.requests[0]?.subrequests).toEqual([
      {
        method: 'POST',
        path: '/services/data/v62.0/sobjects/Stage_Request__c',
      },
      {
        method: 'POST',
        path: '/services/data/v62.0/sobjects/Idempotency_Record__c',
      },
      {
        method: 'GET',
        path: '/services/data/v62.0/sobjects/Stage_Request__c/@{request.id}',
      },
    ]);
    expect(created.name).toBe('000001');
    expect(
      org.standIn.records.get('Stage_Request__c', created.id)
        ?.Pending_Deal_Key__c,
    ).toBe(dealId);
  });

  it('names the pending request that blocks a new one', async () => {
    const first = await org.gateway.createRequest(newRequest(dealId, sellerId));
    org.standIn.resetLog();
    const second = org.gateway.createRequest(
      newRequest(dealId, sellerId, { kind: 'Close Lost' }),
    );
    await expect(second).rejects.toBeInstanceOf(PendingRequestExistsError);
    await expect(second).rejects.toMatchObject({
      dealId,
      pendingRequestId: first.id,
    });
    expect(org.apiCalls()).toBe(2);
    expect(org.standIn.records.all('Stage_Request__c')).toHaveLength(1);
  });

  it('applies a move in one composite call', async () => {
    const request = await org.gateway.createRequest(
      newRequest(dealId, sellerId),
    );
    org.standIn.resetLog();
    const transition = await org.gateway.applyMove({
      ...confirm(dealId, request.id, sellerId, integrationUserId),
      idempotency: idempotency('caller:confirm-1', '2099-01-01T00:00:00.000Z'),
    });
    expect(org.apiCalls()).toBe(1);
    const call = org.standIn.requests[0];
    expect(call?.resource).toBe('composite');
    expect(call?.subrequests.map((s) => s.method)).toEqual([
      'GET',
      'PATCH',
      'PATCH',
      'POST',
      'POST',
      'GET',
    ]);
    expect(transition).toMatchObject({
      dealId,
      requestId: request.id,
      key: `request:${request.id}`,
      version: 4,
      at: NOW,
    });
    expect(org.standIn.records.get('Opportunity', dealId)).toMatchObject({
      Cosell_Stage__c: 'Negotiating',
      Cosell_Stage_Version__c: 4,
    });
    expect(
      org.standIn.records.get('Stage_Request__c', request.id),
    ).toMatchObject({ Status__c: 'Applied', Pending_Deal_Key__c: null });
  });

  it('applies one of two concurrent confirms', async () => {
    const request = await org.gateway.createRequest(
      newRequest(dealId, sellerId),
    );
    const move = confirm(dealId, request.id, sellerId, integrationUserId);
    const results = await Promise.allSettled([
      org.gateway.applyMove(move),
      org.gateway.applyMove(move),
    ]);
    const applied = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(applied).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toBeInstanceOf(ConcurrentChangeError);
    expect(org.standIn.records.all('Stage_Transition__c')).toHaveLength(1);
    expect(
      org.standIn.records.get('Opportunity', dealId)?.Cosell_Stage_Version__c,
    ).toBe(4);
  });

  it('applies one of two moves without a request', async () => {
    const first = confirm(dealId, null, sellerId, integrationUserId);
    const second = confirm(dealId, null, sellerId, integrationUserId, {
      toStage: 'Closed_Lost',
      transition: { ...first.transition, key: 'override:b' },
    });
    const results = await Promise.allSettled([
      org.gateway.applyMove(first),
      org.gateway.applyMove(second),
    ]);
    const failed = results.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toBeInstanceOf(ConcurrentChangeError);
    expect(failed[0]?.reason.message).toContain('is at version 4, not 3');
    expect(org.standIn.records.all('Stage_Transition__c')).toHaveLength(1);
  });

  it('rejects a stale version with ConcurrentChangeError', async () => {
    org.standIn.records.update('Opportunity', dealId, {
      Cosell_Stage_Version__c: 5,
    });
    const request = await org.gateway.createRequest(
      newRequest(dealId, sellerId),
    );
    const stale = org.gateway.applyMove(
      confirm(dealId, request.id, sellerId, integrationUserId),
    );
    await expect(stale).rejects.toBeInstanceOf(ConcurrentChangeError);
    await expect(stale).rejects.toThrow('is at version 5, not 3');
    expect(org.standIn.records.all('Stage_Transition__c')).toEqual([]);
    expect(
      org.standIn.records.get('Stage_Request__c', request.id)?.Status__c,
    ).toBe('Pending');
  });

  it('reports a missing permission apart from a stale version', async () => {
    const seller = sellerGateway(org);
    const move = seller.applyMove(
      confirm(dealId, null, sellerId, integrationUserId),
    );
    await expect(move).rejects.toMatchObject({
      name: 'OrgRejectedError',
      code: 'org_rejected',
    });
    await expect(move).rejects.toThrow(/FIELD_CUSTOM_VALIDATION_EXCEPTION/);
    await expect(move).rejects.toMatchObject({
      fix: expect.stringContaining(
        'Assign the Cosell_Integration permission set',
      ),
    });
  });

  it('reuses an idempotency key that expired', async () => {
    const old = idempotency('caller:reused', '2001-01-01T00:00:00.000Z');
    await org.gateway.createRequest(newRequest(dealId, sellerId), old);
    const request = (
      await org.gateway.readDealContext({
        dealId,
        actingUserId: sellerId,
        plan: { dealFields: ['Name'], children: {} },
      })
    ).pendingRequest!;
    const fresh = idempotency('caller:reused', '2099-01-01T00:00:00.000Z');
    await org.gateway.closeRequest({
      id: request.id,
      status: 'Withdrawn',
      respondedById: sellerId,
      respondedAt: NOW,
      responseReason: null,
      idempotency: fresh,
    });
    const records = org.standIn.records.all('Idempotency_Record__c');
    expect(records).toHaveLength(1);
    expect(records[0]?.Expires_At__c).toBe('2099-01-01T00:00:00.000+0000');
  });

  it('keeps a live idempotency key unique', async () => {
    const live = idempotency('caller:live', '2099-01-01T00:00:00.000Z');
    await org.gateway.createRequest(newRequest(dealId, sellerId), live);
    const { dealId: otherDeal } = seedDeal(org.standIn);
    const again = org.gateway.createRequest(
      newRequest(otherDeal, sellerId),
      live,
    );
    await expect(again).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(again).rejects.toMatchObject({
      keyField: 'Idempotency_Record__c.Key__c',
      keyValue: 'caller:live',
    });
    expect(org.standIn.records.all('Stage_Request__c')).toHaveLength(1);
  });

  it('updates a snapshot with one call', async () => {
    const request = await org.gateway.createRequest(
      newRequest(dealId, sellerId),
    );
    org.standIn.resetLog();
    await org.gateway.updateRequestSnapshot({
      id: request.id,
      evaluationSnapshot: '[{"met":false}]',
    });
    expect(org.apiCalls()).toBe(1);
    expect(
      org.standIn.records.get('Stage_Request__c', request.id)
        ?.Evaluation_Snapshot__c,
    ).toBe('[{"met":false}]');
  });

  it('reports a snapshot of an unknown request', async () => {
    await expect(
      org.gateway.updateRequestSnapshot({
        id: 'a06000000000999AAA',
        evaluationSnapshot: '[]',
      }),
    ).rejects.toBeInstanceOf(RecordNotFoundError);
  });
});

/** A gateway signed in as the seller, who lacks the Cosell_Integration permission. */
function sellerGateway(org: TestOrg): SalesforceGateway {
  return new SalesforceGateway({
    connection: new jsforce.Connection({
      instanceUrl: org.standIn.instanceUrl,
      accessToken: org.standIn.issueToken('seller@stand-in.example'),
      version: '62.0',
    }),
    settings: TEST_SETTINGS,
    logger: SILENT,
  });
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import type { DemoDeal } from '../../scripts/demo/demo-deal.js';
import { purgeExpiredIdempotency } from '../../middleware/src/app/expire-requests.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import type { OrgGateway } from '../../middleware/src/org/gateway.js';
import { beforeNextCall } from '../helpers/before-next-call.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let app: TestApp;
const channelManager = demoId('005', 10);

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

/** Runs `rival` when the app's next `name` write starts, after that call read the store. */
function beforeNextWrite(
  name: 'createRequest' | 'applyMove' | 'closeRequest',
  rival: () => Promise<unknown>,
) {
  return beforeNextCall(app.gateway as OrgGateway, name, rival);
}

function post(
  path: string,
  user: string,
  body: unknown,
  key?: string,
): ReturnType<TestApp['call']> {
  return app.call('POST', path, {
    user,
    body,
    headers: key ? { 'idempotency-key': key } : {},
  });
}

async function pendingRequest(deal: DemoDeal, kind = 'Advance') {
  const created = await post(
    `/v1/deals/${deal.dealId}/stage-requests`,
    deal.vendorSeller,
    { kind },
  );
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('identical keyed calls that race', () => {
  it('replays a request created meanwhile', async () => {
    const deal = await createDemoDeal(app.gateway);
    const path = `/v1/deals/${deal.dealId}/stage-requests`;
    const body = { kind: 'Advance', reason: 'conc' };
    const key = `race-request-${deal.dealId}`;
    let rival: Awaited<ReturnType<TestApp['call']>> | undefined;
    const restore = beforeNextWrite('createRequest', async () => {
      rival = await post(path, deal.vendorSeller, body, key);
    });
    try {
      const late = await post(path, deal.vendorSeller, body, key);
      expect(rival?.status).toBe(201);
      expect(late.status).toBe(201);
      expect(late.body.id).toBe(rival?.body.id);
      expect(late.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      restore();
    }
  });

  it('replays a confirmation applied meanwhile', async () => {
    const deal = await createDemoDeal(app.gateway);
    const requestId = await pendingRequest(deal);
    const path = `/v1/stage-requests/${requestId}/confirm`;
    const key = `race-confirm-${requestId}`;
    let rival: Awaited<ReturnType<TestApp['call']>> | undefined;
    const restore = beforeNextWrite('applyMove', async () => {
      rival = await post(path, deal.partnerSeller, {}, key);
    });
    try {
      const late = await post(path, deal.partnerSeller, {}, key);
      expect(rival?.status).toBe(200);
      expect(late.status).toBe(200);
      expect(late.body.transition.id).toBe(rival?.body.transition.id);
      expect(late.headers.get('idempotent-replayed')).toBe('true');
      expect(await app.gateway.listTransitions(deal.dealId)).toHaveLength(1);
    } finally {
      restore();
    }
  });

  const closes: Array<
    ['reject' | 'withdraw', 'partnerSeller' | 'vendorSeller', object]
  > = [
    ['reject', 'partnerSeller', { reason: 'Not this quarter' }],
    ['withdraw', 'vendorSeller', {}],
  ];
  it.each(closes)('replays a %s made meanwhile', async (action, role, body) => {
    const deal = await createDemoDeal(app.gateway);
    const requestId = await pendingRequest(deal);
    const path = `/v1/stage-requests/${requestId}/${action}`;
    const key = `race-${action}-${requestId}`;
    let rival: Awaited<ReturnType<TestApp['call']>> | undefined;
    const restore = beforeNextWrite('closeRequest', async () => {
      rival = await post(path, deal[role], body, key);
    });
    try {
      const late = await post(path, deal[role], body, key);
      expect(rival?.status).toBe(200);
      expect(late.status).toBe(200);
      expect(late.body).toEqual(rival?.body);
      expect(late.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      restore();
    }
  });

  it('replays an override applied meanwhile', async () => {
    const deal = await createDemoDeal(app.gateway);
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Closed_Lost_Reason__c: 'No Decision' },
    ]);
    const requestId = await pendingRequest(deal, 'Close Lost');
    app.advanceClock(73 * 3_600_000);
    const path = `/v1/stage-requests/${requestId}/override`;
    const body = { reason: 'Partner silent for a week' };
    const key = `race-override-${requestId}`;
    let rival: Awaited<ReturnType<TestApp['call']>> | undefined;
    const restore = beforeNextWrite('applyMove', async () => {
      rival = await post(path, channelManager, body, key);
    });
    try {
      const late = await post(path, channelManager, body, key);
      expect(rival?.status).toBe(200);
      expect(late.status).toBe(200);
      expect(late.body.transition.id).toBe(rival?.body.transition.id);
      expect(late.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      restore();
    }
  });
});

describe('identical calls without a key that race', () => {
  it('names who confirmed the request meanwhile', async () => {
    const deal = await createDemoDeal(app.gateway);
    const requestId = await pendingRequest(deal);
    const path = `/v1/stage-requests/${requestId}/confirm`;
    let rival: Awaited<ReturnType<TestApp['call']>> | undefined;
    const restore = beforeNextWrite('applyMove', async () => {
      rival = await post(path, deal.partnerSeller, {});
    });
    try {
      const late = await post(path, deal.partnerSeller, {});
      expect(rival?.status).toBe(200);
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('request_not_pending');
      expect(late.body.value).toBe('Applied');
      expect(late.body.detail).toContain(`Request ${requestId} is Applied`);
      expect(late.body.detail).toContain(deal.partnerSeller);
      expect(late.body.detail).not.toContain('version');
    } finally {
      restore();
    }
  });
});

describe('identical withdrawals without a key that race', () => {
  it('names who withdrew the request meanwhile', async () => {
    const deal = await createDemoDeal(app.gateway);
    const requestId = await pendingRequest(deal);
    const path = `/v1/stage-requests/${requestId}/withdraw`;
    let rival: Awaited<ReturnType<TestApp['call']>> | undefined;
    const restore = beforeNextWrite('closeRequest', async () => {
      rival = await post(path, deal.vendorSeller, {});
    });
    try {
      const late = await post(path, deal.vendorSeller, {});
      expect(rival?.status).toBe(200);
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('request_not_pending');
      expect(late.body.value).toBe('Withdrawn');
      expect(late.body.detail).toContain(deal.vendorSeller);
    } finally {
      restore();
    }
  });
});

describe('a stage request key after its window', () => {
  it('creates a new request', async () => {
    const deal = await createDemoDeal(app.gateway);
    const path = `/v1/deals/${deal.dealId}/stage-requests`;
    const body = { kind: 'Advance' };
    const key = `k-exp-${deal.dealId}`;
    const first = await post(path, deal.vendorSeller, body, key);
    expect(first.status).toBe(201);
    const withdrawn = await post(
      `/v1/stage-requests/${first.body.id}/withdraw`,
      deal.vendorSeller,
      {},
    );
    expect(withdrawn.status).toBe(200);
    app.advanceClock(25 * 3_600_000);
    expect(await purgeExpiredIdempotency(app.ctx, 1000)).toBeGreaterThan(0);

    const again = await post(path, deal.vendorSeller, body, key);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createDemoDeal,
  recordLaterEvidence,
} from '../../scripts/demo/demo-deal.js';
import type { DemoDeal } from '../../scripts/demo/demo-deal.js';
import {
  expireDueRequests,
  purgeExpiredIdempotency,
} from '../../middleware/src/app/expire-requests.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { addStrayPartnerUsers } from '../helpers/partner-users.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let app: TestApp;
const channelManager = demoId('005', 10);
const otherPartnerSeller = demoId('005', 110);
/** Lee, the second partner seller of the demo deals' partner account. */
const partnerColleague = demoId('005', 101);
/** A vendor seller who is neither owner, vendor owner nor team member of a demo deal. */
const vendorOutsider = demoId('005', 3);

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

async function freshDeal(): Promise<DemoDeal> {
  return createDemoDeal(app.gateway);
}

/** Requests Close Lost as the vendor seller of a new deal with a lost reason. */
async function requestCloseLost() {
  const deal = await freshDeal();
  await app.gateway.upsertRecords('Opportunity', [
    { Id: deal.dealId, Closed_Lost_Reason__c: 'No Decision' },
  ]);
  const req = await requestMove(deal, deal.vendorSeller, {
    kind: 'Close Lost',
    reason: 'Customer froze the budget',
  });
  return { deal, req };
}

function requestMove(
  deal: DemoDeal,
  user: string,
  body: Record<string, unknown>,
) {
  return app.call('POST', `/v1/deals/${deal.dealId}/stage-requests`, {
    user,
    body,
  });
}

describe('stage request lifecycle', () => {
  it('creates a pending request waiting for the other side', async () => {
    const deal = await freshDeal();
    const res = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    expect(res.status).toBe(201);
    expect(res.body.fromStage).toBe('Registered');
    expect(res.body.toStage).toBe('Jointly_Qualified');
    expect(res.body.status).toBe('Pending');
    expect(res.body.waitingFor).toBe('Partner');
    expect(res.headers.get('location')).toBe(
      `/v1/stage-requests/${res.body.id}`,
    );
  });

  it('hides vendor-only stage values from a partner', async () => {
    const deal = await freshDeal();
    const read = (user: string, suffix = '') =>
      app.call('GET', `/v1/deals/${deal.dealId}${suffix}`, { user });

    const partner = await read(deal.partnerSeller);
    const vendor = await read(deal.vendorSeller);
    const evaluation = await read(deal.partnerSeller, '/evaluation');

    expect(partner.body.stage.probability).toBeNull();
    expect(partner.body.stage.forecastCategory).toBeNull();
    expect(evaluation.body.stage.probability).toBeNull();
    expect(evaluation.body.nextStage.forecastCategory).toBeNull();
    expect(vendor.body.stage.probability).toEqual(expect.any(Number));
    expect(vendor.body.stage.forecastCategory).toEqual(expect.any(String));
  });

  it('hides vendor-only settings of model stages', async () => {
    const deal = await freshDeal();
    const stages = async (user: string) => {
      const res = await app.call('GET', '/v1/stage-models', { user });
      expect(res.status).toBe(200);
      const model = res.body.models.find(
        (m: { name: string }) => m.name === 'Default',
      );
      return model.stages as Array<Record<string, unknown>>;
    };

    const partner = await stages(deal.partnerSeller);
    const vendor = await stages(deal.vendorSeller);

    expect(partner.length).toBeGreaterThan(0);
    for (const stage of partner) {
      expect(stage).toMatchObject({
        probability: null,
        forecastCategory: null,
      });
    }
    for (const stage of vendor) {
      expect(stage['probability']).toEqual(expect.any(Number));
      expect(stage['forecastCategory']).toEqual(expect.any(String));
    }
  });

  it('rejects a request on a deal without a partner', async () => {
    const deal = await freshDeal();
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Partner_Account__c: null },
    ]);

    const res = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('no_partner_account');
    expect(res.body.value).toBe(deal.dealId);
    const read = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: deal.vendorSeller,
    });
    expect(read.body.pendingRequest).toBeNull();
  });

  it('rejects a second request with 409 naming the pending one', async () => {
    const deal = await freshDeal();
    const first = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
    });
    const second = await requestMove(deal, deal.partnerSeller, {
      kind: 'Advance',
    });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('request_pending');
    expect(second.body.pendingRequestId).toBe(first.body.id);
    expect(second.body.detail).toBe(
      `Deal ${deal.dealId} already has a pending request ${first.body.id} ("Identified & Registered" to "Jointly Qualified").`,
    );
    expect(second.headers.get('content-type')).toMatch(
      /application\/problem\+json/,
    );
  });

  it('lets neither the requester nor its own side confirm', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    const own = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: deal.vendorSeller,
        body: {},
      },
    );
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('requester_cannot_confirm');
    const colleague = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: deal.vendorColleague,
        body: {},
      },
    );
    expect(colleague.status).toBe(403);
    expect(colleague.body.code).toBe('wrong_side');
  });

  it('answers a partner of another account as for a missing request', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    const outsider = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: otherPartnerSeller,
        body: {},
      },
    );
    const missingId = `a0B${'9'.repeat(12)}`;
    const missing = await app.call(
      'POST',
      `/v1/stage-requests/${missingId}/confirm`,
      { user: otherPartnerSeller, body: {} },
    );
    expect(missing.status).toBe(404);
    expect(outsider.status).toBe(404);
    const { instance, detail, value, ...rest } = outsider.body;
    expect(instance).toBe(`/v1/stage-requests/${req.body.id}/confirm`);
    expect(value).toBe(req.body.id);
    const missingRest = { ...missing.body };
    delete missingRest.instance;
    delete missingRest.value;
    delete missingRest.detail;
    expect(rest).toEqual(missingRest);
    expect(detail).toBe(
      missing.body.detail.replace(missing.body.value, req.body.id),
    );
    expect(JSON.stringify(outsider.body)).not.toContain(deal.dealId);
  });

  it('applies a confirmed move with its evidence and bumps the version', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.partnerSeller, {
      kind: 'Advance',
    });
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: deal.vendorSeller,
        body: {},
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.request.status).toBe('Applied');
    expect(res.body.transition.toStage).toBe('Jointly_Qualified');
    expect(res.body.transition.requestedBy.id).toBe(deal.partnerSeller);
    expect(res.body.transition.confirmedBy.id).toBe(deal.vendorSeller);
    expect(res.body.transition.evidence.length).toBeGreaterThan(0);
    expect(res.body.transition.evidence.every((c: any) => c.met)).toBe(true);
    const view = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: deal.vendorSeller,
    });
    expect(view.body.stage.value).toBe('Jointly_Qualified');
    expect(view.body.version).toBe(2);
    expect(view.body.pendingRequest).toBeNull();
  });

  it('rejects with a reason and requires one', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    const missing = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/reject`,
      {
        user: deal.partnerSeller,
        body: {},
      },
    );
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('invalid_request');
    expect(missing.body.issues[0].path).toBe('body.reason');
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/reject`,
      {
        user: deal.partnerSeller,
        body: { reason: 'Not qualified yet' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('Rejected');
    expect(res.body.reason).toBeNull();
    expect(res.body.responseReason).toBe('Not qualified yet');
    const again = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: deal.partnerSeller,
        body: {},
      },
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('request_not_pending');
  });

  it('lets only the requesting side withdraw', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    const partner = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/withdraw`,
      {
        user: deal.partnerSeller,
        body: {},
      },
    );
    expect(partner.status).toBe(403);
    const colleague = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/withdraw`,
      {
        user: deal.vendorColleague,
        body: { reason: 'Duplicate' },
      },
    );
    expect(colleague.status).toBe(200);
    expect(colleague.body.status).toBe('Withdrawn');
  });
});

describe('users not on the deal', () => {
  const outsiders = [
    // An internal user may know that the deal exists; a partner user of
    // another account gets the response for a missing Id.
    {
      who: 'a vendor seller off the deal',
      user: vendorOutsider,
      status: 403,
      code: 'not_on_deal',
    },
    {
      who: 'a partner of another account',
      user: otherPartnerSeller,
      status: 404,
      code: 'request_not_found',
    },
  ];
  const answers = [
    { action: 'withdraw', body: { reason: 'Not needed' } },
    { action: 'reject', body: { reason: 'Not ready' } },
    { action: 'confirm', body: {} },
  ];
  const cases = outsiders.flatMap((outsider) =>
    answers.map((answer) => ({ ...outsider, ...answer })),
  );

  it.each(cases)(
    'answers $action by $who with $code',
    async ({ user, action, body, status, code }) => {
      const deal = await freshDeal();
      const req = await requestMove(deal, deal.vendorSeller, {
        kind: 'Advance',
      });
      const res = await app.call(
        'POST',
        `/v1/stage-requests/${req.body.id}/${action}`,
        { user, body },
      );
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      if (status === 403) {
        expect(res.body.value).toBe(user);
        expect(res.body.detail).toContain(deal.dealId);
      } else {
        expect(res.body.value).toBe(req.body.id);
        expect(res.body.detail).not.toContain(deal.dealId);
      }
    },
  );

  it.each(outsiders)(
    'answers override by $who with $code',
    async ({ user, status, code }) => {
      const deal = await freshDeal();
      await app.gateway.upsertRecords('Opportunity', [
        { Id: deal.dealId, Closed_Lost_Reason__c: 'No Decision' },
      ]);
      const req = await requestMove(deal, deal.vendorSeller, {
        kind: 'Close Lost',
      });
      app.advanceClock(73 * 3_600_000);
      const res = await app.call(
        'POST',
        `/v1/stage-requests/${req.body.id}/override`,
        { user, body: { reason: 'Partner silent' } },
      );
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.value).toBe(status === 403 ? user : req.body.id);
    },
  );

  const requestStates = [
    { state: 'a pending vendor', requester: 'vendorSeller', withdrawn: false },
    {
      state: 'a pending partner',
      requester: 'partnerSeller',
      withdrawn: false,
    },
    { state: 'a withdrawn', requester: 'vendorSeller', withdrawn: true },
  ] as const;
  const stateCases = outsiders.flatMap((outsider) =>
    [...answers, { action: 'override', body: { reason: 'Partner silent' } }]
      .flatMap((answer) =>
        requestStates.map((state) => ({ ...answer, ...state })),
      )
      .map((answer) => ({ ...outsider, ...answer })),
  );

  /** Returns a problem without its `instance`, after checking that it is `path`. */
  function problemAt(body: Record<string, unknown>, path: string) {
    const { instance, ...rest } = body;
    expect(instance).toBe(path);
    return rest;
  }

  it.each(stateCases)(
    'answers $action by $who on $state request as a read',
    async ({ user, action, body, requester, withdrawn, status }) => {
      const deal = await freshDeal();
      const req = await requestMove(deal, deal[requester], {
        kind: 'Advance',
      });
      const path = `/v1/stage-requests/${req.body.id}`;
      if (withdrawn) {
        const withdrawal = await app.call('POST', `${path}/withdraw`, {
          user: deal[requester],
          body: {},
        });
        expect(withdrawal.status).toBe(200);
      }
      const read = await app.call('GET', path, { user });
      const res = await app.call('POST', `${path}/${action}`, { user, body });
      expect(read.status).toBe(status);
      expect(res.status).toBe(status);
      expect(problemAt(res.body, `${path}/${action}`)).toEqual(
        problemAt(read.body, path),
      );
    },
  );

  it.each(answers)(
    'answers $action by a requester who left the deal with not_on_deal',
    async ({ action, body }) => {
      const deal = await freshDeal();
      const req = await requestMove(deal, deal.vendorSeller, {
        kind: 'Advance',
      });
      await app.gateway.upsertRecords('Opportunity', [
        {
          Id: deal.dealId,
          OwnerId: deal.vendorColleague,
          Vendor_Owner__c: deal.vendorColleague,
        },
      ]);
      const res = await app.call(
        'POST',
        `/v1/stage-requests/${req.body.id}/${action}`,
        { user: deal.vendorSeller, body },
      );
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('not_on_deal');
      expect(res.body.value).toBe(deal.vendorSeller);
    },
  );

  it.each(outsiders)(
    'rejects a used key from $who',
    async ({ user, status }) => {
      const deal = await freshDeal();
      const headers = { 'idempotency-key': `used-${deal.dealId}` };
      const first = await app.call(
        'POST',
        `/v1/deals/${deal.dealId}/stage-requests`,
        { user: deal.vendorSeller, body: { kind: 'Advance' }, headers },
      );
      expect(first.status).toBe(201);
      const res = await app.call(
        'POST',
        `/v1/deals/${deal.dealId}/stage-requests`,
        { user, body: { kind: 'Advance' }, headers },
      );
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(
        status === 403 ? 'not_on_deal' : 'deal_not_found',
      );
      expect(res.body.value).toBe(status === 403 ? user : deal.dealId);
    },
  );

  it.each(outsiders)(
    'keeps a due request pending for $who',
    async ({ user, status }) => {
      const deal = await freshDeal();
      const req = await requestMove(deal, deal.vendorSeller, {
        kind: 'Advance',
      });
      app.advanceClock(73 * 3_600_000);
      const path = `/v1/stage-requests/${req.body.id}`;
      const read = await app.call('GET', path, { user });
      expect(read.status).toBe(status);
      expect((await app.gateway.getRequest(req.body.id))?.status).toBe(
        'Pending',
      );
      const own = await app.call('GET', path, { user: deal.vendorSeller });
      expect(own.body.status).toBe('Expired');
    },
  );

  it('names the partner side when a partner withdraws', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/withdraw`,
      { user: deal.partnerSeller, body: {} },
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('wrong_side');
    expect(res.body.value).toBe('Partner');
    expect(res.body.detail).toContain('is on the partner side');
  });

  it('keeps partner users without an Acme contact off Acme deals', async () => {
    const stray = await addStrayPartnerUsers(app.gateway);
    for (const user of [stray.withoutContact, stray.withOtherContact]) {
      const deal = await freshDeal();
      const read = await app.call('GET', `/v1/deals/${deal.dealId}`, { user });
      expect(read.status).toBe(404);
      expect(read.body.code).toBe('deal_not_found');
      const request = await requestMove(deal, user, { kind: 'Advance' });
      expect(request.status).toBe(404);
      const req = await requestMove(deal, deal.vendorSeller, {
        kind: 'Advance',
      });
      expect(req.status).toBe(201);
      const confirm = await app.call(
        'POST',
        `/v1/stage-requests/${req.body.id}/confirm`,
        { user, body: {} },
      );
      expect(confirm.status).toBe(404);
      expect(confirm.body.code).toBe('request_not_found');
    }
  });
});

describe('requester and response reasons', () => {
  const requesterReason = 'Customer signed the mutual plan';

  function readRequest(id: string, user: string) {
    return app.call('GET', `/v1/stage-requests/${id}`, { user });
  }

  it.each([
    {
      action: 'reject',
      status: 'Rejected',
      responder: 'partnerSeller',
      responseReason: 'Plan not signed yet',
    },
    {
      action: 'withdraw',
      status: 'Withdrawn',
      responder: 'vendorSeller',
      responseReason: 'Requested too early',
    },
  ] as const)(
    'keeps both reasons on $action',
    async ({ action, status, responder, responseReason }) => {
      const deal = await freshDeal();
      const req = await requestMove(deal, deal.vendorSeller, {
        kind: 'Advance',
        reason: requesterReason,
      });
      expect(req.body.reason).toBe(requesterReason);
      expect(req.body.responseReason).toBeNull();

      const res = await app.call(
        'POST',
        `/v1/stage-requests/${req.body.id}/${action}`,
        { user: deal[responder], body: { reason: responseReason } },
      );
      expect(res.status).toBe(200);
      expect(res.body.reason).toBe(requesterReason);
      expect(res.body.responseReason).toBe(responseReason);

      const read = await readRequest(req.body.id, deal.vendorSeller);
      expect(read.body.status).toBe(status);
      expect(read.body.reason).toBe(requesterReason);
      expect(read.body.responseReason).toBe(responseReason);
    },
  );

  it('keeps the requester reason on expiry at read', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
      reason: requesterReason,
    });
    app.advanceClock(73 * 3_600_000);
    const read = await readRequest(req.body.id, deal.vendorSeller);
    expect(read.body.status).toBe('Expired');
    expect(read.body.reason).toBe(requesterReason);
    expect(read.body.responseReason).toBe('Expired unanswered.');
    expect(read.body.respondedAt).toBe(req.body.expiresAt);
  });

  it('offers the override only for Close Lost', async () => {
    const deal = await freshDeal();
    const advance = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
    });
    const closeLost = await requestCloseLost();
    app.advanceClock(73 * 3_600_000);
    const confirm = (requestId: string, user: string) =>
      app.call('POST', `/v1/stage-requests/${requestId}/confirm`, { user });

    const late = await confirm(advance.body.id, deal.partnerSeller);
    const lateLost = await confirm(
      closeLost.req.body.id,
      closeLost.deal.partnerSeller,
    );

    expect(late.status).toBe(409);
    expect(late.body.code).toBe('request_not_pending');
    expect(late.body.fix).toBe(
      'Make a new request if the move is still wanted.',
    );
    expect(lateLost.status).toBe(409);
    expect(lateLost.body.fix).toContain('/override');
    expect(lateLost.body.fix).toContain('no later request');
  });

  it('keeps the requester reason on expiry sweep', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
      reason: requesterReason,
    });
    app.advanceClock(73 * 3_600_000);
    expect(await expireDueRequests(app.ctx)).toBeGreaterThan(0);
    const stored = await app.gateway.getRequest(req.body.id);
    expect(stored?.status).toBe('Expired');
    expect(stored?.reason).toBe(requesterReason);
    expect(stored?.responseReason).toBe('Expired unanswered.');
    expect(stored?.respondedAt).toBe(req.body.expiresAt);
  });

  it('names when an override becomes possible', async () => {
    const { req } = await requestCloseLost();
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      { user: channelManager, body: { reason: 'Partner silent' } },
    );
    const expiresAt = new Date(req.body.expiresAt).toISOString();
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invalid_transition');
    expect(res.body.value).toBe('Pending Close Lost');
    expect(res.body.detail).toContain(`Expires_At__c, ${expiresAt}`);
    expect(res.body.detail).toContain(
      `an override is possible from ${expiresAt}`,
    );
    expect(res.body.fix).toContain(`override it from ${expiresAt}`);
  });

  it('records who applied an override', async () => {
    const { deal, req } = await requestCloseLost();
    app.advanceClock(73 * 3_600_000);
    const longReason = 'Partner silent for a week. '.repeat(37).trim();
    expect(longReason.length).toBeLessThanOrEqual(1000);
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      { user: channelManager, body: { reason: longReason } },
    );
    expect(res.status).toBe(200);
    const expected = `Expired unanswered. Applied as a one-sided Close Lost override: ${longReason}`;
    expect(res.body.request.reason).toBe('Customer froze the budget');
    expect(res.body.request.responseReason).toBe(expected);
    expect(res.body.request.respondedBy.id).toBe(channelManager);
    expect(res.body.request.respondedBy.side).toBe('Vendor');
    const read = await readRequest(req.body.id, deal.vendorSeller);
    expect(read.body.status).toBe('Expired');
    expect(read.body.reason).toBe('Customer froze the budget');
    expect(read.body.responseReason).toBe(expected);
    expect(read.body.respondedBy.id).toBe(channelManager);
    expect(read.body.respondedAt).toBe(res.body.transition.at);
    const stored = await app.gateway.getRequest(req.body.id);
    expect(stored?.respondedById).toBe(channelManager);
    expect(stored?.responseReason).toBe(expected);
  });
});

describe('criteria at request and confirmation', () => {
  it('blocks a request whose criteria are unmet with 422 and the unmet list', async () => {
    const deal = await freshDeal();
    await app
      .call('POST', `/v1/deals/${deal.dealId}/stage-requests`, {
        user: deal.vendorSeller,
        body: { kind: 'Advance' },
      })
      .then((r) =>
        app.call('POST', `/v1/stage-requests/${r.body.id}/confirm`, {
          user: deal.partnerSeller,
          body: {},
        }),
      );
    const res = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('criteria_unmet');
    expect(res.body.detail).toContain(
      `Moving deal ${deal.dealId} from "Jointly Qualified" to "Validating with Customer"`,
    );
    expect(res.body.unmet.map((c: any) => c.stage)).toEqual([
      'Jointly_Qualified',
    ]);
    expect(res.body.unmet[0].met).toBe(false);
  });

  it('keeps a request pending when confirmation finds criteria unmet', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    // The evidence breaks between request and confirmation.
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Partner_Owner__c: null },
    ]);
    const failed = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: deal.partnerSeller,
        body: {},
      },
    );
    expect(failed.status).toBe(422);
    const still = await app.call('GET', `/v1/stage-requests/${req.body.id}`, {
      user: deal.partnerSeller,
    });
    expect(still.body.status).toBe('Pending');
    expect(still.body.unmet.length).toBe(1);
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Partner_Owner__c: deal.partnerSeller },
    ]);
    const retried = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: deal.partnerSeller,
        body: {},
      },
    );
    expect(retried.status).toBe(200);
  });

  it('allows a skip only when every skipped stage holds', async () => {
    const deal = await freshDeal();
    const blocked = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
      toStage: 'Validating',
    });
    expect(blocked.status).toBe(422);
    await app.gateway.upsertRecords('Joint_Qualification__c', [
      {
        Id: deal.qualificationId,
        Partner_Confirmed_By__c: deal.partnerSeller,
        Partner_Confirmed_At__c: new Date().toISOString(),
      },
    ]);
    const skip = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
      toStage: 'Validating',
    });
    expect(skip.status).toBe(201);
    expect(skip.body.toStage).toBe('Validating');
  });

  it('moves back with joint confirmation and no criteria', async () => {
    const deal = await freshDeal();
    const up = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    await app.call('POST', `/v1/stage-requests/${up.body.id}/confirm`, {
      user: deal.partnerSeller,
      body: {},
    });
    const back = await requestMove(deal, deal.partnerSeller, {
      kind: 'Back',
      toStage: 'Registered',
      reason: 'Customer changed sponsor',
    });
    expect(back.status).toBe(201);
    const applied = await app.call(
      'POST',
      `/v1/stage-requests/${back.body.id}/confirm`,
      {
        user: deal.vendorSeller,
        body: {},
      },
    );
    expect(applied.status).toBe(200);
    expect(applied.body.transition.toStage).toBe('Registered');
    const forward = await requestMove(deal, deal.partnerSeller, {
      kind: 'Back',
      toStage: 'Validating',
    });
    expect(forward.status).toBe(409);
    expect(forward.body.code).toBe('invalid_transition');
  });

  it('answers an unknown stage with 400 naming it', async () => {
    const deal = await freshDeal();
    const res = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
      toStage: 'Nowhere',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('unknown_stage');
    expect(res.body.value).toBe('Nowhere');
  });

  it('walks a deal to Closed & attributed', async () => {
    const deal = await freshDeal();
    await app.gateway.upsertRecords('Joint_Qualification__c', [
      {
        Id: deal.qualificationId,
        Partner_Confirmed_By__c: deal.partnerSeller,
        Partner_Confirmed_At__c: new Date().toISOString(),
      },
    ]);
    await recordLaterEvidence(app.gateway, deal, 'Validating');
    await recordLaterEvidence(app.gateway, deal, 'Negotiating');
    const blocked = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
      toStage: 'Closed_Attributed',
    });
    expect(blocked.status).toBe(422);
    expect(blocked.body.unmet.some((c: any) => c.kind === 'Closing')).toBe(
      true,
    );
    await recordLaterEvidence(app.gateway, deal, 'Closed_Attributed');
    const req = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
      toStage: 'Closed_Attributed',
    });
    expect(req.status).toBe(201);
    const done = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: deal.partnerSeller,
        body: {},
      },
    );
    expect(done.status).toBe(200);
    expect(done.body.transition.attribution.partners).toHaveLength(1);
    const closed = await requestMove(deal, deal.vendorSeller, {
      kind: 'Back',
      toStage: 'Validating',
    });
    expect(closed.status).toBe(409);
  });
});

describe('expiry and the Close Lost override', () => {
  it('expires an unanswered request on read and lets a channel manager apply Close Lost', async () => {
    const { deal, req } = await requestCloseLost();
    expect(req.status).toBe(201);
    expect(req.body.toStage).toBe('Closed_Lost');
    const early = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      {
        user: channelManager,
        body: { reason: 'Partner unresponsive' },
      },
    );
    expect(early.status).toBe(409);
    app.advanceClock(73 * 3_600_000);
    const read = await app.call('GET', `/v1/stage-requests/${req.body.id}`, {
      user: deal.vendorSeller,
    });
    expect(read.body.status).toBe('Expired');
    const notManager = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      {
        user: deal.vendorSeller,
        body: { reason: 'Partner unresponsive' },
      },
    );
    expect(notManager.status).toBe(403);
    expect(notManager.body.code).toBe('not_channel_manager');
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      {
        user: channelManager,
        body: { reason: 'Partner unresponsive for a week' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.transition.oneSided).toBe(true);
    expect(res.body.transition.toStage).toBe('Closed_Lost');
    const twice = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      {
        user: channelManager,
        body: { reason: 'again' },
      },
    );
    expect(twice.status).toBe(409);
  });

  it('blocked override leaves request expired', async () => {
    const { deal, req } = await requestCloseLost();
    expect(req.status).toBe(201);
    app.advanceClock(73 * 3_600_000);
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Closed_Lost_Reason__c: null },
    ]);
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      { user: channelManager, body: { reason: 'Partner silent' } },
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('criteria_unmet');
    expect(res.body.detail).toContain('The request stays expired');
    expect(res.body.detail).toContain(' to "Closed Lost") is blocked by');
    expect(res.body.detail).not.toContain('pending');
    expect(res.body.fix).toBe(
      'Record the missing evidence on the deal, then apply the override again.',
    );
    const read = await app.call('GET', `/v1/stage-requests/${req.body.id}`, {
      user: deal.vendorSeller,
    });
    expect(read.body.status).toBe('Expired');
  });

  it('refuses an override after the deal moved', async () => {
    const { deal, req } = await requestCloseLost();
    app.advanceClock(73 * 3_600_000);
    // Moves confirmed since, through another process, that left the stage as it was.
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Cosell_Stage_Version__c: 3 },
    ]);

    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      { user: channelManager, body: { reason: 'Partner silent' } },
    );

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('concurrent_change');
    expect(res.body.detail).toContain('(version 1 then, 3 now)');
    expect(res.body.value).toBe(3);
  });

  it('refuses an override after a later request', async () => {
    const { deal, req } = await requestCloseLost();
    app.advanceClock(73 * 3_600_000);
    const again = await requestMove(deal, deal.vendorSeller, {
      kind: 'Close Lost',
    });
    expect(again.status).toBe(201);
    const rejected = await app.call(
      'POST',
      `/v1/stage-requests/${again.body.id}/reject`,
      { user: deal.partnerSeller, body: { reason: 'Still evaluating' } },
    );
    expect(rejected.status).toBe(200);

    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      { user: channelManager, body: { reason: 'Partner silent' } },
    );

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('concurrent_change');
    expect(res.body.value).toBe(again.body.id);
    expect(res.body.detail).toContain('(Close Lost, Rejected)');
    const transitions = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/transitions`,
      { user: deal.vendorSeller },
    );
    expect(transitions.body.transitions).toEqual([]);
  });

  it('names the responder of an applied request', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    const path = `/v1/stage-requests/${req.body.id}/confirm`;
    const first = await app.call('POST', path, {
      user: deal.partnerSeller,
      body: {},
    });

    const second = await app.call('POST', path, {
      user: partnerColleague,
      body: {},
    });

    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('request_not_pending');
    expect(second.body.detail).toBe(
      `Request ${req.body.id} is Applied, not Pending: user ${deal.partnerSeller} made it Applied at ${first.body.request.respondedAt}.`,
    );
    expect(second.body.fix).toBe(
      'Read the deal to see the applied move; nothing is left to do for this request.',
    );
  });

  it('refuses to override an expired advance request', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    app.advanceClock(73 * 3_600_000);
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      {
        user: channelManager,
        body: { reason: 'x' },
      },
    );
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invalid_transition');
    expect(res.body.detail).toBe(
      `Request ${req.body.id} has kind Advance and status Expired. Only an expired Close Lost request can be applied one-sidedly.`,
    );
  });
});

describe('requester who left the requesting side', () => {
  const bluewave = demoId('001', 101);

  /** Moves the deal to another partner account, as a re-registration does. */
  async function changePartner(deal: DemoDeal) {
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Partner_Account__c: bluewave },
    ]);
  }

  /** Requests Close Lost on a new deal as `requester` and lets it expire. */
  async function expiredCloseLost(requester: (deal: DemoDeal) => string) {
    const deal = await freshDeal();
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Closed_Lost_Reason__c: 'No Decision' },
    ]);
    const req = await requestMove(deal, requester(deal), {
      kind: 'Close Lost',
    });
    expect(req.status).toBe(201);
    app.advanceClock(73 * 3_600_000);
    return { deal, req };
  }

  it('rejects confirm and reject, allows withdraw', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.partnerSeller, {
      kind: 'Advance',
      reason: 'partner asks',
    });
    expect(req.status).toBe(201);
    await changePartner(deal);

    const answers = [
      { action: 'confirm', body: {} },
      { action: 'reject', body: { reason: 'Not now' } },
    ];
    for (const { action, body } of answers) {
      const res = await app.call(
        'POST',
        `/v1/stage-requests/${req.body.id}/${action}`,
        { user: deal.vendorSeller, body },
      );
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('requester_left_side');
      expect(res.body.value).toBe(deal.partnerSeller);
      expect(res.body.detail).toContain('Sam Okafor');
      expect(res.body.detail).toContain('no longer on the partner side');
      expect(res.body.fix).toContain(`Withdraw request ${req.body.id}`);
    }
    const transitions = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/transitions`,
      { user: deal.vendorSeller },
    );
    expect(transitions.body.transitions).toEqual([]);

    const withdrawn = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/withdraw`,
      { user: deal.vendorSeller, body: { reason: 'Partner changed' } },
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('Withdrawn');
  });

  it('still lets the requesting side withdraw only', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.partnerSeller, {
      kind: 'Advance',
    });
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/withdraw`,
      { user: deal.vendorSeller, body: {} },
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('wrong_side');
  });

  it('rejects an override of the expired request', async () => {
    const { deal, req } = await expiredCloseLost((d) => d.partnerSeller);
    await changePartner(deal);

    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      { user: channelManager, body: { reason: 'Partner silent' } },
    );

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('requester_left_side');
    expect(res.body.fix).toBe(
      'Make a new Close Lost request from the current stage.',
    );
  });

  /** Gives the deal another vendor owner, so the vendor seller leaves its side. */
  async function changeVendorOwner(deal: DemoDeal) {
    await app.gateway.upsertRecords('Opportunity', [
      {
        Id: deal.dealId,
        OwnerId: vendorOutsider,
        Vendor_Owner__c: vendorOutsider,
      },
    ]);
  }

  it('names the vendor side of a vendor withdrawal', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.partnerSeller, {
      kind: 'Advance',
    });
    await changePartner(deal);
    const path = `/v1/stage-requests/${req.body.id}`;

    const withdrawn = await app.call('POST', `${path}/withdraw`, {
      user: deal.vendorSeller,
      body: {},
    });
    const read = await app.call('GET', path, { user: channelManager });

    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.respondedBy.id).toBe(deal.vendorSeller);
    expect(withdrawn.body.respondedBy.side).toBe('Vendor');
    expect(read.status).toBe(200);
    expect(read.body.respondedBy.side).toBe('Vendor');
    expect(read.body.respondedBy.name).toBe('Avery Chen');
  });

  it('names the partner side of a partner withdrawal', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, {
      kind: 'Advance',
    });
    await changeVendorOwner(deal);
    const path = `/v1/stage-requests/${req.body.id}`;
    const headers = { 'idempotency-key': `withdraw-${req.body.id}` };

    const withdrawn = await app.call('POST', `${path}/withdraw`, {
      user: deal.partnerSeller,
      body: {},
      headers,
    });
    const replayed = await app.call('POST', `${path}/withdraw`, {
      user: deal.partnerSeller,
      body: {},
      headers,
    });
    const read = await app.call('GET', path, { user: partnerColleague });

    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.respondedBy.side).toBe('Partner');
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.respondedBy.side).toBe('Partner');
    expect(read.status).toBe(200);
    expect(read.body.respondedBy.side).toBe('Partner');
  });

  it('shows the deal as withdrawable, not confirmable', async () => {
    const deal = await freshDeal();
    await requestMove(deal, deal.partnerSeller, { kind: 'Advance' });
    const dealPath = `/v1/deals/${deal.dealId}`;
    const before = await app.call('GET', dealPath, { user: deal.vendorSeller });
    await changePartner(deal);

    const vendor = await app.call('GET', dealPath, { user: deal.vendorSeller });

    expect(before.body.viewer.canConfirm).toBe(true);
    expect(before.body.viewer.canWithdraw).toBe(false);
    expect(before.body.pendingRequest.waitingFor).toBe('Vendor');
    expect(vendor.status).toBe(200);
    expect(vendor.body.viewer.canConfirm).toBe(false);
    expect(vendor.body.viewer.canWithdraw).toBe(true);
    expect(vendor.body.pendingRequest.waitingFor).toBeNull();
  });

  it('leaves the override out of an expired request fix', async () => {
    const onSide = await expiredCloseLost((d) => d.partnerSeller);
    const left = await expiredCloseLost((d) => d.partnerSeller);
    await changePartner(left.deal);

    const onSideWithdrawal = await app.call(
      'POST',
      `/v1/stage-requests/${onSide.req.body.id}/withdraw`,
      { user: onSide.deal.partnerSeller, body: {} },
    );
    const leftWithdrawal = await app.call(
      'POST',
      `/v1/stage-requests/${left.req.body.id}/withdraw`,
      { user: left.deal.vendorSeller, body: {} },
    );

    expect(onSideWithdrawal.status).toBe(409);
    expect(onSideWithdrawal.body.code).toBe('request_not_pending');
    expect(onSideWithdrawal.body.fix).toContain('/override');
    expect(leftWithdrawal.status).toBe(409);
    expect(leftWithdrawal.body.code).toBe('request_not_pending');
    expect(leftWithdrawal.body.fix).not.toContain('/override');
  });

  it('lets a channel manager override their own request', async () => {
    const { req } = await expiredCloseLost(() => channelManager);

    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      { user: channelManager, body: { reason: 'Partner silent' } },
    );

    expect(res.status).toBe(200);
    expect(res.body.transition.oneSided).toBe(true);
  });
});

describe('idempotency keys', () => {
  it('replays the first response for the same key and body', async () => {
    const deal = await freshDeal();
    const headers = { 'idempotency-key': `key-${deal.dealId}` };
    const first = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      {
        user: deal.vendorSeller,
        body: { kind: 'Advance' },
        headers,
      },
    );
    const second = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      {
        user: deal.vendorSeller,
        body: { kind: 'Advance' },
        headers,
      },
    );
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.body.requestedBy.name).toBe('Avery Chen');
    expect(second.body).toEqual(first.body);
  });

  it('replays a retry that names the deal by its 15-character Id', async () => {
    const deal = await freshDeal();
    const headers = { 'idempotency-key': `short-${deal.dealId}` };
    const first = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.vendorSeller, body: { kind: 'Advance' }, headers },
    );
    const retry = await app.call(
      'POST',
      `/v1/deals/${deal.dealId.slice(0, 15)}/stage-requests`,
      { user: deal.vendorSeller, body: { kind: 'Advance' }, headers },
    );
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers 422 when a key is reused with another body', async () => {
    const deal = await freshDeal();
    const headers = { 'idempotency-key': `reuse-${deal.dealId}` };
    await app.call('POST', `/v1/deals/${deal.dealId}/stage-requests`, {
      user: deal.vendorSeller,
      body: { kind: 'Advance' },
      headers,
    });
    const other = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      {
        user: deal.vendorSeller,
        body: { kind: 'Close Lost' },
        headers,
      },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(other.body.value).toBe(`reuse-${deal.dealId}`);
    expect(other.body.detail).toBe(
      `Idempotency-Key "reuse-${deal.dealId}" was already used with a different request.`,
    );
  });

  it('keeps one user key apart from another user', async () => {
    const first = await freshDeal();
    const second = await freshDeal();
    const headers = { 'idempotency-key': `shared-${first.dealId}` };
    const used = await app.call(
      'POST',
      `/v1/deals/${first.dealId}/stage-requests`,
      { user: first.vendorSeller, body: { kind: 'Advance' }, headers },
    );
    const own = await app.call(
      'POST',
      `/v1/deals/${second.dealId}/stage-requests`,
      { user: second.partnerSeller, body: { kind: 'Advance' }, headers },
    );
    expect(used.status).toBe(201);
    expect(own.status).toBe(201);
    expect(own.body.id).not.toBe(used.body.id);
    expect(own.headers.get('idempotent-replayed')).toBeNull();
  });

  it('replays a confirmation without a second transition', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.vendorSeller, { kind: 'Advance' });
    const headers = { 'idempotency-key': `confirm-${req.body.id}` };
    const one = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: deal.partnerSeller,
        body: {},
        headers,
      },
    );
    const two = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      {
        user: deal.partnerSeller,
        body: {},
        headers,
      },
    );
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
    expect(two.body.transition.id).toBe(one.body.transition.id);
    expect(two.body).toEqual(one.body);
    const history = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/transitions`,
      {
        user: deal.vendorSeller,
      },
    );
    expect(history.body.transitions).toHaveLength(1);
  });

  it('deletes a record once its replay window passes', async () => {
    const stored = () => app.gateway.countRecords('Idempotency_Record__c');
    // Earlier tests moved the clock, so their records may have expired already.
    while ((await purgeExpiredIdempotency(app.ctx, 10)) > 0);
    const before = await stored();
    const deal = await freshDeal();
    const created = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      {
        user: deal.vendorSeller,
        body: { kind: 'Advance' },
        headers: { 'idempotency-key': `purge-${deal.dealId}` },
      },
    );
    expect(created.status).toBe(201);
    expect(await stored()).toBe(before + 1);

    expect(await purgeExpiredIdempotency(app.ctx)).toBe(0);
    expect(await stored()).toBe(before + 1);
    app.advanceClock(25 * 3_600_000);
    expect(await purgeExpiredIdempotency(app.ctx)).toBe(before + 1);
    expect(await stored()).toBe(0);
  });
});

describe('user references in responses', () => {
  it('gives a confirmed transition both sides', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.partnerSeller, {
      kind: 'Advance',
    });
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      { user: deal.vendorSeller, body: {} },
    );
    expect(res.status).toBe(200);
    const { request, transition } = res.body;
    expect(request.requestedBy.side).toBe('Partner');
    expect(transition.requestedBy.side).toBe('Partner');
    expect(transition.confirmedBy.side).toBe('Vendor');
    expect(transition.confirmedBy.name).toBe('Avery Chen');
    expect(request.respondedBy.name).toBe('Avery Chen');
    // Only the acting user's name is filled on this path.
    expect(transition.requestedBy.name).toBeNull();
    expect(request.requestedBy.name).toBeNull();
  });

  it('gives an override transition both sides', async () => {
    const deal = await freshDeal();
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Closed_Lost_Reason__c: 'No Decision' },
    ]);
    const req = await requestMove(deal, deal.partnerSeller, {
      kind: 'Close Lost',
    });
    expect(req.status).toBe(201);
    app.advanceClock(73 * 3_600_000);
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/override`,
      { user: channelManager, body: { reason: 'Customer went silent' } },
    );
    expect(res.status).toBe(200);
    const { request, transition } = res.body;
    expect(transition.requestedBy.side).toBe(request.requestedBy.side);
    expect(transition.requestedBy.side).toBe('Partner');
    expect(transition.confirmedBy.side).toBe('Vendor');
    expect(transition.confirmedBy.id).toBe(channelManager);
  });

  it('names every user in the transition history', async () => {
    const deal = await freshDeal();
    const req = await requestMove(deal, deal.partnerSeller, {
      kind: 'Advance',
    });
    await app.call('POST', `/v1/stage-requests/${req.body.id}/confirm`, {
      user: deal.vendorSeller,
      body: {},
    });
    const history = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/transitions`,
      { user: deal.vendorColleague },
    );
    const [transition] = history.body.transitions;
    expect(transition.requestedBy.name).not.toBeNull();
    expect(transition.requestedBy.side).toBe('Partner');
    expect(transition.confirmedBy.name).toBe('Avery Chen');
    expect(transition.confirmedBy.side).toBe('Vendor');
  });
});

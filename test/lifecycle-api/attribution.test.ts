import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyPackageWithChange } from '../helpers/local-store.js';
import { addApprovedApproval, createFixtureDeal } from './deal-fixture.js';
import type { FixtureDeal } from './deal-fixture.js';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';

let app: LifecycleTestApp;

beforeAll(async () => {
  app = await startLifecycleApp();
});

afterAll(async () => {
  await app.close();
});

/**
 * Creates a deal at Negotiating on `target` with its approvals, won in the
 * direct-sales view, with the deal's partner sourcing and another influencing.
 */
async function wonDealAtNegotiating(target: LifecycleTestApp = app): Promise<{
  deal: FixtureDeal;
  sourcingRow: string;
  influencingRow: string;
}> {
  const deal = await createFixtureDeal(
    target,
    'Negotiating',
    target.now().toISOString(),
    { StageName: 'Closed Won', IsWon: true, IsClosed: true },
  );
  await addApprovedApproval(target, deal);
  const sourcingRow = deal.id('Deal_Partner__c');
  const influencingRow = deal.id('Deal_Partner__c');
  await setPartners(
    deal,
    sourcingRow,
    influencingRow,
    PEOPLE.otherPartnerAccount,
    target,
  );
  return { deal, sourcingRow, influencingRow };
}

/** Sourcing 60 % for the deal's partner and Influencing 40 % for `influencer`. */
function setPartners(
  deal: FixtureDeal,
  sourcingRow: string,
  influencingRow: string,
  influencer: string,
  target: LifecycleTestApp = app,
) {
  return target.gateway.upsertRecords('Deal_Partner__c', [
    {
      Id: sourcingRow,
      Opportunity__c: deal.dealId,
      Partner_Account__c: PEOPLE.partnerAccount,
      Role__c: 'Sourcing',
      Split_Percent__c: '60.00',
    },
    {
      Id: influencingRow,
      Opportunity__c: deal.dealId,
      Partner_Account__c: influencer,
      Role__c: 'Influencing',
      Split_Percent__c: '40.00',
    },
  ]);
}

function requestClose(dealId: string, target: LifecycleTestApp = app) {
  return target.call('POST', `/v1/deals/${dealId}/stage-requests`, {
    user: PEOPLE.vendorSeller,
    body: { kind: 'Advance' },
  });
}

describe('attribution at close', () => {
  it('refuses a close request naming a partner listed twice', async () => {
    const { deal, sourcingRow, influencingRow } = await wonDealAtNegotiating();
    await setPartners(deal, sourcingRow, influencingRow, PEOPLE.partnerAccount);
    const res = await requestClose(deal.dealId);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('attribution_invalid');
    expect(res.body.detail).toContain(
      `Partner ${PEOPLE.partnerAccount} appears more than once`,
    );
    expect(res.body.value[0].code).toBe('duplicate_partner');
    expect(res.body.fix).toContain('request the move again');
    expect(res.body.fix).not.toContain('stays pending');
    const read = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: PEOPLE.vendorSeller,
    });
    expect(read.body.pendingRequest).toBeNull();
  });

  it('keeps the request pending when attribution breaks before confirmation', async () => {
    const { deal, sourcingRow, influencingRow } = await wonDealAtNegotiating();
    const request = await requestClose(deal.dealId);
    expect(request.status).toBe(201);
    expect(request.body.toStage).toBe('Closed_Attributed');
    await setPartners(deal, sourcingRow, influencingRow, PEOPLE.partnerAccount);
    const refused = await app.call(
      'POST',
      `/v1/stage-requests/${request.body.id}/confirm`,
      { user: PEOPLE.partnerSeller, body: {} },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('attribution_invalid');
    expect(refused.body.unmet).toEqual([]);
    expect(refused.body.fix).toContain('the request stays pending');
    const pending = await app.call(
      'GET',
      `/v1/stage-requests/${request.body.id}`,
      { user: PEOPLE.partnerSeller },
    );
    expect(pending.body.status).toBe('Pending');

    await setPartners(
      deal,
      sourcingRow,
      influencingRow,
      PEOPLE.otherPartnerAccount,
    );
    const confirmed = await app.call(
      'POST',
      `/v1/stage-requests/${request.body.id}/confirm`,
      { user: PEOPLE.partnerSeller, body: {} },
    );
    expect(confirmed.status).toBe(200);
    const snapshot = confirmed.body.transition.attribution;
    expect(snapshot.dealId).toBe(deal.dealId);
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.amount).toBe('50000.00');
    expect(snapshot.redacted).toBeUndefined();
    // The partner confirmer gets its own row only, not the other partner's split.
    expect(snapshot.partners).toEqual([
      {
        partnerAccountId: PEOPLE.partnerAccount,
        role: 'Sourcing',
        splitPercent: '60',
        amount: '30000.00',
      },
    ]);
    const history = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/transitions`,
      { user: PEOPLE.vendorSeller },
    );
    expect(history.body.transitions.at(-1).attribution.partners).toEqual([
      snapshot.partners[0],
      {
        partnerAccountId: PEOPLE.otherPartnerAccount,
        role: 'Influencing',
        splitPercent: '40',
        amount: '20000.00',
      },
    ]);
  });

  it("hides another partner's row from a partner", async () => {
    const { deal, influencingRow } = await wonDealAtNegotiating();
    await app.gateway.upsertRecords('Deal_Partner__c', [
      { Id: influencingRow, Split_Percent__c: '0.00', Role__c: 'Sourcing' },
    ]);

    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: PEOPLE.partnerSeller, body: { kind: 'Advance' } },
    );

    expect(res.status).toBe(422);
    expect(res.body.code).toBe('attribution_invalid');
    expect(res.body.value.map((p: { code: string }) => p.code)).toEqual([
      'multiple_sourcing',
      'split_total',
      'other_partner_rows',
    ]);
    expect(res.text).not.toContain(PEOPLE.otherPartnerAccount);
    expect(res.text).not.toContain('60%');
  });

  it('hides the split total from a partner', async () => {
    const { deal, influencingRow } = await wonDealAtNegotiating();
    await app.gateway.upsertRecords('Deal_Partner__c', [
      { Id: influencingRow, Split_Percent__c: '45.00' },
    ]);

    const partner = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: PEOPLE.partnerSeller, body: { kind: 'Advance' } },
    );
    const vendor = await requestClose(deal.dealId);

    expect(partner.status).toBe(422);
    expect(partner.body.detail).toContain('do not add up to 100%');
    expect(partner.body.detail).not.toContain('105');
    expect(vendor.body.detail).toContain('The splits add up to 105%');
  });

  it('hides split aggregates in evidence from a partner', async () => {
    const { deal, influencingRow } = await wonDealAtNegotiating();
    await app.gateway.upsertRecords('Deal_Partner__c', [
      { Id: influencingRow, Split_Percent__c: '45.00' },
    ]);
    const splitsRead = (body: {
      unmet: Array<{ name: string; evidence: object[] }>;
    }) =>
      body.unmet.find((c) => c.name === 'Default_Closed_Splits_Total_100')
        ?.evidence[0];

    const partner = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: PEOPLE.partnerSeller, body: { kind: 'Advance' } },
    );
    const vendor = await requestClose(deal.dealId);

    expect(splitsRead(partner.body)).toEqual({
      path: 'SUM(Deal_Partners__r, Split_Percent__c)',
      value: null,
      relationship: 'Deal_Partners__r',
      redacted: true,
    });
    expect(splitsRead(vendor.body)).toMatchObject({
      value: 105,
      recordCount: 2,
    });
  });

  it('reports unmet closing criteria with the attribution problem', async () => {
    const { deal, sourcingRow } = await wonDealAtNegotiating();
    await app.gateway.upsertRecords('Deal_Partner__c', [
      { Id: sourcingRow, Split_Percent__c: '70.00' },
    ]);
    const res = await requestClose(deal.dealId);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('attribution_invalid');
    expect(res.body.detail).toContain('The splits add up to 110%');
    expect(res.body.unmet.map((c: { name: string }) => c.name)).toEqual([
      'Default_Closed_Splits_Total_100',
    ]);
  });
});

describe('attribution with a vendor-only Amount', () => {
  let hidden: LifecycleTestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cosell-amount-hidden-'));
    const packageDir = copyPackageWithChange(
      path.join(dir, 'force-app'),
      'customMetadata/Cosell_Model.Default.md-meta.xml',
      '>Probability\n',
      '>Amount\nProbability\n',
    );
    hidden = await startLifecycleApp({ packageDir });
  });

  afterAll(async () => {
    await hidden.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Moves a won deal to Closed & attributed, confirmed by the partner seller. */
  async function closeWonDeal(): Promise<{ dealId: string; body: any }> {
    const { deal } = await wonDealAtNegotiating(hidden);
    const request = await requestClose(deal.dealId, hidden);
    expect(request.status).toBe(201);
    const confirmed = await hidden.call(
      'POST',
      `/v1/stage-requests/${request.body.id}/confirm`,
      { user: PEOPLE.partnerSeller, body: {} },
    );
    expect(confirmed.status).toBe(200);
    return { dealId: deal.dealId, body: confirmed.body };
  }

  it('hides amounts from the partner', async () => {
    const { dealId, body } = await closeWonDeal();
    const snapshot = body.transition.attribution;
    expect(snapshot.amount).toBeNull();
    expect(snapshot.redacted).toBe(true);
    expect(snapshot.partners).toEqual([
      {
        partnerAccountId: PEOPLE.partnerAccount,
        role: 'Sourcing',
        splitPercent: '60',
        amount: null,
      },
    ]);
    const history = await hidden.call(
      'GET',
      `/v1/deals/${dealId}/transitions`,
      {
        user: PEOPLE.partnerSeller,
      },
    );
    const read = history.body.transitions.at(-1).attribution;
    expect(read.amount).toBeNull();
    expect(read.partners[0].amount).toBeNull();
    expect(history.text).not.toContain('"50000');
  });

  it('shows amounts to the vendor', async () => {
    const { dealId } = await closeWonDeal();
    const history = await hidden.call(
      'GET',
      `/v1/deals/${dealId}/transitions`,
      {
        user: PEOPLE.vendorSeller,
      },
    );
    const read = history.body.transitions.at(-1).attribution;
    expect(read.amount).toBe('50000.00');
    expect(read.partners.map((row: { amount: string }) => row.amount)).toEqual([
      '30000.00',
      '20000.00',
    ]);
    expect(read.redacted).toBeUndefined();
  });
});

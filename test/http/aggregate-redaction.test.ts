import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import type { DemoDeal } from '../../scripts/demo/demo-deal.js';
import { generateId } from '../../middleware/src/domain/salesforce-id.js';
import { startLifecycleApp } from '../lifecycle-api/lifecycle-test-app.js';
import type { LifecycleTestApp } from '../lifecycle-api/lifecycle-test-app.js';

/** The app with the lifecycle routes, because the agenda is one of them. */
let app: LifecycleTestApp;
let packageDir: string;

/**
 * Exit criteria added to the Default model's Registered stage. Each aggregate
 * but the last reads an Opportunity field the model lists as vendor-only,
 * through the approval's lookup back to its deal. Every one is met while the
 * deal's Probability is not 77.
 */
const CRITERIA: Record<string, string> = {
  Agg_Sum_Probability:
    'SUM(Deal_Approvals__r, Opportunity__r.Probability) <> 77',
  Agg_Any_Probability:
    'ANY(Deal_Approvals__r, Opportunity__r.Probability < 100)',
  Agg_Count_Probability:
    'COUNT(Deal_Approvals__r, Opportunity__r.Probability > 10) >= 0',
  Agg_All_Account:
    'ALL(Deal_Approvals__r, NOT(ISBLANK(Opportunity__r.Account.Name)))',
  Agg_Count_Owner: 'COUNT(Deal_Approvals__r, NOT(ISBLANK(Owner__c))) >= 1',
};

const HIDDEN_CRITERIA = [
  'Agg_Sum_Probability',
  'Agg_Any_Probability',
  'Agg_Count_Probability',
  'Agg_All_Account',
];

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/**
 * Copies force-app with `AccountId` added to the Default model's vendor-only
 * fields (which list `Probability` already) and with CRITERIA added to its
 * Registered stage.
 */
beforeAll(async () => {
  packageDir = mkdtempSync(path.join(tmpdir(), 'cosell-force-app-'));
  cpSync(path.resolve('force-app'), packageDir, { recursive: true });
  const metadata = path.join(packageDir, 'main/default/customMetadata');
  const modelFile = path.join(metadata, 'Cosell_Model.Default.md-meta.xml');
  const model = readFileSync(modelFile, 'utf8');
  expect(model).toContain('<value xsi:type="xsd:string">Probability\n');
  const listed = model.replace(
    'ForecastCategoryName</value>',
    'ForecastCategoryName\nAccountId</value>',
  );
  expect(listed).not.toBe(model);
  writeFileSync(modelFile, listed);
  const template = readFileSync(
    path.join(
      metadata,
      'Exit_Criterion.Default_Registered_Owners_Named.md-meta.xml',
    ),
    'utf8',
  );
  let order = 10;
  for (const [name, formula] of Object.entries(CRITERIA)) {
    const text = template
      .replace(
        /(<field>Formula__c<\/field>\s*<value[^>]*>)[^<]*/,
        `$1${escapeXml(formula)}`,
      )
      .replace(/(<field>Order__c<\/field>\s*<value[^>]*>)[^<]*/, `$1${order}`)
      .replace(/<label>[^<]*<\/label>/, `<label>${name}</label>`);
    expect(text).toContain(escapeXml(formula));
    writeFileSync(
      path.join(metadata, `Exit_Criterion.${name}.md-meta.xml`),
      text,
    );
    order += 1;
  }
  app = await startLifecycleApp({ packageDir });
});

afterAll(async () => {
  await app.close();
  rmSync(packageDir, { recursive: true, force: true });
});

/** Creates a demo deal with `Probability` 42 and one deal approval. */
async function dealWithApproval(): Promise<DemoDeal> {
  const deal = await createDemoDeal(app.gateway);
  await app.gateway.upsertRecords('Opportunity', [
    { Id: deal.dealId, Probability: 42 },
  ]);
  await app.gateway.upsertRecords('Deal_Approval__c', [
    {
      Id: generateId(deal.keyPrefixOf('Deal_Approval__c')),
      Opportunity__c: deal.dealId,
      Type__c: 'Pricing',
      Owner__c: deal.vendorSeller,
      Status__c: 'Approved',
    },
  ]);
  return deal;
}

/**
 * Moves the deal on by a partner's Advance request that the vendor confirms,
 * and returns the transition's Id.
 */
async function advanceDeal(deal: DemoDeal): Promise<string> {
  const request = await app.call(
    'POST',
    `/v1/deals/${deal.dealId}/stage-requests`,
    { user: deal.partnerSeller, body: { kind: 'Advance' } },
  );
  expect(request.status).toBe(201);

  const confirm = await app.call(
    'POST',
    `/v1/stage-requests/${request.body.id}/confirm`,
    { user: deal.vendorSeller, body: {} },
  );
  expect(confirm.status).toBe(200);
  return confirm.body.transition.id;
}

/**
 * Requests an Advance as the vendor seller, then sets `Probability` to 77 so
 * that `Agg_Sum_Probability` is no longer met. Returns the request's Id.
 */
async function requestThenBreak(deal: DemoDeal): Promise<string> {
  const request = await app.call(
    'POST',
    `/v1/deals/${deal.dealId}/stage-requests`,
    { user: deal.vendorSeller, body: { kind: 'Advance' } },
  );
  expect(request.status).toBe(201);
  await app.gateway.upsertRecords('Opportunity', [
    { Id: deal.dealId, Probability: 77 },
  ]);
  return request.body.id;
}

interface Read {
  path: string;
  value: unknown;
  relationship?: string;
  recordCount?: number;
  matchedCount?: number;
  redacted?: boolean;
}

interface Criterion {
  name: string;
  met: boolean;
  evidence: Read[];
}

/** Returns the one evidence read of the named criterion. */
function readOf(criteria: Criterion[], name: string): Read {
  const criterion = criteria.find((c) => c.name === name);
  expect(criterion).toBeDefined();
  expect(criterion!.evidence).toHaveLength(1);
  return criterion!.evidence[0]!;
}

/** Checks that the reads of the named criteria are blanked, their counts included. */
function expectHidden(criteria: Criterion[], names = HIDDEN_CRITERIA): void {
  for (const name of names) {
    const read = readOf(criteria, name);
    expect([name, read.value]).toEqual([name, null]);
    expect([name, read.redacted]).toEqual([name, true]);
    expect([name, read.matchedCount]).toEqual([name, undefined]);
    expect([name, read.recordCount]).toEqual([name, undefined]);
  }
}

describe('aggregate evidence for a partner', () => {
  it('blanks aggregates over vendor-only fields', async () => {
    const deal = await dealWithApproval();
    const res = await app.call('GET', `/v1/deals/${deal.dealId}/evaluation`, {
      user: deal.partnerSeller,
    });
    expect(res.status).toBe(200);
    expectHidden(res.body.criteria);
    const values = res.body.criteria.flatMap((c: Criterion) =>
      c.evidence.map((read) => read.value),
    );
    expect(values).not.toContain(42);
  });

  it('keeps the criterion result visible', async () => {
    const deal = await dealWithApproval();
    const res = await app.call('GET', `/v1/deals/${deal.dealId}/evaluation`, {
      user: deal.partnerSeller,
    });
    const sum = res.body.criteria.find(
      (c: Criterion) => c.name === 'Agg_Sum_Probability',
    );
    expect(sum.met).toBe(true);
  });

  it('shows aggregates over other fields', async () => {
    const deal = await dealWithApproval();
    const res = await app.call('GET', `/v1/deals/${deal.dealId}/evaluation`, {
      user: deal.partnerSeller,
    });
    expect(readOf(res.body.criteria, 'Agg_Count_Owner')).toEqual({
      path: 'COUNT(Deal_Approvals__r, NOT(ISBLANK(Owner__c)))',
      value: 1,
      relationship: 'Deal_Approvals__r',
      recordCount: 1,
      matchedCount: 1,
    });
  });

  it('shows the vendor every aggregate', async () => {
    const deal = await dealWithApproval();
    const res = await app.call('GET', `/v1/deals/${deal.dealId}/evaluation`, {
      user: deal.vendorSeller,
    });
    expect(readOf(res.body.criteria, 'Agg_Sum_Probability')).toEqual({
      path: 'SUM(Deal_Approvals__r, Opportunity__r.Probability)',
      value: 42,
      relationship: 'Deal_Approvals__r',
      recordCount: 1,
      matchedCount: 1,
    });
    expect(readOf(res.body.criteria, 'Agg_All_Account').value).toBe(true);
  });

  it('blanks them in stored transition evidence', async () => {
    const deal = await dealWithApproval();
    await advanceDeal(deal);

    const partner = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/transitions`,
      { user: deal.partnerSeller },
    );
    expect(partner.status).toBe(200);
    expect(partner.body.transitions).toHaveLength(1);
    expectHidden(partner.body.transitions[0].evidence);

    const vendor = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/transitions`,
      { user: deal.vendorSeller },
    );
    const sum = readOf(
      vendor.body.transitions[0].evidence,
      'Agg_Sum_Probability',
    );
    expect(sum.value).toBe(42);
  });

  it('blanks them in the unmet list of a 422', async () => {
    const deal = await dealWithApproval();
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Probability: 77 },
    ]);
    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.partnerSeller, body: { kind: 'Advance' } },
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('criteria_unmet');
    expect(res.body.unmet.map((c: Criterion) => c.name)).toEqual([
      'Agg_Sum_Probability',
    ]);
    expectHidden(res.body.unmet, ['Agg_Sum_Probability']);
  });

  it('blanks them in the unmet list of a pending request', async () => {
    const deal = await dealWithApproval();
    const requestId = await requestThenBreak(deal);
    const failed = await app.call(
      'POST',
      `/v1/stage-requests/${requestId}/confirm`,
      { user: deal.partnerSeller, body: {} },
    );
    expect(failed.status).toBe(422);
    expectHidden(failed.body.unmet, ['Agg_Sum_Probability']);
    const view = await app.call('GET', `/v1/stage-requests/${requestId}`, {
      user: deal.partnerSeller,
    });
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('Pending');
    expectHidden(view.body.unmet, ['Agg_Sum_Probability']);
  });

  it('blanks stored aggregates the model no longer has', async () => {
    const deal = await dealWithApproval();
    const transitionId = await advanceDeal(deal);

    const vendor = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/transitions`,
      { user: deal.vendorSeller },
    );
    // A criterion changed after the move, so no model criterion reads this text.
    const snapshot = JSON.stringify(vendor.body.transitions[0].evidence);
    const older = snapshot.replace(
      'COUNT(Deal_Approvals__r, NOT(ISBLANK(Owner__c)))',
      'COUNT(Deal_Approvals__r, Opportunity__r.Probability > 5)',
    );
    expect(older).not.toBe(snapshot);
    await app.gateway.upsertRecords('Stage_Transition__c', [
      { Id: transitionId, Evidence_Snapshot__c: older },
    ]);

    const partner = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/transitions`,
      { user: deal.partnerSeller },
    );
    expect(partner.status).toBe(200);
    expectHidden(partner.body.transitions[0].evidence, [
      ...HIDDEN_CRITERIA,
      'Agg_Count_Owner',
    ]);
  });

  it('blanks them in the agenda', async () => {
    const deal = await dealWithApproval();
    await requestThenBreak(deal);

    const res = await app.call('GET', '/v1/agenda', {
      user: deal.partnerSeller,
    });
    expect(res.status).toBe(200);
    const item = res.body.blocked.find(
      (entry: { dealId: string }) => entry.dealId === deal.dealId,
    );
    expect(item).toBeDefined();
    expectHidden(item.unmet, ['Agg_Sum_Probability']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { DEMO_USERS } from '../../scripts/demo/demo-deal.js';
import { copyPackageWithVendorOnly, startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';
import { writeStoredValue } from '../helpers/store-value.js';

/**
 * Deals with a malformed stored value that a criterion reads, written straight
 * to the SQLite file as a data fix around the middleware's checks would write
 * it. Every deal call that evaluates the criterion returns 500
 * invalid_stored_value naming the deal, the field and the criterion.
 */
const FIELD = 'Customer_Evaluation_Confirmed_At__c';
const CRITERION = 'Default_Validating_Customer_Confirmed';
const BAD_VALUE = 'yesterday';

interface ReadyDeal {
  dealId: string;
  vendorOwner: string;
  partnerOwner: string;
}

function storeValue(
  app: TestApp,
  table: string,
  id: string,
  field: string,
  value: string,
): void {
  writeStoredValue(app.dbPath, table, id, field, value);
}

/**
 * Returns the open deals at `stage` whose evaluation is all met and that have
 * no pending request, so an Advance request for them succeeds.
 */
async function readyDeals(app: TestApp, stage: string): Promise<ReadyDeal[]> {
  const deals = await app.gateway.queryRecords('Opportunity', {
    fields: ['Id'],
    where: { IsClosed: false, Cosell_Stage__c: stage },
  });
  const ready: ReadyDeal[] = [];
  for (const { Id } of deals) {
    const dealId = String(Id);
    const user = DEMO_USERS.channelManager;
    const deal = await app.call('GET', `/v1/deals/${dealId}`, { user });
    const evaluation = await app.call('GET', `/v1/deals/${dealId}/evaluation`, {
      user,
    });
    if (deal.body.pendingRequest !== null || !evaluation.body.allMet) continue;
    ready.push({
      dealId,
      vendorOwner: deal.body.vendorOwner.id,
      partnerOwner: deal.body.partnerOwner.id,
    });
  }
  return ready;
}

function expectStoredValueProblem(
  response: { status: number; body: any },
  dealId: string,
): void {
  expect(response.status).toBe(500);
  expect(response.body.code).toBe('invalid_stored_value');
  expect(response.body.detail).toContain(`Opportunity ${dealId}`);
  expect(response.body.detail).toContain(FIELD);
  expect(response.body.detail).toContain(CRITERION);
  expect(response.body.fix).toContain(FIELD);
}

describe('criterion reading an invalid value', () => {
  let app: TestApp;
  let ready: ReadyDeal[];

  beforeAll(async () => {
    app = await startTestApp();
    ready = await readyDeals(app, 'Validating');
    expect(ready.length).toBeGreaterThanOrEqual(2);
  });

  afterAll(async () => {
    await app.close();
  });

  it('fails evaluation and request naming it', async () => {
    const { dealId, vendorOwner } = ready[0]!;
    storeValue(app, 'Opportunity', dealId, FIELD, BAD_VALUE);

    const evaluation = await app.call('GET', `/v1/deals/${dealId}/evaluation`, {
      user: vendorOwner,
    });
    expectStoredValueProblem(evaluation, dealId);
    expect(evaluation.body.detail).toContain(`"${BAD_VALUE}"`);
    expect(evaluation.body.value).toBe(BAD_VALUE);

    const request = await app.call(
      'POST',
      `/v1/deals/${dealId}/stage-requests`,
      { user: vendorOwner, body: { kind: 'Advance' } },
    );
    expectStoredValueProblem(request, dealId);
    expect(request.body.value).toBe(BAD_VALUE);
  });

  it('fails confirm and keeps the request', async () => {
    const { dealId, vendorOwner, partnerOwner } = ready[1]!;
    const created = await app.call(
      'POST',
      `/v1/deals/${dealId}/stage-requests`,
      { user: vendorOwner, body: { kind: 'Advance' } },
    );
    expect(created.status).toBe(201);
    storeValue(app, 'Opportunity', dealId, FIELD, BAD_VALUE);

    const confirm = await app.call(
      'POST',
      `/v1/stage-requests/${created.body.id}/confirm`,
      { user: partnerOwner, body: {} },
    );
    expectStoredValueProblem(confirm, dealId);
    // The field is not vendor-only, so the partner user sees the value.
    expect(confirm.body.value).toBe(BAD_VALUE);

    const request = await app.call(
      'GET',
      `/v1/stage-requests/${created.body.id}`,
      { user: partnerOwner },
    );
    expect(request.body.status).toBe('Pending');
  });

  it('fails the deal read naming it', async () => {
    // A Negotiating deal that came from Validating must still meet the
    // Validating exit criteria, so reading it evaluates them.
    const moves = await app.gateway.queryRecords('Stage_Transition__c', {
      where: { From_Stage__c: 'Validating', To_Stage__c: 'Negotiating' },
    });
    const moved = new Set(moves.map((move) => move['Opportunity__c']));
    const open = await app.gateway.queryRecords('Opportunity', {
      fields: ['Id'],
      where: { IsClosed: false, Cosell_Stage__c: 'Negotiating' },
    });
    const dealId = String(open.find((deal) => moved.has(deal.Id))?.Id);
    storeValue(app, 'Opportunity', dealId, FIELD, BAD_VALUE);

    const deal = await app.call('GET', `/v1/deals/${dealId}`, {
      user: DEMO_USERS.channelManager,
    });
    expectStoredValueProblem(deal, dealId);
    expect(deal.body.value).toBe(BAD_VALUE);
  });

  it('names a bad stage entry time on the deal read', async () => {
    const { dealId } = ready[1]!;
    storeValue(
      app,
      'Opportunity',
      dealId,
      'Cosell_Stage_Entered_At__c',
      'garbage',
    );

    const deal = await app.call('GET', `/v1/deals/${dealId}`, {
      user: DEMO_USERS.channelManager,
    });
    expect(deal.status).toBe(500);
    expect(deal.body.code).toBe('invalid_stored_value');
    expect(deal.body.detail).toContain(`Opportunity ${dealId}`);
    expect(deal.body.detail).toContain('Cosell_Stage_Entered_At__c');
  });

  it('fails transitions on a bad version', async () => {
    const moves = await app.gateway.queryRecords('Stage_Transition__c', {
      where: { To_Stage__c: 'Jointly_Qualified' },
    });
    const move = moves[0]!;
    const dealId = String(move['Opportunity__c']);
    storeValue(app, 'Stage_Transition__c', String(move.Id), 'Version__c', 'x');

    const response = await app.call('GET', `/v1/deals/${dealId}/transitions`, {
      user: DEMO_USERS.channelManager,
    });
    expect(response.status).toBe(500);
    expect(response.body.code).toBe('invalid_stored_value');
    expect(response.body.detail).toContain(String(move.Id));
    expect(response.body.detail).toContain('Version__c');
  });
});

describe('vendor-only field with an invalid value', () => {
  let app: TestApp;
  let packageDir: string;
  let deal: ReadyDeal;

  /** Starts an app whose Default model lists the criterion's field as vendor-only. */
  beforeAll(async () => {
    packageDir = copyPackageWithVendorOnly(FIELD);
    app = await startTestApp({ packageDir });
    [deal] = (await readyDeals(app, 'Validating')) as [ReadyDeal];
    expect(deal).toBeDefined();
    storeValue(app, 'Opportunity', deal.dealId, FIELD, BAD_VALUE);
  });

  afterAll(async () => {
    await app.close();
    rmSync(packageDir, { recursive: true, force: true });
  });

  it('leaves the value out for partners', async () => {
    const response = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/evaluation`,
      { user: deal.partnerOwner },
    );
    expectStoredValueProblem(response, deal.dealId);
    expect(response.body.detail).not.toContain(BAD_VALUE);
    expect(response.body).not.toHaveProperty('value');
  });

  it('shows the value to the vendor side', async () => {
    const response = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}/evaluation`,
      { user: deal.vendorOwner },
    );
    expectStoredValueProblem(response, deal.dealId);
    expect(response.body.detail).toContain(`"${BAD_VALUE}"`);
    expect(response.body.value).toBe(BAD_VALUE);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../middleware/src/server.js';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import type { DemoDeal } from '../../scripts/demo/demo-deal.js';
import { createTestLogger } from '../helpers/log-lines.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let app: TestApp;
let packageDir: string;

/**
 * Copies force-app without the Default model's Validating stage and its exit
 * criteria, as an admin who removed that stage would leave it.
 */
beforeAll(async () => {
  packageDir = mkdtempSync(path.join(tmpdir(), 'cosell-force-app-'));
  cpSync(path.resolve('force-app'), packageDir, { recursive: true });
  const metadata = path.join(packageDir, 'main/default/customMetadata');
  const removed = readdirSync(metadata).filter(
    (file) =>
      file === 'Cosell_Stage.Default_Validating.md-meta.xml' ||
      file.startsWith('Exit_Criterion.Default_Validating_'),
  );
  expect(removed).toHaveLength(3);
  for (const file of removed) rmSync(path.join(metadata, file));
  app = await startTestApp({ packageDir });
});

afterAll(async () => {
  await app.close();
  rmSync(packageDir, { recursive: true, force: true });
});

/** Creates a deal and stores it at the removed stage. */
async function dealAtRemovedStage(): Promise<DemoDeal> {
  const deal = await createDemoDeal(app.gateway);
  await app.gateway.upsertRecords('Opportunity', [
    { Id: deal.dealId, Cosell_Stage__c: 'Validating' },
  ]);
  return deal;
}

async function storedStage(dealId: string): Promise<unknown> {
  const read = await app.gateway.readDealContext({
    dealId,
    actingUserId: dealId,
    plan: app.ctx.plan,
  });
  return read.deal?.['Cosell_Stage__c'];
}

function expectStageProblem(body: Record<string, unknown>): void {
  expect(body['code']).toBe('stage_not_in_model');
  expect(body['value']).toBe('Validating');
  expect(body['detail']).toContain('"Validating"');
  expect(body['detail']).toContain('model Default');
  expect(body['fix']).toContain('Restore the Cosell_Stage__mdt record');
  expect(body['fix']).toContain('data fix');
}

describe('deal at a stage its model lacks', () => {
  it('reads with the stored stage flagged', async () => {
    const deal = await dealAtRemovedStage();
    const res = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: deal.vendorSeller,
    });
    expect(res.status).toBe(200);
    expect(res.body.stage).toBeNull();
    expect(res.body.stageNotInModel).toBe('Validating');
    expect(res.body.viewer.canRequest).toBe(false);
  });

  it('reads a known stage without the flag', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: deal.vendorSeller,
    });
    expect(res.status).toBe(200);
    expect(res.body.stage.value).toBe('Registered');
    expect(res.body.stageNotInModel).toBeNull();
  });

  it('answers evaluation with 409', async () => {
    const deal = await dealAtRemovedStage();
    const res = await app.call('GET', `/v1/deals/${deal.dealId}/evaluation`, {
      user: deal.vendorSeller,
    });
    expect(res.status).toBe(409);
    expectStageProblem(res.body);
  });

  it('rejects a stage request and stores none', async () => {
    const deal = await dealAtRemovedStage();
    for (const body of [
      { kind: 'Advance' },
      { kind: 'Advance', toStage: 'Jointly_Qualified' },
      { kind: 'Close Lost', reason: 'Budget frozen' },
    ]) {
      const res = await app.call(
        'POST',
        `/v1/deals/${deal.dealId}/stage-requests`,
        { user: deal.partnerSeller, body },
      );
      expect([body, res.status]).toEqual([body, 409]);
      expectStageProblem(res.body);
    }
    const read = await app.gateway.readDealContext({
      dealId: deal.dealId,
      actingUserId: deal.vendorSeller,
      plan: app.ctx.plan,
    });
    expect(read.pendingRequest).toBeNull();
    expect(await app.gateway.listTransitions(deal.dealId)).toEqual([]);
    expect(await storedStage(deal.dealId)).toBe('Validating');
  });

  it('rejects confirming a request made before', async () => {
    const deal = await createDemoDeal(app.gateway);
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Closed_Lost_Reason__c: 'No Decision' },
    ]);
    const req = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      {
        user: deal.partnerSeller,
        body: { kind: 'Close Lost', reason: 'Budget frozen' },
      },
    );
    expect(req.status).toBe(201);
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Cosell_Stage__c: 'Validating' },
    ]);
    const res = await app.call(
      'POST',
      `/v1/stage-requests/${req.body.id}/confirm`,
      { user: deal.vendorSeller },
    );
    expect(res.status).toBe(409);
    expectStageProblem(res.body);
    expect((await app.gateway.getRequest(req.body.id))?.status).toBe('Pending');
    expect(await app.gateway.listTransitions(deal.dealId)).toEqual([]);
    expect(await storedStage(deal.dealId)).toBe('Validating');
  });
});

/**
 * Starts and stops the server on the test store and the reduced package, and
 * returns the log lines whose message contains `text`.
 */
async function startWarnings(
  text: string,
): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  const running = await startServer(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      COSELL_DB_PATH: app.dbPath,
      COSELL_PACKAGE_DIR: packageDir,
      COSELL_API_TOKEN: 't'.repeat(40),
      COSELL_SEED_DEMO: 'false',
      COSELL_EXPIRY_SWEEP_SECONDS: '0',
    },
    createTestLogger(lines),
  );
  await running.close();
  return lines.filter(
    (line) => typeof line['msg'] === 'string' && line['msg'].includes(text),
  );
}

describe('start with deals at removed stages', () => {
  it('logs one warning per model', async () => {
    await dealAtRemovedStage();
    await dealAtRemovedStage();

    const warnings = await startWarnings(
      'stored at stages the model does not have',
    );
    expect(warnings).toHaveLength(1);

    const warning = warnings[0]!;
    expect(warning['level']).toBe(40);
    expect(warning['model']).toBe('Default');
    expect(Object.keys(warning['stages'] as object)).toEqual(['Validating']);
    expect(warning['dealCount']).toBeGreaterThanOrEqual(2);
    expect(warning['dealCount']).toBe(
      (warning['stages'] as Record<string, number>)['Validating'],
    );
  });

  it('logs pending requests to removed stages', async () => {
    const deal = await createDemoDeal(app.gateway);
    await app.gateway.upsertRecords('Opportunity', [
      {
        Id: deal.dealId,
        Cosell_Stage__c: 'Jointly_Qualified',
        Cosell_Stage_Version__c: 2,
      },
    ]);
    const request = await app.gateway.createRequest({
      dealId: deal.dealId,
      fromStage: 'Jointly_Qualified',
      toStage: 'Validating',
      kind: 'Advance',
      requestedById: deal.partnerSeller,
      requestingSide: 'Partner',
      status: 'Pending',
      respondedById: null,
      respondedAt: null,
      reason: null,
      responseReason: null,
      expiresAt: '2099-01-01T00:00:00.000Z',
      createdAt: new Date().toISOString(),
      idempotencyKey: null,
      evaluationSnapshot: '[]',
      dealVersion: 2,
    });
    const confirm = await app.call(
      'POST',
      `/v1/stage-requests/${request.id}/confirm`,
      { user: deal.vendorSeller },
    );
    expect(confirm.status).toBe(400);
    expect(confirm.body.code).toBe('unknown_stage');
    expect(confirm.body.fix).toContain('the other side can reject it');

    const warnings = await startWarnings(
      'target stages the model does not have',
    );
    expect(warnings).toHaveLength(1);

    const warning = warnings[0]!;
    expect(warning['level']).toBe(40);
    expect(warning['model']).toBe('Default');
    expect(warning['stages']).toEqual({
      Validating: warning['requestCount'],
    });
    expect(warning['requestCount']).toBeGreaterThanOrEqual(1);
    expect(warning['requestIds']).toContain(request.id);
    expect(warning['msg']).toContain('model Default');
    expect(warning['msg']).toContain('Validating');
    expect(warning['fix']).toContain('Withdraw or reject these requests');
    expect(warning['fix']).toContain(
      'restore the Cosell_Stage__mdt records of Validating',
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_USERS } from '../../scripts/demo/demo-deal.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

/**
 * The evaluation of a deal whose next Advance goes into the won stage lists
 * that stage's closing criteria too, because the move needs them.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

interface Criterion {
  name: string;
  kind: string;
  stage: string;
  met: boolean;
  evidence: Array<{ path: string; value: unknown; redacted?: boolean }>;
}

/** Returns the Ids of the open deals stored at `stage`. */
async function openDealsAt(stage: string): Promise<string[]> {
  const deals = await app.gateway.queryRecords('Opportunity', {
    fields: ['Id'],
    where: { IsClosed: false, Cosell_Stage__c: stage },
  });
  return deals.map((deal) => String(deal.Id));
}

/** Returns the first open Negotiating deal whose exit criteria are all met. */
async function negotiatingDealWithExitMet(): Promise<string> {
  for (const dealId of await openDealsAt('Negotiating')) {
    const { body } = await app.call('GET', `/v1/deals/${dealId}/evaluation`, {
      user: DEMO_USERS.channelManager,
    });
    const exit = (body.criteria as Criterion[]).filter(
      (c) => c.kind === 'Exit',
    );
    if (exit.every((c) => c.met)) return dealId;
  }
  throw new Error('The demo store has no Negotiating deal with exit met');
}

describe('evaluation before the won stage', () => {
  let dealId: string;
  let body: Record<string, any>;

  beforeAll(async () => {
    dealId = await negotiatingDealWithExitMet();
    const response = await app.call('GET', `/v1/deals/${dealId}/evaluation`, {
      user: DEMO_USERS.channelManager,
    });
    expect(response.status).toBe(200);
    body = response.body;
  });

  it('names the won stage as next', () => {
    expect(body['stage'].value).toBe('Negotiating');
    expect(body['nextStage'].value).toBe('Closed_Attributed');
    expect(body['nextStage'].won).toBe(true);
  });

  it('lists the exit criteria first', () => {
    const criteria = body['criteria'] as Criterion[];
    const exit = criteria.filter((c) => c.kind === 'Exit');
    expect(exit.map((c) => c.name).sort()).toEqual([
      'Default_Negotiating_Approval_Exists',
      'Default_Negotiating_Cross_Side_Handoff',
    ]);
    for (const criterion of exit) expect(criterion.stage).toBe('Negotiating');
    expect(criteria.slice(0, exit.length)).toEqual(exit);
  });

  it('adds the closing criteria of the move', () => {
    const closing = (body['criteria'] as Criterion[]).filter(
      (c) => c.kind === 'Closing',
    );
    const names = closing.map((c) => c.name);
    expect(names).toContain('Default_Closed_Won');
    expect(names).toContain('Default_Closed_Splits_Total_100');
    for (const criterion of closing) {
      expect(criterion.stage).toBe('Closed_Attributed');
    }
    const won = closing.find((c) => c.name === 'Default_Closed_Won');
    expect(won?.met).toBe(false);
  });

  it('reports allMet false for an open deal', () => {
    expect(body['allMet']).toBe(false);
  });

  it('agrees with the advance request', async () => {
    const response = await app.call(
      'POST',
      `/v1/deals/${dealId}/stage-requests`,
      { user: DEMO_USERS.channelManager, body: { kind: 'Advance' } },
    );
    expect(response.status).toBe(422);
    const unmet = (response.body.unmet as Criterion[]).map((c) => c.name);
    const listedUnmet = (body['criteria'] as Criterion[])
      .filter((c) => !c.met)
      .map((c) => c.name);
    expect(listedUnmet.sort()).toEqual(unmet.sort());
  });

  it('redacts split evidence for partners', async () => {
    const deal = await app.call('GET', `/v1/deals/${dealId}`, {
      user: DEMO_USERS.channelManager,
    });
    const partnerId = deal.body.partnerOwner.id as string;
    const response = await app.call('GET', `/v1/deals/${dealId}/evaluation`, {
      user: partnerId,
    });
    expect(response.status).toBe(200);
    const splits = (response.body.criteria as Criterion[]).find(
      (c) => c.name === 'Default_Closed_Splits_Total_100',
    );
    expect(splits).toBeDefined();
    for (const read of splits!.evidence) {
      expect(read.value).toBeNull();
      expect(read.redacted).toBe(true);
    }
    const vendorSplits = (body['criteria'] as Criterion[]).find(
      (c) => c.name === 'Default_Closed_Splits_Total_100',
    );
    expect(vendorSplits!.evidence[0]!.value).not.toBeNull();
  });
});

describe('evaluation before an open stage', () => {
  it('lists no closing criteria', async () => {
    const [dealId] = await openDealsAt('Validating');
    const response = await app.call('GET', `/v1/deals/${dealId}/evaluation`, {
      user: DEMO_USERS.channelManager,
    });
    expect(response.status).toBe(200);
    expect(response.body.nextStage.value).toBe('Negotiating');
    const kinds = (response.body.criteria as Criterion[]).map((c) => c.kind);
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.every((kind) => kind === 'Exit')).toBe(true);
  });
});

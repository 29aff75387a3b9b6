import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
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
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';
import { writeStoredValue } from '../helpers/store-value.js';

/**
 * A Registered-stage criterion that reads the deal's Probability through each
 * deal approval's lookup back to the deal. The Default model lists Probability
 * as vendor-only, so partner users may not see its value.
 */
const CRITERION = 'Approval_Probability_Read';
const FORMULA = 'SUM(Deal_Approvals__r, Opportunity__r.Probability) &gt;= 0';
const BAD_VALUE = 'bogus';

let app: LifecycleTestApp;
let packageDir: string;
let broken: DemoDeal;
let healthy: DemoDeal;

function storeValue(id: string, field: string, value: string): void {
  writeStoredValue(app.dbPath, 'Opportunity', id, field, value);
}

/** Creates a demo deal with one deal approval and a pending Advance by the partner. */
async function dealWithPendingAdvance(): Promise<DemoDeal> {
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
  const request = await app.call(
    'POST',
    `/v1/deals/${deal.dealId}/stage-requests`,
    { user: deal.partnerSeller, body: { kind: 'Advance' } },
  );
  expect(request.status).toBe(201);
  return deal;
}

beforeAll(async () => {
  packageDir = mkdtempSync(path.join(tmpdir(), 'cosell-force-app-'));
  cpSync(path.resolve('force-app'), packageDir, { recursive: true });
  const metadata = path.join(packageDir, 'main/default/customMetadata');
  const template = readFileSync(
    path.join(
      metadata,
      'Exit_Criterion.Default_Registered_Owners_Named.md-meta.xml',
    ),
    'utf8',
  );
  const criterion = template
    .replace(/(<field>Formula__c<\/field>\s*<value[^>]*>)[^<]*/, `$1${FORMULA}`)
    .replace(/(<field>Order__c<\/field>\s*<value[^>]*>)[^<]*/, '$110')
    .replace(/<label>[^<]*<\/label>/, `<label>${CRITERION}</label>`);
  expect(criterion).toContain(FORMULA);
  writeFileSync(
    path.join(metadata, `Exit_Criterion.${CRITERION}.md-meta.xml`),
    criterion,
  );
  app = await startLifecycleApp({ packageDir });
  broken = await dealWithPendingAdvance();
  healthy = await dealWithPendingAdvance();
  storeValue(broken.dealId, 'Probability', BAD_VALUE);
});

afterAll(async () => {
  await app.close();
  rmSync(packageDir, { recursive: true, force: true });
});

interface Item {
  dealId: string;
  detail: string;
  problem?: Record<string, unknown>;
}

function itemOf(items: Item[], dealId: string): Item | undefined {
  return items.find((item) => item.dealId === dealId);
}

describe('invalid deal value read through a child lookup', () => {
  it('names the deal field, not a child', async () => {
    const res = await app.call('GET', `/v1/deals/${broken.dealId}/evaluation`, {
      user: broken.vendorSeller,
    });
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('invalid_stored_value');
    expect(res.body.detail).toContain(
      `Opportunity ${broken.dealId} has the invalid Probability "${BAD_VALUE}"`,
    );
    expect(res.body.detail).not.toContain('child record');
    expect(res.body.fix).toContain(
      `Correct Probability on Opportunity ${broken.dealId}`,
    );
    expect(res.body.value).toBe(BAD_VALUE);
  });

  it('hides the vendor-only value from partners', async () => {
    const res = await app.call('GET', `/v1/deals/${broken.dealId}/evaluation`, {
      user: broken.partnerSeller,
    });
    expect(res.status).toBe(500);
    expect(res.body.detail).toContain(
      `Opportunity ${broken.dealId} has an invalid Probability`,
    );
    expect(res.body.detail).not.toContain(BAD_VALUE);
    expect(res.body).not.toHaveProperty('value');
  });
});

describe('agenda with an invalid stored value', () => {
  it('lists the deal as not evaluated', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: broken.vendorSeller,
    });
    expect(res.status).toBe(200);
    const item = itemOf(res.body.notEvaluated, broken.dealId);
    expect(item).toBeDefined();
    expect(item!.problem).toEqual({
      object: 'Opportunity',
      recordId: broken.dealId,
      field: 'Probability',
      value: BAD_VALUE,
      message: expect.stringContaining(CRITERION),
      fix: expect.stringContaining('Correct Probability'),
    });
    expect(item!.detail).toContain(`"${BAD_VALUE}"`);
  });

  it('keeps evaluating the other deals', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: healthy.vendorSeller,
    });
    expect(res.status).toBe(200);
    expect(itemOf(res.body.notEvaluated, healthy.dealId)).toBeUndefined();
    expect(itemOf(res.body.waitingOnVendor, healthy.dealId)).toBeDefined();
    expect(itemOf(res.body.waitingOnVendor, broken.dealId)).toBeDefined();
  });

  it('hides the vendor-only value from partners', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: broken.partnerSeller,
    });
    expect(res.status).toBe(200);
    const item = itemOf(res.body.notEvaluated, broken.dealId);
    expect(item).toBeDefined();
    expect(item!.problem).not.toHaveProperty('value');
    expect(item!.problem!['field']).toBe('Probability');
    expect(JSON.stringify(res.body)).not.toContain(BAD_VALUE);
  });

  it('lists the deal in the markdown', async () => {
    const res = await app.call('GET', '/v1/agenda', {
      user: broken.vendorSeller,
      headers: { accept: 'text/markdown' },
    });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^## Could not be evaluated \(\d+\)$/m);
    const row = res.text
      .split('\n')
      .find((line) => line.includes(`Opportunity ${broken.dealId} |`));
    expect(row).toBeDefined();
    expect(row).toContain('| Probability |');
  });

  it('lists the deal in the report', async () => {
    const res = await app.call('GET', '/v1/reports/agenda?format=csv', {
      user: PEOPLE.channelManager,
    });
    expect(res.status).toBe(200);
    const rows = parse(res.text, { columns: true }) as Array<
      Record<string, string>
    >;
    const row = rows.find(
      (entry) =>
        entry['Section'] === 'notEvaluated' &&
        entry['Deal Id'] === broken.dealId,
    );
    expect(row).toBeDefined();
    expect(row!['Invalid Record Id']).toBe(broken.dealId);
    expect(row!['Invalid Field']).toBe('Probability');
  });
});

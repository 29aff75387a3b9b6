import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyPackageWithChange } from '../helpers/local-store.js';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';

const NOW = '2026-03-10T05:10:00.000Z';
let app: LifecycleTestApp;

beforeAll(async () => {
  app = await startLifecycleApp({ start: NOW });
});

afterAll(async () => {
  await app.close();
});

describe('backtest', () => {
  it('replays the eight quarters before the current one', async () => {
    const res = await app.call('GET', '/v1/backtest?periods=8', {
      user: PEOPLE.channelManager,
    });
    expect(res.status).toBe(200);
    const labels = res.body.periods.map(
      (entry: { period: { label: string } }) => entry.period.label,
    );
    expect(labels).toEqual([
      'FY2024-Q1',
      'FY2024-Q2',
      'FY2024-Q3',
      'FY2024-Q4',
      'FY2025-Q1',
      'FY2025-Q2',
      'FY2025-Q3',
      'FY2025-Q4',
    ]);
    expect(res.body.periods[0].forecastAt).toBe('2024-01-01T00:00:00.000Z');
    expect(res.body.overall.periods).toBe(8);
    expect(res.body.overall.hitRate).toBeGreaterThanOrEqual(0.5);
    expect(res.body.byPartner).toHaveLength(4);
  });

  it('uses eight quarters when none are asked for', async () => {
    const res = await app.call('GET', '/v1/backtest', {
      user: PEOPLE.vendorSeller,
    });
    expect(res.body.periods).toHaveLength(8);
  });

  it('reads an empty periods as the default 8', async () => {
    const res = await app.call('GET', '/v1/backtest?periods=', {
      user: PEOPLE.channelManager,
    });
    expect(res.status).toBe(200);
    expect(res.body.periods).toHaveLength(8);
  });

  it.each([
    ['0', 'must be 1 to 40 quarters'],
    ['41', 'must be 1 to 40 quarters'],
    ['2.5', 'must be a whole number of quarters'],
    ['two', 'must be a number of quarters'],
    ['0x10', 'must be a number of quarters'],
    ['%20', 'must be a number of quarters'],
  ])('rejects periods=%s', async (periods, message) => {
    const res = await app.call('GET', `/v1/backtest?periods=${periods}`, {
      user: PEOPLE.channelManager,
    });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('query.periods');
    expect(res.body.issues[0].message).toBe(message);
    expect(res.body.detail).toBe(
      `The request query string is invalid: query.periods: ${message}.`,
    );
  });

  it('refuses a partner user with 403', async () => {
    const res = await app.call('GET', '/v1/backtest', {
      user: PEOPLE.partnerSeller,
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('vendor_only');
  });
});

describe('partner scorecard', () => {
  it('scores every demo partner for the vendor side', async () => {
    const res = await app.call('GET', '/v1/partners/scorecard', {
      user: PEOPLE.channelManager,
    });
    expect(res.status).toBe(200);
    const names = res.body.partners.map(
      (card: { partnerAccount: { name: string } }) => card.partnerAccount.name,
    );
    expect(names).toEqual([
      'Acme Cloud Partners',
      'Bluewave Consulting',
      'Cedar Systems Integration',
      'Delta Reseller GmbH',
    ]);
  });

  it('counts what the store holds for one partner', async () => {
    const res = await app.call(
      'GET',
      `/v1/partners/scorecard?partnerAccountId=${PEOPLE.otherPartnerAccount}`,
      { user: PEOPLE.vendorSeller },
    );
    expect(res.body.partners).toHaveLength(1);
    const [card] = res.body.partners;
    const partner = { Partner_Account__c: PEOPLE.otherPartnerAccount };
    expect(card.registrations.total).toBe(
      await app.gateway.countRecords('Deal_Registration__c', partner),
    );
    expect(card.deals.won).toBe(
      await app.gateway.countRecords('Opportunity', {
        ...partner,
        IsWon: true,
      }),
    );
    expect(card.deals.won).toBeGreaterThan(0);
    expect(Number(card.sourcedRevenue)).toBeGreaterThan(0);
    expect(card.forecastAccuracy.periods).toBeGreaterThan(0);
  });

  it('shows a partner user only their own scorecard', async () => {
    const res = await app.call('GET', '/v1/partners/scorecard', {
      user: PEOPLE.partnerSeller,
    });
    expect(res.status).toBe(200);
    expect(res.body.partners).toHaveLength(1);
    expect(res.body.partners[0].partnerAccount.id).toBe(PEOPLE.partnerAccount);
    expect(Number(res.body.partners[0].sourcedRevenue)).toBeGreaterThan(0);
    expect(res.body.partners[0].redacted).toBeUndefined();
  });

  it('rejects a deal Id as partner account', async () => {
    const dealId = '006000000000001AAA';
    const res = await app.call(
      'GET',
      `/v1/partners/scorecard?partnerAccountId=${dealId}`,
      { user: PEOPLE.channelManager },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_id');
    expect(res.body.value).toBe(dealId);
    expect(res.body.issues[0].message).toContain(
      `"${dealId}" is not an Account Id`,
    );
  });

  it('answers 404 for an unknown partner account', async () => {
    const unknown = '001000000000999AAA';
    const res = await app.call(
      'GET',
      `/v1/partners/scorecard?partnerAccountId=${unknown}`,
      { user: PEOPLE.channelManager },
    );
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('account_not_found');
    expect(res.body.value).toBe(unknown);
  });

  it('refuses a partner user asking for another account', async () => {
    const res = await app.call(
      'GET',
      `/v1/partners/scorecard?partnerAccountId=${PEOPLE.otherPartnerAccount}`,
      { user: PEOPLE.partnerSeller },
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('wrong_partner_account');
  });
});

describe('partner scorecard with a vendor-only Amount', () => {
  let hidden: LifecycleTestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cosell-scorecard-amount-'));
    const packageDir = copyPackageWithChange(
      path.join(dir, 'force-app'),
      'customMetadata/Cosell_Model.AWS_ACE.md-meta.xml',
      /(Vendor_Only_Fields__c<\/field>\s*<value xsi:type="xsd:string">)/,
      '$1Amount\n',
    );
    hidden = await startLifecycleApp({ start: NOW, packageDir });
  });

  afterAll(async () => {
    await hidden.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('blanks amounts for a partner user', async () => {
    const res = await hidden.call('GET', '/v1/partners/scorecard', {
      user: PEOPLE.partnerSeller,
    });
    expect(res.status).toBe(200);
    const [card] = res.body.partners;
    expect(card.sourcedRevenue).toBeNull();
    expect(card.influencedRevenue).toBeNull();
    expect(card.forecastAccuracy.meanAbsoluteError).toBeNull();
    expect(card.forecastAccuracy.periods).toBeGreaterThan(0);
    expect(card.deals.won).toBeGreaterThan(0);
    expect(card.redacted).toBe(true);
  });

  it('keeps amounts for the vendor side', async () => {
    const res = await hidden.call(
      'GET',
      `/v1/partners/scorecard?partnerAccountId=${PEOPLE.partnerAccount}`,
      { user: PEOPLE.channelManager },
    );
    const [card] = res.body.partners;
    expect(Number(card.sourcedRevenue)).toBeGreaterThan(0);
    expect(card.forecastAccuracy.meanAbsoluteError).not.toBeNull();
    expect(card.redacted).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { isHiddenPath } from '../../middleware/src/app/redaction.js';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import { copyPackageWithVendorOnly, startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let app: TestApp;
let packageDir: string;

/**
 * Copies force-app with the lookup AccountId added to the Default model's
 * vendor-only fields; the deal query reads Account.Website and
 * Account.BillingCountry beside it for the AWS_ACE criteria. (The deal's top
 * level always shows the owners, so a model may not list Vendor_Owner__c.)
 */
beforeAll(async () => {
  packageDir = copyPackageWithVendorOnly('AccountId');
  app = await startTestApp({ packageDir });
});

afterAll(async () => {
  await app.close();
  rmSync(packageDir, { recursive: true, force: true });
});

describe('vendor-only lookup', () => {
  it('lists the lookup as vendor-only', async () => {
    const models = await app.call('GET', '/v1/stage-models', {
      user: (await createDemoDeal(app.gateway)).vendorSeller,
    });
    const model = models.body.models.find(
      (m: { name: string }) => m.name === 'Default',
    );
    expect(model.vendorOnlyFields).toContain('AccountId');
  });

  it('hides the lookup and its relationship from a partner', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: deal.partnerSeller,
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.fields)).not.toContain('AccountId');
    expect(Object.keys(res.body.fields)).not.toContain('Account');
  });

  it('shows the lookup and its relationship to the vendor', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: deal.vendorSeller,
    });
    expect(res.status).toBe(200);
    expect(res.body.fields.AccountId).toEqual(expect.any(String));
    expect(Object.keys(res.body.fields.Account).sort()).toEqual([
      'BillingCountry',
      'Website',
    ]);
  });
});

describe('isHiddenPath', () => {
  const hidden = new Set([
    'Vendor_Owner__c',
    'AccountId',
    'Partner_Account__r.Name',
  ]);

  it.each([
    ['Vendor_Owner__c', true],
    ['Vendor_Owner__r', true],
    ['Vendor_Owner__r.Name', true],
    ['Account.Industry', true],
    ['Partner_Account__r.Name', true],
    ['Partner_Account__r.Id', false],
    ['Partner_Owner__r.Name', false],
    ['Amount', false],
  ])('treats %s as hidden: %s', (fieldPath, expected) => {
    expect(isHiddenPath(fieldPath, hidden)).toBe(expected);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { expireDueRegistrations } from '../../middleware/src/app/lifecycle/registration-expiry.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { addStrayPartnerUsers } from '../helpers/partner-users.js';
import { writeStoredValue } from '../helpers/store-value.js';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';

/** A year after the current one, so that registration close dates stay in the future. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

let app: LifecycleTestApp;
const DAY = 86_400_000;

beforeAll(async () => {
  app = await startLifecycleApp();
});

afterAll(async () => {
  await app.close();
});

let serial = 0;

/** Builds a registration body for a company that no other test or demo record uses. */
function body(overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    customerCompany: `Quillfeather Test ${serial} Holdings`,
    customerWebsite: `https://quillfeather-${serial}.test`,
    customerCountry: 'Canada',
    productLine: 'Platform',
    amount: '125000.00',
    currencyIsoCode: 'USD',
    expectedCloseDate: `${NEXT_YEAR}-06-30`,
    ...overrides,
  };
}

function register(user: string, registration: Record<string, unknown>) {
  return app.call('POST', '/v1/registrations', { user, body: registration });
}

describe('registering a deal', () => {
  it('creates a Submitted registration for the own account', async () => {
    const res = await register(PEOPLE.partnerSeller, body());
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('Submitted');
    expect(res.body.conflictStatus).toBe('Clear');
    expect(res.body.partnerAccount.id).toBe(PEOPLE.partnerAccount);
    expect(res.body.submittedById).toBe(PEOPLE.partnerSeller);
    expect(res.body.name).toMatch(/^DR-\d{5}$/);
    expect(res.headers.get('location')).toBe(
      `/v1/registrations/${res.body.id}`,
    );
  });

  it('sets the expiry from the model registration expiry days', async () => {
    const res = await register(PEOPLE.partnerSeller, body());
    const submitted = Date.parse(res.body.submittedAt);
    expect(Date.parse(res.body.expiresAt) - submitted).toBe(90 * DAY);
  });

  it("registers for the partner account of the user's contact", async () => {
    const stray = await addStrayPartnerUsers(app.gateway);
    const withoutContact = await register(stray.withoutContact, body());
    expect(withoutContact.status).toBe(403);
    expect(withoutContact.body.code).toBe('partner_contact_missing');
    const withOtherContact = await register(stray.withOtherContact, body());
    expect(withOtherContact.status).toBe(201);
    expect(withOtherContact.body.partnerAccount.id).toBe(
      stray.otherContactAccount,
    );
  });

  it('explains a partner user without contact', async () => {
    const stray = await addStrayPartnerUsers(app.gateway);
    const calls = [
      await register(stray.withoutContact, body()),
      await app.call('GET', '/v1/agenda', { user: stray.withoutContact }),
    ];
    for (const res of calls) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('partner_contact_missing');
      expect(res.body.detail).toContain('has no contact (User.ContactId');
      expect(res.body.fix).toContain('from a contact of their partner account');
      expect(res.body.value).toBe(stray.withoutContact);
    }
  });

  it('explains a partner contact without account', async () => {
    const stray = await addStrayPartnerUsers(app.gateway);
    await app.gateway.upsertRecords('Contact', [
      { Id: stray.contactOfOther, AccountId: null, LastName: 'Hale' },
    ]);
    const res = await register(stray.withOtherContact, body());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('partner_contact_missing');
    expect(res.body.detail).toContain(
      `has contact ${stray.contactOfOther}, which has no AccountId`,
    );
    expect(res.body.fix).toContain(
      `Set the AccountId of contact ${stray.contactOfOther}`,
    );
    await app.gateway.upsertRecords('Contact', [
      {
        Id: stray.contactOfOther,
        AccountId: stray.otherContactAccount,
        LastName: 'Hale',
      },
    ]);
  });

  it('rejects a partner account named in the body', async () => {
    const res = await register(
      PEOPLE.partnerSeller,
      body({ partnerAccountId: PEOPLE.otherPartnerAccount }),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.issues[0].path).toBe('body');
  });

  it('rejects a currency without an exchange rate', async () => {
    const res = await register(
      PEOPLE.partnerSeller,
      body({ currencyIsoCode: 'JPY' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.value).toBe('JPY');
    expect(res.body.fix).toContain('COSELL_CURRENCY_RATES');
  });

  it.each([
    ['EUX', ' Did you mean EUR?'],
    ['usd', ' Did you mean USD?'],
    ['EURO', ' Did you mean EUR?'],
    ['XYZ', ''],
    ['QQQ', ''],
  ])('rejects currency %s outside ISO 4217', async (code, hint) => {
    const res = await register(
      PEOPLE.partnerSeller,
      body({ currencyIsoCode: code }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toBe(code);
    expect(res.body.issues).toHaveLength(1);
    expect(res.body.issues[0].path).toBe('body.currencyIsoCode');
    expect(res.body.issues[0].message).toBe(
      `"${code}" is not a current ISO 4217 currency code.${hint} Send a current three-letter code in capitals, such as USD`,
    );
    expect(res.body.detail).toContain(`"${code}"`);
  });

  it.each([
    ['customerCompany', "must name the customer's company"],
    ['customerCountry', "must name the customer's country"],
  ])('rejects a blank %s in words', async (field, message) => {
    const res = await register(PEOPLE.partnerSeller, body({ [field]: '   ' }));
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe(`body.${field}`);
    expect(res.body.issues[0].message).toBe(message);
  });

  it.each([
    ['customerCompany', '!!!', 'a letter or digit'],
    ['customerCompany', '- / -', 'a letter or digit'],
    ['customerCompany', '\u2026', 'a letter or digit'],
    ['customerCountry', '!!', 'must contain a letter'],
    ['customerCountry', '12', 'must contain a letter'],
    ['customerCountry', '- / -', 'must contain a letter'],
  ])('rejects %s %j without letters', async (field, value, message) => {
    const res = await register(PEOPLE.partnerSeller, body({ [field]: value }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toBe(value);
    expect(res.body.issues).toHaveLength(1);
    expect(res.body.issues[0].path).toBe(`body.${field}`);
    expect(res.body.issues[0].message).toContain(message);
  });

  it.each(["Côte d'Ivoire", '日本', 'DE'])(
    'accepts the country %j',
    async (customerCountry) => {
      const res = await register(
        PEOPLE.partnerSeller,
        body({ customerCountry }),
      );
      expect(res.status).toBe(201);
      expect(res.body.customerCountry).toBe(customerCountry);
    },
  );

  it('rejects an expected close date in the past', async () => {
    const past = new Date(app.now().getTime() - 2 * DAY)
      .toISOString()
      .slice(0, 10);
    const res = await register(
      PEOPLE.partnerSeller,
      body({ expectedCloseDate: past }),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toBe(past);
    expect(res.body.detail).toContain('in the past');
    expect(res.body.fix).toContain('expectedCloseDate');
  });

  it.each([
    ['9999-12-31', 400],
    ['4001-01-01', 400],
    ['4000-12-31', 201],
  ])('checks close date %s against 4000-12-31', async (date, status) => {
    const res = await register(
      PEOPLE.partnerSeller,
      body({ expectedCloseDate: date }),
    );
    expect(res.status).toBe(status);
    if (status === 201) {
      expect(res.body.expectedCloseDate).toBe(date);
      return;
    }
    expect(res.body.value).toBe(date);
    expect(res.body.issues).toHaveLength(1);
    expect(res.body.issues[0].path).toBe('body.expectedCloseDate');
    expect(res.body.issues[0].message).toContain('4000-12-31 or earlier');
  });

  it('accepts today in UTC as the expected close date', async () => {
    const today = app.now().toISOString().slice(0, 10);
    const res = await register(
      PEOPLE.partnerSeller,
      body({ expectedCloseDate: today }),
    );
    expect(res.status).toBe(201);
    expect(res.body.expectedCloseDate).toBe(today);
  });

  it('takes the earliest date on Earth as today', async () => {
    // At 05:00 UTC the date is still 9 March in UTC-12, the last zone to change.
    const early = await startLifecycleApp({ start: '2026-03-10T05:00:00Z' });
    try {
      const yesterdayInUtc = await early.call('POST', '/v1/registrations', {
        user: PEOPLE.partnerSeller,
        body: body({ expectedCloseDate: '2026-03-09' }),
      });
      expect(yesterdayInUtc.status).toBe(201);
      const dayBefore = await early.call('POST', '/v1/registrations', {
        user: PEOPLE.partnerSeller,
        body: body({ expectedCloseDate: '2026-03-08' }),
      });
      expect(dayBefore.status).toBe(400);
      expect(dayBefore.body.fix).toContain('2026-03-09');
    } finally {
      await early.close();
    }
  });

  it('names a close date that does not exist', async () => {
    const res = await register(
      PEOPLE.partnerSeller,
      body({ expectedCloseDate: `${NEXT_YEAR}-02-30` }),
    );
    expect(res.status).toBe(400);
    expect(res.body.issues[0].message).toBe(
      `is not a calendar date: ${NEXT_YEAR}-02-30 does not exist, so check the month and day`,
    );
  });

  it.each([
    [
      'amount',
      undefined,
      'amount is missing: send decimal text or a number above 0',
    ],
    [
      'amount',
      'Infinity',
      'amount is Infinity, which is out of range: send decimal text or a number above 0',
    ],
    [
      'currencyIsoCode',
      undefined,
      'currencyIsoCode is missing: send a three-letter ISO 4217 code such as USD',
    ],
    [
      'expectedCloseDate',
      undefined,
      'expectedCloseDate is missing: send YYYY-MM-DD',
    ],
  ])('names %s given as %p', async (field, value, message) => {
    // JSON.parse reads 1e400 as Infinity, which JSON.stringify cannot write.
    const raw = JSON.stringify(
      body({ [field]: value === undefined ? undefined : 0 }),
    );
    const res = await app.call('POST', '/v1/registrations', {
      user: PEOPLE.partnerSeller,
      rawBody: raw.replace(`"${field}":0`, `"${field}":1e400`),
    });
    expect(res.status).toBe(400);
    const issue = res.body.issues[0];
    expect(issue.path).toBe(`body.${field}`);
    expect(issue.message.startsWith(message)).toBe(true);
    expect(issue.message).not.toContain('Invalid input');
    expect(issue.message).not.toContain('at least 0');
  });

  it('lists each invalid field by its path', async () => {
    const res = await register(
      PEOPLE.partnerSeller,
      body({
        amount: '12.345',
        expectedCloseDate: '2030-02-30',
        productLine: 'Hardware',
        currencyIsoCode: 'usd',
      }),
    );
    expect(res.status).toBe(400);
    const paths = res.body.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.amount',
        'body.expectedCloseDate',
        'body.productLine',
        'body.currencyIsoCode',
      ]),
    );
  });

  it.each([['https://github.io'], ['co.uk'], ['acme..com'], ['localhost']])(
    'rejects the website %s',
    async (website) => {
      const res = await register(
        PEOPLE.partnerSeller,
        body({ customerWebsite: website }),
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.issues[0].path).toBe('body.customerWebsite');
      expect(res.body.issues[0].message).toContain('registrable domain');
    },
  );

  it('rejects an amount of 16 significant digits', async () => {
    const res = await register(
      PEOPLE.partnerSeller,
      body({ amount: '99999999999999.99' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toBe('99999999999999.99');
    expect(res.body.issues[0].path).toBe('body.amount');
    expect(res.body.issues[0].message).toContain('9999999999999.99');
  });

  it('reads the largest amount back exactly', async () => {
    const largest = '9999999999999.99';
    const created = await register(
      PEOPLE.partnerSeller,
      body({ amount: largest, currencyIsoCode: 'GBP' }),
    );
    expect(created.status).toBe(201);
    expect(created.body.amount).toBe(largest);
    const approved = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(approved.status).toBe(200);
    const read = await app.call('GET', `/v1/deals/${approved.body.deal.id}`, {
      user: PEOPLE.channelManager,
    });
    expect(read.status).toBe(200);
    expect(read.body.amount).toBe(largest);
    expect(read.body.fields.Amount).toBe(Number(largest));
    expect(String(read.body.fields.Amount)).toBe(largest);
  });

  it('cuts a long deal name between characters', async () => {
    // 119 letters, then an emoji across the 120-unit limit of Opportunity.Name.
    const company = `${'B'.repeat(100)}${serial}${'b'.repeat(19 - String(serial).length)}😀 tail`;
    const created = await register(
      PEOPLE.partnerSeller,
      body({ customerCompany: company }),
    );
    expect(created.status).toBe(201);

    const approved = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );

    expect(approved.status).toBe(200);
    const read = await app.call('GET', `/v1/deals/${approved.body.deal.id}`, {
      user: PEOPLE.channelManager,
    });
    expect(read.body.name).toBe(company.slice(0, 119));
  });

  it('refuses a vendor user with 403', async () => {
    const res = await register(PEOPLE.vendorSeller, body());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_partner_user');
  });

  it('replays a POST with the same Idempotency-Key', async () => {
    const registration = body();
    const headers = { 'idempotency-key': `register-${serial}` };
    const first = await app.call('POST', '/v1/registrations', {
      user: PEOPLE.partnerSeller,
      body: registration,
      headers,
    });
    const again = await app.call('POST', '/v1/registrations', {
      user: PEOPLE.partnerSeller,
      body: registration,
      headers,
    });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const reused = await app.call('POST', '/v1/registrations', {
      user: PEOPLE.partnerSeller,
      body: { ...registration, amount: '1.00' },
      headers,
    });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(reused.body.value).toBe(headers['idempotency-key']);
    expect(reused.body.detail).toContain(
      `Idempotency-Key "${headers['idempotency-key']}" was already used`,
    );
  });
});

describe('conflict check', () => {
  it('keeps Bank of the West and Bank of the East apart', async () => {
    const west = await register(
      PEOPLE.partnerSeller,
      body({ customerCompany: 'Bank of the West', customerWebsite: undefined }),
    );
    const east = await register(
      PEOPLE.partnerSeller,
      body({ customerCompany: 'Bank of the East', customerWebsite: undefined }),
    );
    expect(west.body.conflictStatus).toBe('Clear');
    expect(east.body.conflictStatus).toBe('Clear');
    const ids = east.body.conflictMatches.map((m: { id: string }) => m.id);
    expect(ids).not.toContain(west.body.id);
  });

  it('matches Acme Inc. with ACME, Incorporated', async () => {
    const first = await register(
      PEOPLE.partnerSeller,
      body({ customerCompany: 'Acme Inc.', customerWebsite: undefined }),
    );
    const second = await register(
      PEOPLE.partnerColleague,
      body({
        customerCompany: 'ACME, Incorporated',
        customerWebsite: undefined,
      }),
    );
    expect(first.body.conflictStatus).toBe('Clear');
    expect(second.body.conflictStatus).toBe('Conflict');
    const match = second.body.conflictMatches.find(
      (m: { id: string }) => m.id === first.body.id,
    );
    expect(match.object).toBe('Deal_Registration__c');
    expect(match.name).toBe(first.body.name);
    expect(match.reasons).toEqual(
      expect.arrayContaining([
        'same company name: "acme"',
        'same product line: Platform',
      ]),
    );
  });

  it('matches on the website domain and reports other product lines as related', async () => {
    const first = await register(
      PEOPLE.partnerSeller,
      body({
        customerCompany: 'Zephyrine Logistics',
        customerWebsite: 'https://www.zephyrine.test/about',
      }),
    );
    const related = await register(
      PEOPLE.partnerSeller,
      body({
        customerCompany: 'Zephyrine Group',
        customerWebsite: 'zephyrine.test',
        productLine: 'Security',
      }),
    );
    expect(related.body.conflictStatus).toBe('Clear');
    expect(related.body.relatedMatches[0].id).toBe(first.body.id);
    expect(related.body.relatedMatches[0].reasons).toContain(
      'same website domain: zephyrine.test',
    );
  });

  it('keeps two customers under github.io apart', async () => {
    const kappa = await register(
      PEOPLE.partnerSeller,
      body({
        customerCompany: 'Kappa Research',
        customerWebsite: 'https://kappa.github.io',
      }),
    );
    const lambda = await register(
      PEOPLE.partnerSeller,
      body({
        customerCompany: 'Lambda Labs',
        customerWebsite: 'https://lambda.github.io',
      }),
    );
    expect(kappa.status).toBe(201);
    expect(lambda.status).toBe(201);
    expect(lambda.body.conflictStatus).toBe('Clear');
    const ids = [
      ...lambda.body.conflictMatches,
      ...lambda.body.relatedMatches,
    ].map((m: { id: string }) => m.id);
    expect(ids).not.toContain(kappa.body.id);
  });

  it('hides records of other partners from a partner user', async () => {
    const first = await register(
      PEOPLE.partnerSeller,
      body({ customerCompany: 'Orrery Instruments Ltd' }),
    );
    const other = await register(
      PEOPLE.otherPartnerSeller,
      body({ customerCompany: 'Orrery Instruments Limited' }),
    );
    expect(other.body.conflictStatus).toBe('Conflict');
    const match = other.body.conflictMatches[0];
    expect(match.redacted).toBe(true);
    expect(match.id).toBeNull();
    expect(match.name).toBeNull();
    expect(match.reasons.length).toBeGreaterThan(0);
    const asManager = await app.call(
      'GET',
      `/v1/registrations/${other.body.id}`,
      { user: PEOPLE.channelManager },
    );
    expect(asManager.body.conflictMatches[0].id).toBe(first.body.id);
  });

  it('checks against open deals by their customer account', async () => {
    const res = await register(
      PEOPLE.partnerSeller,
      body({ customerCompany: 'Northwind Traders', productLine: 'Platform' }),
    );
    expect(res.body.conflictStatus).toBe('Conflict');
    const objects = res.body.conflictMatches.map(
      (m: { object: string }) => m.object,
    );
    expect(objects).toContain('Opportunity');
  });
});

describe('reading a registration', () => {
  it('answers a partner of another account as for a missing Id', async () => {
    const created = await register(PEOPLE.partnerSeller, body());
    const res = await app.call('GET', `/v1/registrations/${created.body.id}`, {
      user: PEOPLE.otherPartnerSeller,
    });
    const missingId = `${created.body.id.slice(0, 3)}${'9'.repeat(12)}`;
    const missing = await app.call('GET', `/v1/registrations/${missingId}`, {
      user: PEOPLE.otherPartnerSeller,
    });
    expect(res.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(res.body.code).toBe('registration_not_found');
    expect(res.body.fix).toBe(missing.body.fix);
    expect(res.body.detail).toBe(
      missing.body.detail.replace(missing.body.value, created.body.id),
    );
  });

  it('lets a colleague of the same partner read it', async () => {
    const created = await register(PEOPLE.partnerSeller, body());
    const res = await app.call('GET', `/v1/registrations/${created.body.id}`, {
      user: PEOPLE.partnerColleague,
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(created.body.id);
  });

  it('answers 404 for an unknown registration', async () => {
    const prefix = app.lc.cosell.schema['Deal_Registration__c']!.keyPrefix;
    const res = await app.call(
      'GET',
      `/v1/registrations/${demoId(prefix, 999_999)}`,
      { user: PEOPLE.channelManager },
    );
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('registration_not_found');
  });
});

describe('approving and rejecting', () => {
  it('refuses approval by a seller who is not a channel manager', async () => {
    const created = await register(PEOPLE.partnerSeller, body());
    const res = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/approve`,
      { user: PEOPLE.vendorSeller, body: {} },
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_channel_manager');
  });

  it('refuses approval by a partner user', async () => {
    const created = await register(PEOPLE.partnerSeller, body());
    const res = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/approve`,
      { user: PEOPLE.partnerSeller, body: {} },
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_channel_manager');
  });

  it('creates the deal at the first stage with an owner on each side', async () => {
    const created = await register(PEOPLE.partnerSeller, body());
    const res = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/approve`,
      {
        user: PEOPLE.channelManager,
        body: { vendorOwnerId: PEOPLE.vendorSeller },
      },
    );
    expect(res.status).toBe(200);
    const { registration, deal } = res.body;
    expect(registration.status).toBe('Converted');
    expect(registration.opportunityId).toBe(deal.id);
    expect(registration.decidedById).toBe(PEOPLE.channelManager);
    expect(deal.stage.value).toBe('Registered');
    expect(deal.version).toBe(1);
    expect(deal.vendorOwner.id).toBe(PEOPLE.vendorSeller);
    expect(deal.partnerOwner.id).toBe(PEOPLE.partnerSeller);
    expect(deal.partnerAccount.id).toBe(PEOPLE.partnerAccount);
    expect(Number(deal.amount)).toBe(125000);
    const evaluation = await app.call(
      'GET',
      `/v1/deals/${deal.id}/evaluation`,
      { user: PEOPLE.vendorSeller },
    );
    expect(evaluation.body.allMet).toBe(true);
    const transitions = await app.call(
      'GET',
      `/v1/deals/${deal.id}/transitions`,
      { user: PEOPLE.partnerSeller },
    );
    expect(transitions.body.transitions).toHaveLength(1);
    expect(transitions.body.transitions[0].fromStage).toBeNull();
    expect(transitions.body.transitions[0].requestedBy.id).toBe(
      PEOPLE.partnerSeller,
    );
    expect(transitions.body.transitions[0].confirmedBy.id).toBe(
      PEOPLE.channelManager,
    );
  });

  it('makes the approving manager the vendor owner when none is named', async () => {
    const created = await register(PEOPLE.partnerSeller, body());
    const res = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(res.body.deal.vendorOwner.id).toBe(PEOPLE.channelManager);
  });

  it('rejects a vendor owner who is a partner user', async () => {
    const created = await register(PEOPLE.partnerSeller, body());
    const res = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/approve`,
      {
        user: PEOPLE.channelManager,
        body: { vendorOwnerId: PEOPLE.otherPartnerSeller },
      },
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_owner');
    const after = await app.call(
      'GET',
      `/v1/registrations/${created.body.id}`,
      {
        user: PEOPLE.channelManager,
      },
    );
    expect(after.body.status).toBe('Submitted');
  });

  it('refuses a conflicting registration unless it links the matching deal', async () => {
    const first = await register(
      PEOPLE.partnerSeller,
      body({ customerCompany: 'Halcyon Robotics GmbH' }),
    );
    const approved = await app.call(
      'POST',
      `/v1/registrations/${first.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    const second = await register(
      PEOPLE.partnerColleague,
      body({ customerCompany: 'Halcyon Robotics' }),
    );
    expect(second.body.conflictStatus).toBe('Conflict');
    const refused = await app.call(
      'POST',
      `/v1/registrations/${second.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('registration_conflict');
    expect(refused.body.value[0].id).toBe(approved.body.deal.id);
    const linked = await app.call(
      'POST',
      `/v1/registrations/${second.body.id}/approve`,
      {
        user: PEOPLE.channelManager,
        body: { opportunityId: approved.body.deal.id },
      },
    );
    expect(linked.status).toBe(200);
    expect(linked.body.registration.opportunityId).toBe(approved.body.deal.id);
    expect(linked.body.registration.conflictStatus).toBe('Clear');
    expect(linked.body.deal.version).toBe(1);
  });

  it('rejects a link while a request is pending', async () => {
    const first = await register(PEOPLE.partnerSeller, body());
    const approved = await app.call(
      'POST',
      `/v1/registrations/${first.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    const dealId = approved.body.deal.id;
    const db = new Database(app.dbPath);
    try {
      db.prepare(
        'UPDATE "Opportunity" SET "Cosell_Stage__c" = NULL, "Cosell_Stage_Version__c" = 0 WHERE "Id" = ?',
      ).run(dealId);
    } finally {
      db.close();
    }
    const request = await app.call(
      'POST',
      `/v1/deals/${dealId}/stage-requests`,
      { user: PEOPLE.channelManager, body: { kind: 'Advance' } },
    );
    expect(request.status).toBe(201);
    expect(request.body.fromStage).toBeNull();
    const second = await register(PEOPLE.partnerColleague, body());

    const refused = await app.call(
      'POST',
      `/v1/registrations/${second.body.id}/approve`,
      { user: PEOPLE.channelManager, body: { opportunityId: dealId } },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('request_pending');
    expect(refused.body.pendingRequestId).toBe(request.body.id);
    expect(refused.body.detail).toContain(
      `pending stage request ${request.body.id}`,
    );
    expect(refused.body.fix).toBe(
      `Confirm, reject or withdraw request ${request.body.id} first, then approve again.`,
    );
    const registration = await app.call(
      'GET',
      `/v1/registrations/${second.body.id}`,
      { user: PEOPLE.channelManager },
    );
    expect(registration.body.status).toBe('Submitted');
    const deal = await app.call('GET', `/v1/deals/${dealId}`, {
      user: PEOPLE.channelManager,
    });
    expect(deal.body.stage).toBeNull();
    expect(deal.body.version).toBe(0);
    expect(deal.body.pendingRequest.id).toBe(request.body.id);

    const withdrawn = await app.call(
      'POST',
      `/v1/stage-requests/${request.body.id}/withdraw`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(withdrawn.status).toBe(200);
    const linked = await app.call(
      'POST',
      `/v1/registrations/${second.body.id}/approve`,
      { user: PEOPLE.channelManager, body: { opportunityId: dealId } },
    );
    expect(linked.status).toBe(200);
    expect(linked.body.deal.stage.value).toBe('Registered');
    expect(linked.body.deal.version).toBe(1);
  });

  it('rejects linking a fractional deal version', async () => {
    const first = await register(PEOPLE.partnerSeller, body());
    const approved = await app.call(
      'POST',
      `/v1/registrations/${first.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    const dealId = approved.body.deal.id;
    // Stageless, so the link would set the first stage at this version plus 1.
    writeStoredValue(
      app.dbPath,
      'Opportunity',
      dealId,
      'Cosell_Stage__c',
      null,
    );
    writeStoredValue(
      app.dbPath,
      'Opportunity',
      dealId,
      'Cosell_Stage_Version__c',
      '1.5',
    );
    const second = await register(PEOPLE.partnerColleague, body());

    const rejected = await app.call(
      'POST',
      `/v1/registrations/${second.body.id}/approve`,
      { user: PEOPLE.channelManager, body: { opportunityId: dealId } },
    );
    expect(rejected.status).toBe(500);
    expect(rejected.body.code).toBe('invalid_stored_value');
    expect(rejected.body.detail).toBe(
      `Opportunity ${dealId} has the invalid Cosell_Stage_Version__c 1.5: it is not a whole number of 0 or more.`,
    );
    expect(rejected.body.value).toBe(1.5);
    const registration = await app.call(
      'GET',
      `/v1/registrations/${second.body.id}`,
      { user: PEOPLE.channelManager },
    );
    expect(registration.body.status).toBe('Submitted');
    const [deal] = await app.gateway.queryRecords('Opportunity', {
      fields: ['Cosell_Stage__c', 'Cosell_Stage_Version__c'],
      where: { Id: dealId },
    });
    expect(deal).toMatchObject({
      Cosell_Stage__c: null,
      Cosell_Stage_Version__c: 1.5,
    });
  });

  it('ignores a deal closed lost in co-sell', async () => {
    const company = body();
    const first = await register(PEOPLE.partnerSeller, company);
    const approved = await app.call(
      'POST',
      `/v1/registrations/${first.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(approved.status).toBe(200);
    const dealId = approved.body.deal.id;
    // A Close Lost move writes the co-sell stage only; IsClosed stays false.
    // The registration stays Approved, as registrations approved before their
    // deal's conversion do, so it still carries the deal.
    const db = new Database(app.dbPath);
    try {
      db.prepare(
        'UPDATE "Opportunity" SET "Cosell_Stage__c" = \'Closed_Lost\' WHERE "Id" = ?',
      ).run(dealId);
      db.prepare(
        'UPDATE "Deal_Registration__c" SET "Status__c" = \'Approved\' WHERE "Id" = ?',
      ).run(first.body.id);
    } finally {
      db.close();
    }

    const second = await register(PEOPLE.otherPartnerSeller, {
      ...company,
      expectedCloseDate: `${NEXT_YEAR}-09-30`,
    });
    expect(second.status).toBe(201);
    expect(second.body.conflictStatus).toBe('Clear');

    const linked = await app.call(
      'POST',
      `/v1/registrations/${second.body.id}/approve`,
      { user: PEOPLE.channelManager, body: { opportunityId: dealId } },
    );
    expect(linked.body.code).toBe('invalid_transition');
    expect(linked.body.detail).toContain('closed co-sell stage Closed_Lost');
    const registration = await app.call(
      'GET',
      `/v1/registrations/${second.body.id}`,
      { user: PEOPLE.channelManager },
    );
    expect(registration.body.status).toBe('Submitted');
  });

  it('lets the earliest of two matching registrations win', async () => {
    const earlier = await register(
      PEOPLE.partnerSeller,
      body({ customerCompany: 'Larkspur Analytics, Incorporated' }),
    );
    const later = await register(
      PEOPLE.otherPartnerSeller,
      body({ customerCompany: 'Larkspur Analytics Inc.' }),
    );
    expect(earlier.body.conflictStatus).toBe('Clear');
    expect(later.body.conflictStatus).toBe('Conflict');

    const laterFirst = await app.call(
      'POST',
      `/v1/registrations/${later.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(laterFirst.status).toBe(409);
    expect(laterFirst.body.value[0].id).toBe(earlier.body.id);
    expect(laterFirst.body.fix).toBe(
      `The earliest registration wins: decide ${earlier.body.name} first, or reject this registration.`,
    );

    const approved = await app.call(
      'POST',
      `/v1/registrations/${earlier.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(approved.status).toBe(200);
    const laterAgain = await app.call(
      'POST',
      `/v1/registrations/${later.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(laterAgain.status).toBe(409);
    expect(laterAgain.body.value[0].id).toBe(approved.body.deal.id);
    expect(laterAgain.body.detail).toContain(approved.body.deal.id);
    expect(laterAgain.body.fix).toContain(
      `${approved.body.deal.id} belongs to another partner`,
    );
  });

  it('refuses to link a deal of another partner', async () => {
    const first = await register(PEOPLE.partnerSeller, body());
    const approved = await app.call(
      'POST',
      `/v1/registrations/${first.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    const other = await register(PEOPLE.otherPartnerSeller, body());
    const res = await app.call(
      'POST',
      `/v1/registrations/${other.body.id}/approve`,
      {
        user: PEOPLE.channelManager,
        body: { opportunityId: approved.body.deal.id },
      },
    );
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('registration_conflict');
  });

  it.each([
    ['opportunityId', PEOPLE.partnerAccount, 'an Opportunity', '006'],
    [
      'opportunityId',
      PEOPLE.vendorSeller.slice(0, 15),
      'an Opportunity',
      '006',
    ],
    ['vendorOwnerId', demoId('006', 1), 'a User', '005'],
  ])('rejects %s %s by key prefix', async (field, value, object, prefix) => {
    const created = await register(PEOPLE.partnerSeller, body());
    const res = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/approve`,
      { user: PEOPLE.channelManager, body: { [field]: value } },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_id');
    expect(res.body.value).toBe(value);
    expect(res.body.issues).toHaveLength(1);
    expect(res.body.issues[0].path).toBe(`body.${field}`);
    expect(res.body.issues[0].message).toContain(
      `"${value}" is not ${object} Id`,
    );
    expect(res.body.issues[0].message).toContain(`starts with ${prefix}`);
  });

  it('rejects with a reason, once', async () => {
    const created = await register(PEOPLE.partnerSeller, body());
    const missing = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/reject`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(missing.status).toBe(400);
    expect(missing.body.issues[0].path).toBe('body.reason');
    const res = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/reject`,
      {
        user: PEOPLE.channelManager,
        body: { reason: 'Already covered by the direct team.' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('Rejected');
    expect(res.body.decisionReason).toBe('Already covered by the direct team.');
    const again = await app.call(
      'POST',
      `/v1/registrations/${created.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('registration_decided');
  });
});

describe('approving against two matching deals', () => {
  // The demo seed gives Blue Sun Retail two open Services deals of the fourth
  // demo partner, both named "Blue Sun Retail - Services".
  const blueSun = {
    customerCompany: 'Blue Sun Retail',
    customerWebsite: 'bluesunretail.example',
    productLine: 'Services',
  };
  const firstDeal = demoId('006', 20);
  const secondDeal = demoId('006', 40);
  const ownerSeller = demoId('005', 130);
  const ownerAccount = demoId('001', 103);
  let registrationId: string;

  beforeAll(async () => {
    const created = await register(ownerSeller, body(blueSun));
    expect(created.body.conflictStatus).toBe('Conflict');
    registrationId = created.body.id;
  });

  function approve(approval: Record<string, unknown>, id = registrationId) {
    return app.call('POST', `/v1/registrations/${id}/approve`, {
      user: PEOPLE.channelManager,
      body: approval,
    });
  }

  it('names each conflicting deal by Id', async () => {
    const res = await approve({});
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('registration_conflict');
    expect(res.body.detail).toContain(
      `Opportunity ${firstDeal} (Blue Sun Retail - Services;`,
    );
    expect(res.body.detail).toContain(
      `Opportunity ${secondDeal} (Blue Sun Retail - Services;`,
    );
    expect(res.body.fix).toContain(
      `approve with opportunityId set to ${firstDeal} or ${secondDeal}`,
    );
  });

  it('links the chosen deal of the same partner', async () => {
    const res = await approve({ opportunityId: secondDeal });
    expect(res.status).toBe(200);
    expect(res.body.registration.opportunityId).toBe(secondDeal);
    expect(res.body.registration.conflictStatus).toBe('Clear');
    expect(res.body.deal.partnerAccount.id).toBe(ownerAccount);
    const related = res.body.registration.relatedMatches.map(
      (match: { id: string }) => match.id,
    );
    expect(related).toContain(firstDeal);
  });

  it("still blocks on another partner's matching deal", async () => {
    const db = new Database(app.dbPath);
    try {
      db.prepare(
        'UPDATE "Opportunity" SET "Partner_Account__c" = NULL WHERE "Id" = ?',
      ).run(firstDeal);
    } finally {
      db.close();
    }
    const created = await register(PEOPLE.partnerSeller, body(blueSun));
    const res = await approve({ opportunityId: firstDeal }, created.body.id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('registration_conflict');
    expect(res.body.value).toHaveLength(1);
    expect(res.body.value[0].id).toBe(secondDeal);
    expect(res.body.detail).toContain(
      `Opportunity ${secondDeal} (Blue Sun Retail - Services; registered by partner account ${ownerAccount};`,
    );
    expect(res.body.fix).toContain(`${secondDeal} belongs to another partner`);
    expect(res.body.fix).not.toContain('opportunityId');
  });
});

describe('approving against a deal that carries a registration', () => {
  // In the demo seed, DR-00013 of the first demo partner is Approved and
  // carries deal 13, and deal 33 of the same partner matches the same company
  // and product line.
  const bankOfTheWestCoast = {
    customerCompany: 'Bank of the West Coast',
    customerWebsite: undefined,
    productLine: 'Platform',
  };
  const carriedDeal = demoId('006', 13);
  const otherDeal = demoId('006', 33);
  const carrier = demoId('a01', 13);
  let registrationId: string;

  beforeAll(async () => {
    const created = await register(
      PEOPLE.partnerSeller,
      body(bankOfTheWestCoast),
    );
    registrationId = created.body.id;
  });

  function approve(approval: Record<string, unknown>) {
    return app.call('POST', `/v1/registrations/${registrationId}/approve`, {
      user: PEOPLE.channelManager,
      body: approval,
    });
  }

  it('names the carried registration when linking', async () => {
    const res = await approve({ opportunityId: carriedDeal });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('registration_conflict');
    expect(res.body.value.map((match: { id: string }) => match.id)).toEqual([
      carrier,
    ]);
    expect(res.body.fix).toBe(
      `Opportunity ${carriedDeal} already carries registration DR-00013 (${carrier}, Approved), so this registration duplicates it. ` +
        `To link another deal, approve with opportunityId set to ${otherDeal}. ` +
        'Otherwise reject this registration as a duplicate.',
    );
  });

  it('names the carried registration when creating', async () => {
    const res = await approve({});
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('registration_conflict');
    expect(res.body.fix).toBe(
      `Opportunity ${carriedDeal} already carries registration DR-00013 (${carrier}, Approved), so this registration duplicates it. ` +
        `To link a matching deal, approve with opportunityId set to ${otherDeal}. ` +
        'Otherwise reject this registration as a duplicate.',
    );
  });

  it('links the other matching deal', async () => {
    const res = await approve({ opportunityId: otherDeal });
    expect(res.status).toBe(200);
    expect(res.body.registration.opportunityId).toBe(otherDeal);
    expect(res.body.registration.conflictStatus).toBe('Clear');
    const related = res.body.registration.relatedMatches.map(
      (match: { id: string }) => match.id,
    );
    expect(related).toContain(carrier);
    expect(related).toContain(carriedDeal);
  });
});

describe('registration expiry', () => {
  it('expires an undecided registration on read after 90 days', async () => {
    const created = await register(PEOPLE.partnerSeller, body());
    app.advanceClock(91 * DAY);
    try {
      const res = await app.call(
        'GET',
        `/v1/registrations/${created.body.id}`,
        { user: PEOPLE.partnerSeller },
      );
      expect(res.body.status).toBe('Expired');
      expect(res.body.decidedById).toBeNull();
      const approve = await app.call(
        'POST',
        `/v1/registrations/${created.body.id}/approve`,
        { user: PEOPLE.channelManager, body: {} },
      );
      expect(approve.status).toBe(409);
      expect(approve.body.code).toBe('registration_decided');
    } finally {
      app.advanceClock(-91 * DAY);
    }
  });

  it('expires due registrations in the sweep and leaves converted ones', async () => {
    const pending = await register(PEOPLE.partnerSeller, body());
    const converted = await register(PEOPLE.partnerSeller, body());
    await app.call('POST', `/v1/registrations/${converted.body.id}/approve`, {
      user: PEOPLE.channelManager,
      body: {},
    });
    app.advanceClock(91 * DAY);
    try {
      const expired = await expireDueRegistrations(app.lc);
      expect(expired).toBeGreaterThan(0);
      const stored = await app.lc.store.getRegistration(pending.body.id);
      expect(stored?.status).toBe('Expired');
      const kept = await app.lc.store.getRegistration(converted.body.id);
      expect(kept?.status).toBe('Converted');
      expect(await expireDueRegistrations(app.lc)).toBe(0);
    } finally {
      app.advanceClock(-91 * DAY);
    }
  });
});

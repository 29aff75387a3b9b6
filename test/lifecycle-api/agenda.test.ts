import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { copyPackageWithoutValidating } from '../commands/command-fixture.js';
import { addApprovedApproval, createFixtureDeal } from './deal-fixture.js';
import type { FixtureDeal } from './deal-fixture.js';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';

const NOW = '2026-03-10T05:10:00.000Z';
const DAY = 86_400_000;
let app: LifecycleTestApp;

beforeAll(async () => {
  app = await startLifecycleApp({ start: NOW });
});

afterAll(async () => {
  await app.close();
});

function agenda(user: string, query = '', accept?: string) {
  return app.call('GET', `/v1/agenda${query}`, {
    user,
    headers: accept ? { accept } : {},
  });
}

/** Submits a registration of the first demo partner, with no deal yet. */
function submitRegistration(customerCompany: string) {
  return app.call('POST', '/v1/registrations', {
    user: PEOPLE.partnerSeller,
    body: {
      customerCompany,
      customerCountry: 'Canada',
      productLine: 'Services',
      amount: 1000,
      currencyIsoCode: 'USD',
      expectedCloseDate: '2026-09-30',
    },
  });
}

type Item = {
  dealId: string;
  partnerAccount: { id: string } | null;
  stage: { probability: number | null; forecastCategory: string | null } | null;
};
type Registration = {
  registration: { id: string; opportunityId: string | null };
};

function allItems(body: Record<string, Item[]>): Item[] {
  return [
    ...body['waitingOnVendor']!,
    ...body['waitingOnPartner']!,
    ...body['stalled']!,
    ...body['regressed']!,
    ...body['blocked']!,
  ];
}

/** Creates a deal at Validating with a Close Lost request by `requester`. */
async function requestCloseLost(requester: string): Promise<FixtureDeal> {
  const deal = await createFixtureDeal(app, 'Validating', NOW, {
    Closed_Lost_Reason__c: 'No Decision',
  });
  const request = await app.call(
    'POST',
    `/v1/deals/${deal.dealId}/stage-requests`,
    { user: requester, body: { kind: 'Close Lost' } },
  );
  expect(request.status).toBe(201);
  return deal;
}

type WaitingItem = Item & {
  detail: string;
  requesterLeftSide?: boolean;
  request?: { waitingFor: string | null };
};

/** Finds the deal's item in one waiting list of the channel manager's agenda. */
async function waitingItemOf(
  deal: FixtureDeal,
  list: 'waitingOnVendor' | 'waitingOnPartner',
): Promise<WaitingItem | undefined> {
  const res = await agenda(PEOPLE.channelManager);
  expect(res.status).toBe(200);
  return res.body[list].find((item: Item) => item.dealId === deal.dealId);
}

describe('agenda for the vendor side', () => {
  it('lists every section for all partners', async () => {
    const res = await agenda(PEOPLE.channelManager);
    expect(res.status).toBe(200);
    expect(res.body.side).toBe('Vendor');
    expect(res.body.partnerAccountId).toBeNull();
    expect(res.body.zone).toBe('UTC');
    expect(res.body.generatedAt).toBe(NOW);
    const partners = new Set(
      allItems(res.body).map((item) => item.partnerAccount?.id),
    );
    expect(partners.size).toBeGreaterThan(1);
    expect(res.body.waitingOnVendor.length).toBeGreaterThan(0);
    expect(res.body.waitingOnPartner.length).toBeGreaterThan(0);
    expect(res.body.stalled.length).toBeGreaterThan(0);
  });

  it('limits the agenda to one partner when asked', async () => {
    const res = await agenda(
      PEOPLE.vendorSeller,
      `?partnerAccountId=${PEOPLE.otherPartnerAccount}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.partnerAccount.id).toBe(PEOPLE.otherPartnerAccount);
    expect(res.body.partnerAccount.name).toBe('Bluewave Consulting');
    for (const item of allItems(res.body)) {
      expect(item.partnerAccount?.id).toBe(PEOPLE.otherPartnerAccount);
    }
  });

  it('limits a seller to readable deals', async () => {
    const manager = await agenda(PEOPLE.channelManager);
    const seller = await agenda(PEOPLE.vendorSeller);
    expect(seller.status).toBe(200);
    const managerIds = new Set(allItems(manager.body).map((i) => i.dealId));
    const sellerIds = new Set(allItems(seller.body).map((i) => i.dealId));
    expect(sellerIds.size).toBeGreaterThan(0);
    expect(sellerIds.size).toBeLessThan(managerIds.size);
    for (const dealId of managerIds) {
      const read = await app.call('GET', `/v1/deals/${dealId}`, {
        user: PEOPLE.vendorSeller,
      });
      expect([dealId, read.status]).toEqual([
        dealId,
        sellerIds.has(dealId) ? 200 : 403,
      ]);
    }
  });

  it('shows an admin every deal', async () => {
    const manager = await agenda(PEOPLE.channelManager);
    const admin = await agenda(PEOPLE.admin);
    expect(admin.status).toBe(200);
    const ids = (body: Record<string, Item[]>) =>
      allItems(body)
        .map((item) => item.dealId)
        .sort();
    expect(ids(admin.body)).toEqual(ids(manager.body));
  });

  it('lists a stalled deal with its days in stage', async () => {
    const deal = await createFixtureDeal(
      app,
      'Registered',
      new Date(Date.parse(NOW) - 15 * DAY).toISOString(),
    );
    const res = await agenda(PEOPLE.channelManager);
    const item = res.body.stalled.find(
      (entry: Item) => entry.dealId === deal.dealId,
    );
    expect(item.ageDays).toBe(15);
    expect(item.detail).toBe(
      '15 days in stage "Identified & Registered"; stalls after 14 days',
    );
  });

  it('lists a regressed deal with the criteria that no longer hold', async () => {
    const deal = await createFixtureDeal(app, 'Validating', NOW);
    const before = await agenda(PEOPLE.channelManager);
    const ids = before.body.regressed.map((entry: Item) => entry.dealId);
    expect(ids).not.toContain(deal.dealId);
    await app.gateway.upsertRecords('Joint_Qualification__c', [
      { Id: deal.qualificationId, Partner_Confirmed_By__c: null },
    ]);
    const after = await agenda(PEOPLE.channelManager);
    const item = after.body.regressed.find(
      (entry: Item) => entry.dealId === deal.dealId,
    );
    expect(item.unmet.map((c: { name: string }) => c.name)).toEqual([
      'Default_Qualified_Both_Sides_Confirmed',
    ]);
  });

  it('lists registrations expiring within the window', async () => {
    const created = await submitRegistration('Agenda Expiry Testers');
    const id = created.body.id;
    const inWindow = (body: {
      expiringRegistrations: Array<{ registration: { id: string } }>;
    }) =>
      body.expiringRegistrations.find((entry) => entry.registration.id === id);
    app.advanceClock(80 * DAY);
    try {
      const narrow = await agenda(
        PEOPLE.channelManager,
        '?expiringWithinDays=5',
      );
      expect(inWindow(narrow.body)).toBeUndefined();
      const wide = await agenda(
        PEOPLE.channelManager,
        '?expiringWithinDays=10',
      );
      expect(inWindow(wide.body)).toEqual(
        expect.objectContaining({ daysLeft: 10 }),
      );
    } finally {
      app.advanceClock(-80 * DAY);
    }
  });

  it('limits a seller to registrations of readable deals', async () => {
    const created = await submitRegistration('Agenda Scope Testers');
    expect(created.status).toBe(201);
    const submittedId: string = created.body.id;
    const listed = async (user: string) => {
      const res = await agenda(user, '?expiringWithinDays=365');
      expect(res.status).toBe(200);
      return res.body.expiringRegistrations.map(
        (entry: Registration) => entry.registration,
      ) as Array<Registration['registration']>;
    };
    const managerList = await listed(PEOPLE.channelManager);
    const sellerList = await listed(PEOPLE.vendorSeller);
    const adminList = await listed(PEOPLE.admin);
    const colleagueList = await listed(PEOPLE.partnerColleague);
    const ids = (list: Array<{ id: string }>) => list.map((r) => r.id).sort();
    expect(ids(adminList)).toEqual(ids(managerList));
    expect(ids(managerList)).toContain(submittedId);
    expect(ids(sellerList)).not.toContain(submittedId);
    expect(ids(colleagueList)).toContain(submittedId);
    expect(sellerList.length).toBeGreaterThan(0);
    expect(sellerList.length).toBeLessThan(managerList.length);
    const sellerIds = new Set(ids(sellerList));
    for (const registration of managerList) {
      const dealId = registration.opportunityId;
      const read =
        dealId === null
          ? null
          : await app.call('GET', `/v1/deals/${dealId}`, {
              user: PEOPLE.vendorSeller,
            });
      expect([registration.id, sellerIds.has(registration.id)]).toEqual([
        registration.id,
        read?.status === 200,
      ]);
    }
  });

  it('checks the closed deal of a registration', async () => {
    const own = await createFixtureDeal(app, 'Negotiating', NOW, {
      IsClosed: true,
    });
    const other = await createFixtureDeal(app, 'Negotiating', NOW, {
      IsClosed: true,
      OwnerId: PEOPLE.channelManager,
      Vendor_Owner__c: PEOPLE.channelManager,
    });
    const registration = (deal: typeof own) => ({
      Id: deal.id('Deal_Registration__c'),
      Customer_Company__c: `Closed deal customer ${deal.dealId}`,
      Customer_Country__c: 'Canada',
      Product_Line__c: 'Services',
      Amount__c: '50000.00',
      CurrencyIsoCode: 'USD',
      Status__c: 'Approved',
      Conflict_Status__c: 'Clear',
      Conflict_Matches__c: '[]',
      Expires_At__c: new Date(Date.parse(NOW) + 5 * DAY).toISOString(),
      Opportunity__c: deal.dealId,
      Partner_Account__c: PEOPLE.partnerAccount,
      Submitted_By__c: PEOPLE.partnerSeller,
    });
    const ownRegistration = registration(own);
    const otherRegistration = registration(other);
    await app.gateway.upsertRecords('Deal_Registration__c', [
      ownRegistration,
      otherRegistration,
    ]);
    const res = await agenda(PEOPLE.vendorSeller);
    expect(res.status).toBe(200);
    const ids = res.body.expiringRegistrations.map(
      (entry: Registration) => entry.registration.id,
    );
    expect(ids).toContain(ownRegistration.Id);
    expect(ids).not.toContain(otherRegistration.Id);
  });

  it('lists the request that closes a won deal', async () => {
    const deal = await createFixtureDeal(app, 'Negotiating', NOW, {
      StageName: 'Closed Won',
      IsWon: true,
      IsClosed: true,
    });
    await addApprovedApproval(app, deal);
    await app.gateway.upsertRecords('Deal_Partner__c', [
      {
        Id: deal.id('Deal_Partner__c'),
        Opportunity__c: deal.dealId,
        Partner_Account__c: PEOPLE.partnerAccount,
        Role__c: 'Sourcing',
        Split_Percent__c: '100.00',
      },
    ]);
    const request = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: PEOPLE.vendorSeller, body: { kind: 'Advance' } },
    );
    expect(request.status).toBe(201);

    for (const user of [PEOPLE.partnerSeller, PEOPLE.channelManager]) {
      const res = await agenda(user);
      const waiting = res.body.waitingOnPartner.find(
        (item: Item) => item.dealId === deal.dealId,
      );
      expect(waiting?.detail).toContain('"Closed & Attributed"');
    }
    const other = await agenda(PEOPLE.otherPartnerSeller);
    expect(allItems(other.body).map((item) => item.dealId)).not.toContain(
      deal.dealId,
    );
  });

  it('flags a request whose requester left the side', async () => {
    const deal = await requestCloseLost(PEOPLE.partnerSeller);
    const waitingItem = () => waitingItemOf(deal, 'waitingOnVendor');
    const before = await waitingItem();
    expect(before?.requesterLeftSide).toBeUndefined();
    expect(before?.detail).toContain('requested by the Partner side');

    // The deal moves to another partner, as a re-registration does.
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Partner_Account__c: PEOPLE.otherPartnerAccount },
    ]);
    const after = await waitingItem();
    expect(after?.requesterLeftSide).toBe(true);
    // Only a withdrawal can end it, so the request waits for no side.
    expect(before?.request?.waitingFor).toBe('Vendor');
    expect(after?.request?.waitingFor).toBeNull();
    expect(after?.detail).toContain(
      'requested by a user no longer on the Partner side, so only a withdrawal by either side can end it',
    );
  });

  it('leaves the pipeline Waiting For blank', async () => {
    const deal = await requestCloseLost(PEOPLE.partnerSeller);
    const waitingFor = async () => {
      const res = await app.call('GET', '/v1/reports/pipeline?format=json', {
        user: PEOPLE.channelManager,
      });
      expect(res.status).toBe(200);
      const rows = JSON.parse(res.text) as Array<Record<string, unknown>>;
      return rows.find((row) => row['dealId'] === deal.dealId)?.['waitingFor'];
    };
    expect(await waitingFor()).toBe('Vendor');

    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Partner_Account__c: PEOPLE.otherPartnerAccount },
    ]);
    expect(await waitingFor()).toBeNull();
  });

  it('keeps a vendor requester on the deal team', async () => {
    const deal = await requestCloseLost(PEOPLE.vendorSeller);
    const flag = async () =>
      (await waitingItemOf(deal, 'waitingOnPartner'))?.requesterLeftSide;

    // Another user owns the deal now, so the requester is off it.
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, OwnerId: PEOPLE.admin, Vendor_Owner__c: PEOPLE.admin },
    ]);
    expect(await flag()).toBe(true);

    // As a team member, the requester is on the vendor side again.
    await app.gateway.upsertRecords('OpportunityTeamMember', [
      {
        Id: deal.id('OpportunityTeamMember'),
        OpportunityId: deal.dealId,
        UserId: PEOPLE.vendorSeller,
        TeamMemberRole: 'Pre-Sales Consultant',
      },
    ]);
    expect(await flag()).toBeUndefined();
  });

  it('rejects a negative window with the query path', async () => {
    const res = await agenda(PEOPLE.channelManager, '?expiringWithinDays=-1');
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('query.expiringWithinDays');
    expect(res.body.issues[0].message).toBe('must be 0 to 365 days');
  });

  it('rejects a repeated query parameter', async () => {
    const res = await agenda(
      PEOPLE.channelManager,
      '?expiringWithinDays=1&expiringWithinDays=2',
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.detail).toBe(
      'The query parameter expiringWithinDays is given 2 times.',
    );
    expect(res.body.fix).toBe('Send expiringWithinDays once.');
  });

  it.each([PEOPLE.vendorSeller, PEOPLE.vendorSeller.slice(0, 15)])(
    'rejects the User Id %s as partner account',
    async (userId) => {
      const res = await agenda(
        PEOPLE.channelManager,
        `?partnerAccountId=${userId}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_id');
      expect(res.body.value).toBe(userId);
      expect(res.body.issues[0].path).toBe('query.partnerAccountId');
      expect(res.body.issues[0].message).toContain(
        `"${userId}" is not an Account Id`,
      );
      expect(res.body.issues[0].message).toContain('starts with 001');
    },
  );

  it('answers 404 for an unknown partner account', async () => {
    const unknown = '001000000000999AAA';
    const res = await agenda(
      PEOPLE.channelManager,
      `?partnerAccountId=${unknown}`,
    );
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(res.body.code).toBe('account_not_found');
    expect(res.body.value).toBe(unknown);
    expect(res.body.detail).toContain(unknown);
  });

  it('answers 422 for a customer account', async () => {
    const customer = demoId('001', 1);
    const res = await agenda(
      PEOPLE.channelManager,
      `?partnerAccountId=${customer}`,
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('not_partner_account');
    expect(res.body.value).toBe(customer);
    expect(res.body.detail).toContain('Northwind Traders');
  });

  it('rejects an unknown query parameter', async () => {
    const res = await agenda(PEOPLE.channelManager, '?partner=x');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  });
});

describe('agenda for a partner user', () => {
  it('shows only the own partner account', async () => {
    const res = await agenda(PEOPLE.partnerSeller);
    expect(res.status).toBe(200);
    expect(res.body.side).toBe('Partner');
    expect(res.body.partnerAccountId).toBe(PEOPLE.partnerAccount);
    const items = allItems(res.body);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.partnerAccount?.id).toBe(PEOPLE.partnerAccount);
      const read = await app.call('GET', `/v1/deals/${item.dealId}`, {
        user: PEOPLE.partnerSeller,
      });
      expect([item.dealId, read.status]).toEqual([item.dealId, 200]);
    }
  });

  it('hides vendor-only stage settings', async () => {
    // The default model lists Probability and ForecastCategoryName.
    const stages = async (user: string) =>
      allItems((await agenda(user)).body).flatMap((item) =>
        item.stage ? [item.stage] : [],
      );
    const partner = await stages(PEOPLE.partnerSeller);
    const vendor = await stages(PEOPLE.channelManager);
    expect(partner.length).toBeGreaterThan(0);
    for (const stage of partner) {
      expect(stage).toMatchObject({
        probability: null,
        forecastCategory: null,
      });
    }
    expect(vendor.length).toBeGreaterThan(0);
    for (const stage of vendor) {
      expect(stage.probability).toEqual(expect.any(Number));
      expect(stage.forecastCategory).toEqual(expect.any(String));
    }
  });

  it('refuses another partner account with 403', async () => {
    const res = await agenda(
      PEOPLE.partnerSeller,
      `?partnerAccountId=${PEOPLE.otherPartnerAccount}`,
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('wrong_partner_account');
  });
});

describe('agenda as markdown', () => {
  it('renders the meeting version for Accept text/markdown', async () => {
    const res = await agenda(PEOPLE.partnerSeller, '', 'text/markdown');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'text/markdown; charset=utf-8',
    );
    expect(res.text.startsWith('# Co-sell sync agenda\n')).toBe(true);
    expect(res.text).toContain(`for the partner side, Acme Cloud Partners.`);
    for (const heading of [
      '## Waiting on the vendor',
      '## Waiting on the partner',
      '## Blocked on unmet criteria',
      '## Regressed',
      '## Stalled',
      '## Registrations expiring within 14 days',
    ]) {
      expect(res.text).toContain(heading);
    }
    expect(res.text).not.toContain('Bluewave Consulting');
  });

  it('answers 406 when neither JSON nor markdown is acceptable', async () => {
    const res = await agenda(PEOPLE.channelManager, '', 'image/png');
    expect(res.status).toBe(406);
    expect(res.body.code).toBe('not_acceptable');
  });
});

describe('agenda with a removed stage', () => {
  let reduced: LifecycleTestApp;
  let dir: string;
  let dealId: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cosell-agenda-'));
    reduced = await startLifecycleApp({
      start: NOW,
      packageDir: copyPackageWithoutValidating(path.join(dir, 'force-app')),
    });
    // A deal with a pending request, stored at the stage the model lacks.
    const pending = await reduced.gateway.queryRecords('Stage_Request__c', {
      fields: ['Opportunity__c'],
      where: { Status__c: 'Pending' },
    });
    dealId = String(pending[0]?.Opportunity__c);
    await reduced.gateway.upsertRecords('Opportunity', [
      { Id: dealId, Cosell_Stage__c: 'Validating' },
    ]);
  });

  afterAll(async () => {
    await reduced.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks the stored stage in markdown', async () => {
    const res = await reduced.call('GET', '/v1/agenda', {
      user: PEOPLE.channelManager,
      headers: { accept: 'text/markdown' },
    });
    expect(res.status).toBe(200);
    const deal = await reduced.gateway.queryRecords('Opportunity', {
      fields: ['Name'],
      where: { Id: dealId },
    });
    const row = res.text
      .split('\n')
      .find((line) => line.startsWith(`| ${String(deal[0]?.Name)} |`));
    expect(row).toContain('| Validating (not in model) |');
  });

  it('names the stored stage in JSON', async () => {
    const res = await reduced.call('GET', '/v1/agenda', {
      user: PEOPLE.channelManager,
    });
    expect(res.status).toBe(200);
    const items = allItems(res.body) as Array<
      Item & { stage: unknown; stageNotInModel: string | null }
    >;
    const item = items.find((entry) => entry.dealId === dealId);
    expect(item?.stage).toBeNull();
    expect(item?.stageNotInModel).toBe('Validating');
  });
});

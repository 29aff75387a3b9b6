import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import { createApp } from '../../middleware/src/http/app.js';
import { lifecycleRoutes } from '../../middleware/src/http/routes/lifecycle.js';
import { SalesforceLifecycleStore } from '../../middleware/src/org/salesforce/lifecycle-salesforce-store.js';
import { SILENT, startTestOrg } from '../org/salesforce/salesforce-fixture.js';
import type { TestOrg } from '../org/salesforce/salesforce-fixture.js';
import { DEFAULT_SETTINGS } from './lifecycle-test-app.js';

/** A year after the current one, so that registration close dates stay in the future. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

const TOKEN = 'salesforce-lifecycle-token-0123456789abcdef0123';

let org: TestOrg;
let server: Server;
let url: string;
const users = { manager: '', seller: '', partner: '', partnerAccount: '' };

beforeAll(async () => {
  org = await startTestOrg();
  const records = org.standIn.records;
  users.partnerAccount = records.insert('Account', {
    Name: 'Stand-in Partner GmbH',
    IsPartner: true,
  });
  users.manager = org.standIn.addUser({
    username: 'manager@stand-in.example',
    name: 'Morgan Manager',
    permissionSets: ['Cosell_Channel_Manager', 'Cosell_Seller'],
  }).id;
  users.seller = org.standIn.users.find(
    (user) => user.username === 'seller@stand-in.example',
  )!.id;
  users.partner = org.standIn.addUser({
    username: 'partner@stand-in.example',
    name: 'Pat Partner',
    userType: 'PowerPartner',
    accountId: users.partnerAccount,
    contactId: org.standIn.records.insert('Contact', {
      AccountId: users.partnerAccount,
      LastName: 'Partner',
      Name: 'Pat Partner',
    }),
    permissionSets: ['Cosell_Partner_Seller'],
  }).id;
  const cosell = await createCosellContext(org.gateway, {
    timeZone: 'UTC',
    logger: SILENT,
  });
  const store = new SalesforceLifecycleStore(org.gateway);
  const app = createApp(cosell, {
    apiToken: TOKEN,
    extraRoutes: [lifecycleRoutes(store, DEFAULT_SETTINGS)],
  });
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await org.close();
});

async function call(
  method: string,
  path: string,
  user: string,
  body?: unknown,
  accept = 'application/json',
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'x-cosell-acting-user': user,
      accept,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, body: json ? JSON.parse(text) : text };
}

const REGISTRATION = {
  customerCompany: 'Lindqvist Shipping AB',
  customerWebsite: 'https://lindqvist-shipping.test',
  customerCountry: 'Sweden',
  productLine: 'Services',
  amount: '80000.00',
  currencyIsoCode: 'USD',
  expectedCloseDate: `${NEXT_YEAR}-03-31`,
};

describe('lifecycle API on the Salesforce store', () => {
  it('registers, approves and shows the deal', async () => {
    const registered = await call(
      'POST',
      '/v1/registrations',
      users.partner,
      REGISTRATION,
    );
    expect(registered.status).toBe(201);
    expect(registered.body.partnerAccount.name).toBe('Stand-in Partner GmbH');
    const refused = await call(
      'POST',
      `/v1/registrations/${registered.body.id}/approve`,
      users.seller,
      {},
    );
    expect(refused.status).toBe(403);
    const approved = await call(
      'POST',
      `/v1/registrations/${registered.body.id}/approve`,
      users.manager,
      { vendorOwnerId: users.seller },
    );
    expect(approved.status).toBe(200);
    expect(approved.body.registration.status).toBe('Converted');
    expect(approved.body.deal.stage.value).toBe('Registered');
    expect(approved.body.deal.vendorOwner.id).toBe(users.seller);
    expect(approved.body.deal.partnerOwner.id).toBe(users.partner);
    expect(approved.body.deal.daysInStage).toBe(0);
    const deal = await call(
      'GET',
      `/v1/deals/${approved.body.deal.id}/evaluation`,
      users.partner,
    );
    expect(deal.body.allMet).toBe(true);
  });

  it('finds the conflict with the approved deal', async () => {
    const again = await call('POST', '/v1/registrations', users.partner, {
      ...REGISTRATION,
      customerCompany: 'LINDQVIST SHIPPING',
    });
    expect(again.body.conflictStatus).toBe('Conflict');
    expect(again.body.conflictMatches[0].object).toBe('Opportunity');
  });

  it('limits a seller agenda to team deals', async () => {
    const records = org.standIn.records;
    const stalledDeal = (name: string) =>
      records.insert('Opportunity', {
        Name: name,
        StageName: 'Prospecting',
        CloseDate: `${NEXT_YEAR}-06-30`,
        OwnerId: users.manager,
        Partner_Account__c: users.partnerAccount,
        Cosell_Stage__c: 'Registered',
        Cosell_Stage_Entered_At__c: new Date(
          Date.now() - 30 * 86_400_000,
        ).toISOString(),
      });
    const onTeam = stalledDeal('Team Deal Stalled');
    const offTeam = stalledDeal('Other Deal Stalled');
    records.insert('OpportunityTeamMember', {
      OpportunityId: onTeam,
      UserId: users.seller,
      TeamMemberRole: 'Sales Rep',
    });
    const stalledIds = async (user: string) => {
      const res = await call('GET', '/v1/agenda', user);
      expect(res.status).toBe(200);
      return res.body.stalled.map((item: { dealId: string }) => item.dealId);
    };

    const seller = await stalledIds(users.seller);
    expect(seller).toContain(onTeam);
    expect(seller).not.toContain(offTeam);

    const manager = await stalledIds(users.manager);
    expect(manager).toContain(onTeam);
    expect(manager).toContain(offTeam);
  });

  it('checks the agenda partner account in the org', async () => {
    const scoped = await call(
      'GET',
      `/v1/agenda?partnerAccountId=${users.partnerAccount}`,
      users.manager,
    );
    expect(scoped.status).toBe(200);
    expect(scoped.body.partnerAccount.name).toBe('Stand-in Partner GmbH');
    const customer = org.standIn.records.insert('Account', {
      Name: 'Stand-in Customer Inc.',
      IsPartner: false,
    });
    const notPartner = await call(
      'GET',
      `/v1/agenda?partnerAccountId=${customer}`,
      users.manager,
    );
    expect(notPartner.status).toBe(422);
    expect(notPartner.body.code).toBe('not_partner_account');
    const unknown = await call(
      'GET',
      '/v1/agenda?partnerAccountId=001000000000999AAA',
      users.manager,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('account_not_found');
  });

  it('rejects linking a deal without stage', async () => {
    const records = org.standIn.records;
    const dealId = records.insert('Opportunity', {
      Name: 'Varga Mills expansion',
      StageName: 'Negotiation/Review',
      CloseDate: `${NEXT_YEAR}-06-30`,
      OwnerId: users.manager,
      Cosell_Stage__c: 'Negotiating',
      Cosell_Model__c: 'Default',
      Cosell_Stage_Version__c: 4,
    });
    const registered = await call('POST', '/v1/registrations', users.partner, {
      ...REGISTRATION,
      customerCompany: 'Varga Mills Kft',
      customerWebsite: 'https://varga-mills.test',
    });
    expect(registered.status).toBe(201);
    // Read as "no stage", the deal would get the first stage at version 5.
    org.standIn.faults.next({
      kind: 'rewrite',
      match: (request) =>
        !request.subrequest &&
        /\bFROM Opportunity WHERE Id\b/.test(request.query.q ?? ''),
      rewrite: (body) => {
        const page = body as { records: Array<Record<string, unknown>> };
        delete page.records[0]!.Cosell_Stage__c;
        return page;
      },
    });

    const rejected = await call(
      'POST',
      `/v1/registrations/${registered.body.id}/approve`,
      users.manager,
      { opportunityId: dealId },
    );
    expect(org.standIn.faults.pending()).toBe(0);
    expect(rejected.status).toBe(500);
    expect(rejected.body.code).toBe('invalid_stored_value');
    expect(rejected.body.detail).toContain(`Opportunity ${dealId}`);
    expect(rejected.body.detail).toContain('Cosell_Stage__c');
    expect(records.get('Opportunity', dealId)).toMatchObject({
      Cosell_Stage__c: 'Negotiating',
      Cosell_Stage_Version__c: 4,
      Partner_Account__c: null,
    });
    expect(
      records.get('Deal_Registration__c', registered.body.id),
    ).toMatchObject({ Status__c: 'Submitted' });
    expect(
      records
        .all('Stage_Transition__c')
        .filter((row) => row.Opportunity__c === dealId),
    ).toEqual([]);
  });

  it('builds the agenda and the forecast from Bulk reads', async () => {
    const agenda = await call(
      'GET',
      '/v1/agenda',
      users.partner,
      undefined,
      'text/markdown',
    );
    expect(agenda.status).toBe(200);
    expect(agenda.body).toContain(
      'for the partner side, Stand-in Partner GmbH.',
    );
    const forecast = await call(
      'GET',
      `/v1/forecast?period=FY${NEXT_YEAR}-Q1`,
      users.manager,
    );
    expect(forecast.status).toBe(200);
    expect(forecast.body.dealCount).toBe(1);
    expect(forecast.body.openAmount).toBe('80000.00');
  });
});

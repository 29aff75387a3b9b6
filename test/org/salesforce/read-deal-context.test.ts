import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from '@jest/globals';
import { toId18 } from '../../../middleware/src/domain/salesforce-id.js';
import {
  seedDeal,
  seedPendingRequest,
  startTestOrg,
  TEST_PLAN,
  type TestOrg,
} from './salesforce-fixture.js';

describe('SalesforceGateway.readDealContext', () => {
  let org: TestOrg;
  let sellerId: string;
  let partnerUserId: string;
  let partnerContactId: string;
  let dealId: string;
  let partnerId: string;

  beforeAll(async () => {
    org = await startTestOrg();
    sellerId = org.standIn.users.find(
      (u) => u.username === 'seller@stand-in.example',
    )!.id;
    ({ dealId, partnerId } = seedDeal(org.standIn, {
      Vendor_Owner__c: sellerId,
    }));
    partnerContactId = org.standIn.records.insert('Contact', {
      AccountId: partnerId,
      LastName: 'Partner',
      Name: 'Pat Partner',
    });
    partnerUserId = org.standIn.addUser({
      username: 'partner@stand-in.example',
      name: 'Pat Partner',
      userType: 'PowerPartner',
      accountId: partnerId,
      contactId: partnerContactId,
      permissionSets: ['Cosell_Partner_Seller'],
    }).id;
    org.standIn.records.insert('OpportunityTeamMember', {
      OpportunityId: dealId,
      UserId: sellerId,
      TeamMemberRole: 'Sales Rep',
    });
    await org.gateway.describeSchema();
  });

  afterAll(() => org?.close());

  beforeEach(() => org.standIn.resetLog());

  it('reads deal, user and team in one composite call', async () => {
    const context = await org.gateway.readDealContext({
      dealId,
      actingUserId: partnerUserId,
      plan: TEST_PLAN,
    });
    expect(org.apiCalls()).toBe(1);
    expect(org.standIn.requests[0]).toMatchObject({
      method: 'POST',
      resource: 'composite',
    });
    expect(context.deal).toMatchObject({
      Id: dealId,
      Name: 'Acme expansion',
      Amount: 1234567.89,
      CloseDate: '2025-06-30',
      IsClosed: false,
      Cosell_Stage_Version__c: 3,
      Cosell_Stage_Entered_At__c: '2025-01-31T23:30:00.000Z',
      Vendor_Owner__c: sellerId,
      Partner_Account__r: { Id: partnerId, Name: 'Partner, "Quoted" Ltd' },
    });
    expect(context.deal?.Close_Plan_Steps__r).toHaveLength(2);
    expect(context.deal?.Deal_Partners__r).toHaveLength(2);
    expect(context.deal).not.toHaveProperty('OpportunityTeamMembers');
    expect(context.deal).not.toHaveProperty('Stage_Requests__r');
    expect(context.teamMemberIds).toEqual([sellerId]);
    expect(context.actingUser).toEqual({
      id: partnerUserId,
      name: 'Pat Partner',
      isActive: true,
      userType: 'PowerPartner',
      contactId: partnerContactId,
      accountId: partnerId,
      permissionSets: ['Cosell_Partner_Seller'],
    });
    expect(context.pendingRequest).toBeNull();
    expect(context.request).toBeNull();
    expect(context.idempotency).toBeNull();
  });

  it('sends every query as a subrequest of one call', async () => {
    await org.gateway.readDealContext({
      dealId,
      actingUserId: partnerUserId,
      idempotencyKey: 'caller:key-1',
      plan: TEST_PLAN,
    });
    const [call] = org.standIn.requests;
    expect(org.apiCalls()).toBe(1);
    expect(call?.subrequests.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /services/data/v62.0/query',
      'GET /services/data/v62.0/query',
      'GET /services/data/v62.0/query',
    ]);
  });

  it('reads the named request and its deal in one call', async () => {
    const requestId = seedPendingRequest(org.standIn, dealId, sellerId);
    try {
      const context = await org.gateway.readDealContext({
        requestId,
        actingUserId: partnerUserId,
        plan: TEST_PLAN,
      });
      expect(org.apiCalls()).toBe(1);
      expect(org.standIn.requests[0]?.subrequestCount).toBe(4);
      expect(context.deal?.Id).toBe(dealId);
      expect(context.request).toMatchObject({
        id: requestId,
        dealId,
        status: 'Pending',
        fromStage: 'Validating',
        toStage: 'Negotiating',
        requestedById: sellerId,
        expiresAt: '2099-01-01T00:00:00.000Z',
        dealVersion: 3,
      });
      expect(context.pendingRequest?.id).toBe(requestId);
      expect(context.requester?.id).toBe(sellerId);
    } finally {
      org.standIn.records.update('Stage_Request__c', requestId, {
        Status__c: 'Withdrawn',
        Pending_Deal_Key__c: null,
      });
    }
  });

  it('returns nulls for a request that does not exist', async () => {
    const context = await org.gateway.readDealContext({
      requestId: toId18('a06000000000999'),
      actingUserId: partnerUserId,
      plan: TEST_PLAN,
    });
    expect(org.apiCalls()).toBe(1);
    expect(context.request).toBeNull();
    expect(context.deal).toBeNull();
    expect(context.actingUser?.id).toBe(partnerUserId);
  });

  it('keeps the team and requests the plan reads', async () => {
    const { dealId } = seedDeal(org.standIn);
    org.standIn.records.insert('OpportunityTeamMember', {
      OpportunityId: dealId,
      UserId: sellerId,
      TeamMemberRole: 'Sales Rep',
    });
    const requestId = seedPendingRequest(org.standIn, dealId, sellerId, {
      Status__c: 'Rejected',
      Pending_Deal_Key__c: null,
    });
    const context = await org.gateway.readDealContext({
      dealId,
      actingUserId: sellerId,
      plan: {
        dealFields: ['Name'],
        children: {
          OpportunityTeamMembers: ['TeamMemberRole'],
          Stage_Requests__r: ['Status__c'],
        },
      },
    });
    expect(context.deal?.OpportunityTeamMembers).toEqual([
      expect.objectContaining({ TeamMemberRole: 'Sales Rep' }),
    ]);
    expect(context.deal?.Stage_Requests__r).toEqual([
      expect.objectContaining({ Id: requestId, Status__c: 'Rejected' }),
    ]);
    expect(context.pendingRequest).toBeNull();
    expect(context.teamMemberIds).toEqual([sellerId]);
  });

  it('widens 15-character Ids from the caller', async () => {
    const context = await org.gateway.readDealContext({
      dealId: dealId.slice(0, 15),
      actingUserId: partnerUserId.slice(0, 15),
      plan: TEST_PLAN,
    });
    expect(context.deal?.Id).toBe(dealId);
    expect(context.actingUser?.id).toBe(partnerUserId);
  });

  it('makes no call when no Id is valid', async () => {
    const context = await org.gateway.readDealContext({
      dealId: "006' OR Name != '",
      actingUserId: 'not-an-id',
      plan: TEST_PLAN,
    });
    expect(org.apiCalls()).toBe(0);
    expect(context.deal).toBeNull();
    expect(context.actingUser).toBeNull();
  });

  it('maps a failed query to StoreUnavailableError with its errors', async () => {
    const read = org.gateway.readDealContext({
      dealId,
      actingUserId: partnerUserId,
      plan: { dealFields: ['Name', 'Not_A_Field__c'], children: {} },
    });
    await expect(read).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      code: 'store_unavailable',
    });
    await expect(read).rejects.toThrow(/INVALID_FIELD[\s\S]*Not_A_Field__c/);
  });
});

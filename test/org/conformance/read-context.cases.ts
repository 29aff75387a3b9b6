import { describe, expect, it } from '@jest/globals';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import type { SuiteState } from './store-port.suite.js';
import { contextQuery, idempotencyRecord, newRequest } from './store-world.js';

function children(deal: RecordData | null, name: string): RecordData[] {
  const list = deal?.[name];
  if (!Array.isArray(list)) throw new Error(`${name} is not a list`);
  return list;
}

export function describeReadContext(current: () => SuiteState): void {
  describe('readDealContext', () => {
    it('returns the plan fields with their types', async () => {
      const { gateway, world } = current();
      const { deal } = await gateway.readDealContext(contextQuery(world));
      expect(deal?.Id).toBe(world.id.deal);
      expect(deal?.['Name']).toBe('Northwind platform renewal');
      expect(deal?.['Amount']).toBe(125000.5);
      expect(deal?.['IsClosed']).toBe(false);
      expect(deal?.['CloseDate']).toBe('2027-03-31');
      expect(deal?.['Cosell_Stage__c']).toBe('Registered');
      expect(deal?.['Cosell_Stage_Version__c']).toBe(1);
      expect(deal?.['Cosell_Stage_Entered_At__c']).toBe(
        '2026-11-02T09:30:00.000Z',
      );
    });

    it('nests lookups one and two deep', async () => {
      const { gateway, world } = current();
      const { deal } = await gateway.readDealContext(contextQuery(world));
      expect(deal?.['Partner_Account__r']).toMatchObject({
        Name: 'Acme Cloud Partners',
      });
      expect(deal?.['Owner']).toMatchObject({ Name: 'Vera Vendor' });
      expect(deal?.['Partner_Owner__r']).toMatchObject({
        Account: { Name: 'Acme Cloud Partners' },
      });
    });

    it('returns null for a blank lookup', async () => {
      const { gateway, world } = current();
      const { deal } = await gateway.readDealContext(
        contextQuery(world, { dealId: world.id.otherDeal }),
      );
      expect(deal?.['Partner_Owner__r']).toBeNull();
    });

    it('returns children with their lookups', async () => {
      const { gateway, world } = current();
      const { deal } = await gateway.readDealContext(contextQuery(world));
      const steps = children(deal, 'Close_Plan_Steps__r');
      expect(steps.map((s) => s['Owner_Side__c']).sort()).toEqual([
        'Customer',
        'Vendor',
      ]);
      const [approval] = children(deal, 'Deal_Approvals__r');
      expect(approval?.['Owner__c']).toBe(world.id.vendor);
      expect(approval?.['Owner__r']).toMatchObject({ AccountId: null });
      expect(approval?.['Handoff_Counterpart__r']).toMatchObject({
        AccountId: world.id.partner,
      });
      const partners = children(deal, 'Deal_Partners__r');
      expect(partners.map((p) => p['Split_Percent__c']).sort()).toEqual([
        40, 60,
      ]);
      expect(children(deal, 'Joint_Qualifications__r')).toEqual([]);
    });

    it('widens a 15-character deal Id', async () => {
      const { gateway, world } = current();
      const { deal } = await gateway.readDealContext(
        contextQuery(world, {
          dealId: world.id.deal.slice(0, 15),
          actingUserId: world.id.vendor.slice(0, 15),
        }),
      );
      expect(deal?.Id).toBe(world.id.deal);
    });

    it('returns team members and the acting user', async () => {
      const { gateway, world } = current();
      const context = await gateway.readDealContext(
        contextQuery(world, { actingUserId: world.id.partnerSeller }),
      );
      expect(context.teamMemberIds).toEqual([world.id.channelManager]);
      expect(context.actingUser).toEqual({
        id: world.id.partnerSeller,
        name: 'Pat Partner',
        isActive: true,
        userType: 'PowerPartner',
        contactId: world.id.partnerContact,
        accountId: world.id.partner,
        permissionSets: ['Cosell_Partner_Seller'],
      });
    });

    it("takes a user's account from their contact", async () => {
      const { gateway, harness, world } = current();
      const noContact = world.ids.id('User', 20);
      const otherContactUser = world.ids.id('User', 21);
      const otherContact = world.ids.id('Contact', 2);
      await harness.seed([
        {
          objectName: 'Contact',
          records: [
            {
              Id: otherContact,
              AccountId: world.id.influencer,
              FirstName: 'Bo',
              LastName: 'Beta',
              OwnerId: world.id.vendor,
            },
          ],
        },
        {
          objectName: 'User',
          records: [
            {
              Id: noContact,
              Name: 'Nina Nocontact',
              Username: 'nina.nocontact@cosell.example',
              Email: 'nina.nocontact@cosell.example',
              IsActive: true,
              UserType: 'PowerPartner',
              ContactId: null,
              AccountId: world.id.partner,
            },
            {
              Id: otherContactUser,
              Name: 'Bo Beta',
              Username: 'bo.beta@cosell.example',
              Email: 'bo.beta@cosell.example',
              IsActive: true,
              UserType: 'PowerPartner',
              ContactId: otherContact,
              AccountId: world.id.partner,
            },
          ],
        },
      ]);

      const withoutContact = await gateway.readDealContext(
        contextQuery(world, { actingUserId: noContact }),
      );
      const withOtherContact = await gateway.readDealContext(
        contextQuery(world, { actingUserId: otherContactUser }),
      );
      const [listed] = await gateway.getUsers([otherContactUser]);

      expect(withoutContact.actingUser?.contactId).toBeNull();
      expect(withoutContact.actingUser?.accountId).toBeNull();
      expect(withOtherContact.actingUser?.accountId).toBe(world.id.influencer);
      expect(listed?.accountId).toBe(world.id.influencer);
    });

    it('lists every permission set of the user', async () => {
      const { gateway, world } = current();
      const { actingUser } = await gateway.readDealContext(
        contextQuery(world, { actingUserId: world.id.channelManager }),
      );
      expect([...(actingUser?.permissionSets ?? [])].sort()).toEqual([
        'Cosell_Channel_Manager',
        'Cosell_Seller',
      ]);
    });

    it('returns nulls for an unknown deal and user', async () => {
      const { gateway, world } = current();
      const context = await gateway.readDealContext(
        contextQuery(world, {
          dealId: world.ids.id('Opportunity', 999),
          actingUserId: world.ids.id('User', 999),
        }),
      );
      expect(context.deal).toBeNull();
      expect(context.actingUser).toBeNull();
      expect(context.teamMemberIds).toEqual([]);
      expect(context.pendingRequest).toBeNull();
    });

    it('returns the pending request', async () => {
      const { gateway, world } = current();
      const created = await gateway.createRequest(newRequest(world));
      const context = await gateway.readDealContext(
        contextQuery(world, { actingUserId: world.id.partnerSeller }),
      );
      expect(context.pendingRequest?.id).toBe(created.id);
      expect(context.request).toBeNull();
      expect(context.requester).toBeNull();
    });

    it('finds the deal through a named request', async () => {
      const { gateway, world } = current();
      const created = await gateway.createRequest(newRequest(world));
      await gateway.closeRequest({
        id: created.id,
        status: 'Rejected',
        respondedById: world.id.partnerSeller,
        respondedAt: '2026-12-02T10:00:00.000Z',
        responseReason: 'Qualification call not held yet',
      });
      const context = await gateway.readDealContext(
        contextQuery(world, {
          dealId: undefined,
          requestId: created.id,
          actingUserId: world.id.partnerSeller,
        }),
      );
      expect(context.deal?.Id).toBe(world.id.deal);
      expect(context.request?.id).toBe(created.id);
      expect(context.request?.status).toBe('Rejected');
      expect(context.pendingRequest).toBeNull();
      expect(context.requester?.id).toBe(created.requestedById);
      expect(context.requester?.permissionSets).toEqual(['Cosell_Seller']);
    });

    it('returns a live idempotency record', async () => {
      const { gateway, world } = current();
      const record = idempotencyRecord('caller-1:key-live');
      await gateway.createRequest(newRequest(world), record);
      const context = await gateway.readDealContext(
        contextQuery(world, { idempotencyKey: record.key }),
      );
      expect(context.idempotency).toEqual(record);
    });

    it('ignores an expired idempotency record', async () => {
      const { gateway, world } = current();
      const record = idempotencyRecord(
        'caller-1:key-old',
        '2001-01-01T00:00:00.000Z',
      );
      await gateway.createRequest(newRequest(world), record);
      const context = await gateway.readDealContext(
        contextQuery(world, { idempotencyKey: record.key }),
      );
      expect(context.idempotency).toBeNull();
    });
  });
}

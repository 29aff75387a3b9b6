import type { IdempotencyRecord } from '../../../middleware/src/domain/cosell.js';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import { toId18 } from '../../../middleware/src/domain/salesforce-id.js';
import type { OrgSchema } from '../../../middleware/src/domain/schema.js';
import type {
  DealContextQuery,
  DealQueryPlan,
  MoveWrite,
  NewStageRequest,
} from '../../../middleware/src/org/gateway.js';

/** Records of one object to seed, with their Ids supplied. */
export interface SeedBatch {
  objectName: string;
  records: RecordData[];
}

/**
 * Builds Ids from the store's own key prefixes, because a custom object's prefix
 * differs from org to org: the n-th record of an object always gets the same Id.
 */
export class IdMaker {
  constructor(private readonly schema: OrgSchema) {}

  id(objectName: string, n: number): string {
    const prefix = this.schema[objectName]?.keyPrefix;
    if (!prefix)
      throw new Error(`The schema has no key prefix for ${objectName}`);
    return toId18(`${prefix}${String(n).padStart(12, '0')}`);
  }
}

/** The plan the suite reads deals with: plain fields, lookups one and two deep, children. */
export const PLAN: DealQueryPlan = {
  dealFields: [
    'Id',
    'Name',
    'Amount',
    'IsClosed',
    'CloseDate',
    'Cosell_Stage__c',
    'Cosell_Stage_Version__c',
    'Cosell_Stage_Entered_At__c',
    'Partner_Account__c',
    'Partner_Account__r.Name',
    'Owner.Name',
    'Partner_Owner__r.Account.Name',
  ],
  children: {
    Close_Plan_Steps__r: ['Id', 'Owner_Side__c', 'Due_Date__c'],
    Deal_Approvals__r: [
      'Id',
      'Type__c',
      'Owner__c',
      'Owner__r.AccountId',
      'Handoff_Counterpart__r.AccountId',
    ],
    Deal_Partners__r: [
      'Id',
      'Role__c',
      'Split_Percent__c',
      'Partner_Account__r.Name',
    ],
    Joint_Qualifications__r: ['Id', 'Need__c'],
  },
};

/**
 * Builds a small org. It has a customer and two partner accounts, a vendor seller,
 * a partner seller and a channel manager with their permission sets, and three
 * deals: one with children and a team member, one open without children, and one
 * closed.
 */
export function buildWorld(schema: OrgSchema) {
  const ids = new IdMaker(schema);
  const id = {
    customer: ids.id('Account', 1),
    partner: ids.id('Account', 2),
    influencer: ids.id('Account', 3),
    partnerContact: ids.id('Contact', 1),
    vendor: ids.id('User', 1),
    partnerSeller: ids.id('User', 2),
    channelManager: ids.id('User', 3),
    deal: ids.id('Opportunity', 1),
    otherDeal: ids.id('Opportunity', 2),
    closedDeal: ids.id('Opportunity', 3),
    sellerSet: ids.id('PermissionSet', 1),
    partnerSet: ids.id('PermissionSet', 2),
    managerSet: ids.id('PermissionSet', 3),
  };
  const user = (n: string, name: string, extra: RecordData): RecordData => ({
    Id: n,
    Name: name,
    Username: `${name.toLowerCase().replace(/ /g, '.')}@cosell.example`,
    Email: `${name.toLowerCase().replace(/ /g, '.')}@cosell.example`,
    IsActive: true,
    ...extra,
  });
  const deal = (n: string, name: string, extra: RecordData): RecordData => ({
    Id: n,
    Name: name,
    AccountId: id.customer,
    OwnerId: id.vendor,
    StageName: 'Qualification',
    CloseDate: '2027-03-31',
    CurrencyIsoCode: 'USD',
    IsClosed: false,
    IsWon: false,
    Cosell_Model__c: 'Default',
    Cosell_Stage__c: 'Registered',
    Cosell_Stage_Version__c: 1,
    Cosell_Stage_Entered_At__c: '2026-11-02T09:30:00Z',
    Partner_Account__c: id.partner,
    Vendor_Owner__c: id.vendor,
    ...extra,
  });
  const batches: SeedBatch[] = [
    {
      objectName: 'Account',
      records: [
        { Id: id.customer, Name: 'Northwind Traders' },
        { Id: id.partner, Name: 'Acme Cloud Partners', IsPartner: true },
        { Id: id.influencer, Name: 'Beta Integrators', IsPartner: true },
      ],
    },
    {
      objectName: 'User',
      records: [
        user(id.vendor, 'Vera Vendor', { UserType: 'Standard' }),
        user(id.channelManager, 'Chris Channel', { UserType: 'Standard' }),
      ],
    },
    {
      objectName: 'Contact',
      records: [
        {
          Id: id.partnerContact,
          AccountId: id.partner,
          FirstName: 'Pat',
          LastName: 'Partner',
          OwnerId: id.vendor,
        },
      ],
    },
    {
      objectName: 'User',
      records: [
        user(id.partnerSeller, 'Pat Partner', {
          UserType: 'PowerPartner',
          ContactId: id.partnerContact,
          AccountId: id.partner,
        }),
      ],
    },
    {
      objectName: 'PermissionSet',
      records: [
        { Id: id.sellerSet, Name: 'Cosell_Seller', Label: 'Co-sell Seller' },
        {
          Id: id.partnerSet,
          Name: 'Cosell_Partner_Seller',
          Label: 'Co-sell Partner Seller',
        },
        {
          Id: id.managerSet,
          Name: 'Cosell_Channel_Manager',
          Label: 'Co-sell Channel Manager',
        },
      ],
    },
    {
      objectName: 'PermissionSetAssignment',
      records: [
        [1, id.vendor, id.sellerSet],
        [2, id.partnerSeller, id.partnerSet],
        [3, id.channelManager, id.managerSet],
        [4, id.channelManager, id.sellerSet],
      ].map(([n, assignee, set]) => ({
        Id: ids.id('PermissionSetAssignment', n as number),
        AssigneeId: assignee,
        PermissionSetId: set,
      })),
    },
    {
      objectName: 'Opportunity',
      records: [
        deal(id.deal, 'Northwind platform renewal', {
          Amount: 125000.5,
          Partner_Owner__c: id.partnerSeller,
        }),
        deal(id.otherDeal, 'Northwind analytics pilot', { Amount: 18000 }),
        deal(id.closedDeal, 'Northwind security audit', {
          StageName: 'Closed Lost',
          IsClosed: true,
          Cosell_Stage__c: 'Closed_Lost',
        }),
      ],
    },
    {
      objectName: 'OpportunityTeamMember',
      records: [
        {
          Id: ids.id('OpportunityTeamMember', 1),
          OpportunityId: id.deal,
          UserId: id.channelManager,
          TeamMemberRole: 'Channel Manager',
        },
      ],
    },
    {
      objectName: 'Close_Plan_Step__c',
      records: [
        ['Customer', '2027-01-15'],
        ['Vendor', '2027-02-01'],
      ].map(([side, due], index) => ({
        Id: ids.id('Close_Plan_Step__c', index + 1),
        Name: `Step ${index + 1}`,
        Opportunity__c: id.deal,
        Step__c: `${side} signs off`,
        Owner_Side__c: side,
        Due_Date__c: due,
      })),
    },
    {
      objectName: 'Deal_Approval__c',
      records: [
        {
          Id: ids.id('Deal_Approval__c', 1),
          Name: 'Legal review',
          Opportunity__c: id.deal,
          Type__c: 'Legal',
          Owner__c: id.vendor,
          Handoff_Counterpart__c: id.partnerSeller,
        },
      ],
    },
    {
      objectName: 'Deal_Partner__c',
      records: [
        [id.partner, 'Sourcing', 60],
        [id.influencer, 'Influencing', 40],
      ].map(([account, role, split], index) => ({
        Id: ids.id('Deal_Partner__c', index + 1),
        Name: `${role} partner`,
        OwnerId: id.vendor,
        Opportunity__c: id.deal,
        Partner_Account__c: account as string,
        Role__c: role as string,
        Split_Percent__c: split as number,
      })),
    },
  ];
  return { id, ids, batches };
}

export type World = ReturnType<typeof buildWorld>;

/** Builds a pending Advance request from the vendor seller; `overrides` change any field. */
export function newRequest(
  world: World,
  overrides: Partial<NewStageRequest> = {},
): NewStageRequest {
  return {
    dealId: world.id.deal,
    fromStage: 'Registered',
    toStage: 'Jointly_Qualified',
    kind: 'Advance',
    requestedById: world.id.vendor,
    requestingSide: 'Vendor',
    status: 'Pending',
    respondedById: null,
    respondedAt: null,
    reason: 'Registration approved and owners set',
    responseReason: null,
    expiresAt: '2099-01-01T00:00:00.000Z',
    createdAt: '2026-12-01T08:00:00.000Z',
    idempotencyKey: null,
    evaluationSnapshot: '[{"name":"registered","met":true}]',
    dealVersion: 1,
    ...overrides,
  };
}

/** Builds the partner seller's confirmation of `requestId`, moving the deal from version 1 to 2. */
export function confirmMove(
  world: World,
  requestId: string | null,
  overrides: Partial<MoveWrite> = {},
): MoveWrite {
  const at = '2026-12-02T10:15:00.000Z';
  return {
    dealId: world.id.deal,
    expectedVersion: 1,
    toStage: 'Jointly_Qualified',
    enteredAt: at,
    transition: {
      dealId: world.id.deal,
      fromStage: 'Registered',
      toStage: 'Jointly_Qualified',
      requestId,
      requestedById: world.id.vendor,
      confirmedById: world.id.partnerSeller,
      at,
      evidenceSnapshot: '[{"name":"registered","met":true}]',
      attributionSnapshot: null,
      oneSided: false,
      key: `move:${requestId ?? 'none'}:2`,
      version: 2,
    },
    request: requestId
      ? {
          id: requestId,
          status: 'Applied',
          respondedById: world.id.partnerSeller,
          respondedAt: at,
          evaluationSnapshot: '[{"name":"registered","met":true}]',
        }
      : null,
    ...overrides,
  };
}

/** Builds an idempotency record that expires at `expiresAt`. */
export function idempotencyRecord(
  key: string,
  expiresAt = '2099-01-01T00:00:00.000Z',
): IdempotencyRecord {
  return {
    key,
    fingerprint: 'f'.repeat(64),
    responseStatus: 201,
    responseBody: '{"requestId":"x"}',
    expiresAt,
  };
}

/** Builds a read of the main deal by the vendor seller with `PLAN`; `overrides` change any part. */
export function contextQuery(
  world: World,
  overrides: Partial<DealContextQuery> = {},
): DealContextQuery {
  return {
    dealId: world.id.deal,
    actingUserId: world.id.vendor,
    plan: PLAN,
    ...overrides,
  };
}

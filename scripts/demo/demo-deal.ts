import type { RecordData } from '../../middleware/src/domain/records.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { generateId } from '../../middleware/src/domain/salesforce-id.js';
import type { OrgGateway } from '../../middleware/src/org/gateway.js';

/** The store calls the demo uses to write evidence, as sellers would in Salesforce. */
export interface EvidenceStore {
  upsertRecords(objectName: string, records: RecordData[]): unknown;
  describeSchema: OrgGateway['describeSchema'];
}

export interface DemoDeal {
  dealId: string;
  name: string;
  vendorSeller: string;
  vendorColleague: string;
  partnerSeller: string;
  qualificationId: string;
  keyPrefixOf: (objectName: string) => string;
}

/** Ids of the seeded demo people the walk-through acts as. */
export const DEMO_USERS = {
  vendorSeller: demoId('005', 1),
  vendorColleague: demoId('005', 2),
  partnerSeller: demoId('005', 100),
  channelManager: demoId('005', 10),
  partnerAccount: demoId('001', 100),
  customerAccount: demoId('001', 5),
};

/**
 * Creates a fresh deal at the first stage with an approved, conflict-free
 * registration and both owners, and a joint qualification that the partner has not
 * confirmed yet, so the second advance is blocked until the demo records it.
 */
export async function createDemoDeal(store: EvidenceStore): Promise<DemoDeal> {
  const schema = await store.describeSchema();
  const keyPrefixOf = (objectName: string) => {
    const prefix = schema[objectName]?.keyPrefix;
    if (!prefix) throw new Error(`The store schema has no ${objectName}`);
    return prefix;
  };
  // Random Ids, so deals made within one millisecond (as the benchmark does) differ.
  const dealId = generateId(keyPrefixOf('Opportunity'));
  const name = `Demo: Initech data platform ${dealId.slice(-6, -3)}`;
  const now = new Date().toISOString();
  await store.upsertRecords('Opportunity', [
    {
      Id: dealId,
      Name: name,
      AccountId: DEMO_USERS.customerAccount,
      OwnerId: DEMO_USERS.vendorSeller,
      StageName: 'Prospecting',
      IsWon: false,
      IsClosed: false,
      Amount: '240000.00',
      CurrencyIsoCode: 'USD',
      CloseDate: new Date(Date.now() + 60 * 86_400_000)
        .toISOString()
        .slice(0, 10),
      Cosell_Stage__c: 'Registered',
      Cosell_Model__c: 'Default',
      Cosell_Stage_Entered_At__c: now,
      Cosell_Stage_Version__c: 1,
      Partner_Account__c: DEMO_USERS.partnerAccount,
      Vendor_Owner__c: DEMO_USERS.vendorSeller,
      Partner_Owner__c: DEMO_USERS.partnerSeller,
    },
  ]);
  await store.upsertRecords('OpportunityTeamMember', [
    {
      Id: generateId(keyPrefixOf('OpportunityTeamMember')),
      OpportunityId: dealId,
      UserId: DEMO_USERS.vendorColleague,
      TeamMemberRole: 'Pre-Sales Consultant',
    },
  ]);
  await store.upsertRecords('Deal_Registration__c', [
    {
      Id: generateId(keyPrefixOf('Deal_Registration__c')),
      Customer_Company__c: 'Initech Financial',
      Customer_Website__c: 'https://initechfinancial.example',
      Customer_Country__c: 'United States',
      Product_Line__c: 'Platform',
      Amount__c: '240000.00',
      CurrencyIsoCode: 'USD',
      Status__c: 'Converted',
      Conflict_Status__c: 'Clear',
      Conflict_Matches__c: '[]',
      Opportunity__c: dealId,
      Partner_Account__c: DEMO_USERS.partnerAccount,
      Submitted_By__c: DEMO_USERS.partnerSeller,
    },
  ]);
  const qualificationId = generateId(keyPrefixOf('Joint_Qualification__c'));
  await store.upsertRecords('Joint_Qualification__c', [
    {
      Id: qualificationId,
      Opportunity__c: dealId,
      Need__c:
        'Replace three regional warehouses with one platform before the audit.',
      Budget__c: 'USD 250k approved in the FY27 plan.',
      Reason_To_Act__c: 'The current contract ends in March.',
      Joint_Value__c: 'Partner migration services plus platform licences.',
      Vendor_Confirmed_By__c: DEMO_USERS.vendorSeller,
      Vendor_Confirmed_At__c: now,
      Partner_Confirmed_By__c: null,
      Partner_Confirmed_At__c: null,
    },
  ]);
  return {
    dealId,
    name,
    vendorSeller: DEMO_USERS.vendorSeller,
    vendorColleague: DEMO_USERS.vendorColleague,
    partnerSeller: DEMO_USERS.partnerSeller,
    qualificationId,
    keyPrefixOf,
  };
}

/** The evidence each later stage needs, written just before the demo asks for it. */
export async function recordLaterEvidence(
  store: EvidenceStore,
  deal: DemoDeal,
  stage: 'Validating' | 'Negotiating' | 'Closed_Attributed',
): Promise<string> {
  const id = (objectName: string) => generateId(deal.keyPrefixOf(objectName));
  const now = new Date().toISOString();
  if (stage === 'Validating') {
    await store.upsertRecords('Opportunity', [
      { Id: deal.dealId, Customer_Evaluation_Confirmed_At__c: now },
    ]);
    await store.upsertRecords('Close_Plan_Step__c', [
      {
        Id: id('Close_Plan_Step__c'),
        Opportunity__c: deal.dealId,
        Step__c: 'Customer CIO signs the evaluation summary',
        Owner_Side__c: 'Customer',
        Status__c: 'Done',
      },
    ]);
    return 'the customer confirmed the evaluation and owns a close-plan step';
  }
  if (stage === 'Negotiating') {
    await store.upsertRecords('Deal_Approval__c', [
      {
        Id: id('Deal_Approval__c'),
        Opportunity__c: deal.dealId,
        Type__c: 'Pricing',
        Owner__c: deal.vendorSeller,
        Handoff_Counterpart__c: deal.partnerSeller,
        Status__c: 'Approved',
      },
    ]);
    return 'a pricing approval with a vendor owner and a partner counterpart';
  }
  await store.upsertRecords('Opportunity', [
    { Id: deal.dealId, StageName: 'Closed Won', IsWon: true, IsClosed: true },
  ]);
  await store.upsertRecords('Deal_Partner__c', [
    {
      Id: id('Deal_Partner__c'),
      Opportunity__c: deal.dealId,
      Partner_Account__c: DEMO_USERS.partnerAccount,
      Role__c: 'Sourcing',
      Split_Percent__c: '100.00',
    },
  ]);
  return 'the deal is won in the direct-sales view and the sourcing partner has 100 %';
}

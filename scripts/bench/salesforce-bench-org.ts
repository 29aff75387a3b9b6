/**
 * The org the Salesforce benchmark and tests run on: the stand-in seeded with
 * the force-app stage models, a vendor seller, a partner user and deals whose
 * first stage's exit criteria hold.
 */
import { readModelSource } from '../../middleware/src/org/force-app/index.js';
import type { StandIn } from '../../test/salesforce-stand-in/index.js';

export const SELLER_USER = 'seller@stand-in.example';

/** Ids of the users and accounts a benchmark deal names. */
export interface People {
  sellerId: string;
  partnerUserId: string;
  partnerAccountId: string;
  customerId: string;
}

/** Inserts the customer and partner accounts and the partner user; the seller is a stand-in default. */
export function seedPeople(standIn: StandIn): People {
  const sellerId = standIn.users.find((u) => u.username === SELLER_USER)!.id;
  const customerId = standIn.records.insert('Account', {
    Name: 'Northwind Traders',
  });
  const partnerAccountId = standIn.records.insert('Account', {
    Name: 'Acme Cloud Partners',
    IsPartner: true,
  });
  const partnerUserId = standIn.addUser({
    username: 'partner@stand-in.example',
    name: 'Pat Partner',
    userType: 'PowerPartner',
    accountId: partnerAccountId,
    contactId: standIn.records.insert('Contact', {
      AccountId: partnerAccountId,
      LastName: 'Partner',
      Name: 'Pat Partner',
    }),
    permissionSets: ['Cosell_Partner_Seller'],
  }).id;
  return { sellerId, partnerUserId, partnerAccountId, customerId };
}

/** Inserts a deal at `Registered` whose exit criteria hold, with its children. */
export function seedReadyDeal(standIn: StandIn, people: People): string {
  const dealId = standIn.records.insert('Opportunity', dealFields(people, 0));
  for (const row of childRows(people, dealId)) {
    standIn.records.insert(row.type, row.fields);
  }
  return dealId;
}

function dealFields(people: People, index: number) {
  return {
    Name: `Northwind deal ${index}`,
    AccountId: people.customerId,
    StageName: 'Qualification',
    CloseDate: '2027-03-31',
    Amount: 125000.5 + index,
    Cosell_Stage__c: 'Registered',
    Cosell_Model__c: 'Default',
    Cosell_Stage_Version__c: 1,
    Cosell_Stage_Entered_At__c: '2026-11-02T09:30:00.000Z',
    Partner_Account__c: people.partnerAccountId,
    Vendor_Owner__c: people.sellerId,
    Partner_Owner__c: people.partnerUserId,
  };
}

function childRows(people: People, dealId: string) {
  return [
    {
      type: 'Deal_Registration__c',
      fields: {
        Opportunity__c: dealId,
        Partner_Account__c: people.partnerAccountId,
        Customer_Company__c: 'Northwind Traders',
        Status__c: 'Approved',
        Conflict_Status__c: 'Clear',
      },
    },
    {
      type: 'Deal_Partner__c',
      fields: {
        Opportunity__c: dealId,
        Partner_Account__c: people.partnerAccountId,
        Role__c: 'Sourcing',
        Split_Percent__c: 100,
      },
    },
  ];
}

/** Inserts `count` more open deals like the ready one, in batches of 5,000. */
export function seedOpenDeals(
  standIn: StandIn,
  people: People,
  count: number,
): void {
  const batch = 5_000;
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const ids = standIn.records.insertMany(
      'Opportunity',
      Array.from({ length: size }, (_, i) => dealFields(people, start + i)),
    );
    for (const type of ['Deal_Registration__c', 'Deal_Partner__c']) {
      standIn.records.insertMany(
        type,
        ids.map(
          (dealId) =>
            childRows(people, dealId).find((row) => row.type === type)!.fields,
        ),
      );
    }
  }
}

/**
 * Inserts the stage models of a force-app folder into the stand-in as custom
 * metadata records, as a deploy would create them; tests use it too.
 */
export async function seedStageModels(
  standIn: StandIn,
  packageDir: string,
): Promise<void> {
  const source = await readModelSource(packageDir);
  const names = (developerName: string, label: string) => ({
    DeveloperName: developerName,
    QualifiedApiName: developerName,
    MasterLabel: label,
    Label: label,
  });
  const modelIds = new Map<string, string>();
  for (const model of source.models) {
    modelIds.set(
      model.developerName,
      standIn.records.insert('Cosell_Model__mdt', {
        ...names(model.developerName, model.label),
        Request_Expiry_Hours__c: model.requestExpiryHours,
        Registration_Expiry_Days__c: model.registrationExpiryDays,
        Vendor_Only_Fields__c: model.vendorOnlyFields.join('\n'),
        Description__c: model.description ?? null,
      }),
    );
  }
  const stageIds = new Map<string, string>();
  for (const stage of source.stages) {
    stageIds.set(
      stage.developerName,
      standIn.records.insert('Cosell_Stage__mdt', {
        ...names(stage.developerName, stage.label),
        Model__c: modelIds.get(stage.model),
        Stage_Value__c: stage.value,
        Order__c: stage.order,
        Probability__c: stage.probability,
        Forecast_Category__c: stage.forecastCategory,
        Stall_Days__c: stage.stallDays,
        Is_Closed__c: stage.closed,
        Is_Won__c: stage.won,
      }),
    );
  }
  for (const criterion of source.criteria) {
    standIn.records.insert('Exit_Criterion__mdt', {
      ...names(criterion.developerName, criterion.label),
      Stage__c: stageIds.get(criterion.stage),
      Kind__c: criterion.kind,
      Formula__c: criterion.formula,
      Rule_Text__c: criterion.ruleText,
      Evidence_Label__c: criterion.evidenceLabel,
      Order__c: criterion.order,
      Is_Active__c: criterion.active,
    });
  }
}

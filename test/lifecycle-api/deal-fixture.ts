import { demoId } from '../../middleware/src/demo/demo-people.js';
import type { RecordData } from '../../middleware/src/domain/records.js';
import { PEOPLE } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';

const ORDER = ['Registered', 'Jointly_Qualified', 'Validating', 'Negotiating'];
const DAY = 86_400_000;
let counter = 0;

export interface FixtureDeal {
  dealId: string;
  qualificationId: string;
  id(objectName: string): string;
}

/**
 * Writes a deal of the first demo partner at `stage` with the evidence of every
 * stage it has left and one transition into each stage, the last at `enteredAt`.
 */
export async function createFixtureDeal(
  app: LifecycleTestApp,
  stage: string,
  enteredAt: string,
  extra: RecordData = {},
): Promise<FixtureDeal> {
  counter += 1;
  const base = 700_000 + counter * 20;
  let n = 0;
  const id = (objectName: string) =>
    demoId(app.lc.cosell.schema[objectName]!.keyPrefix, base + n++);
  const dealId = id('Opportunity');
  const reached = ORDER.slice(0, ORDER.indexOf(stage) + 1);
  const write = (objectName: string, records: RecordData[]) =>
    app.gateway.upsertRecords(objectName, records);
  await write('Opportunity', [
    {
      Id: dealId,
      Name: `Fixture deal ${counter}`,
      OwnerId: PEOPLE.vendorSeller,
      StageName: 'Prospecting',
      IsWon: false,
      IsClosed: false,
      Amount: '50000.00',
      CurrencyIsoCode: 'USD',
      CloseDate: new Date(Date.parse(enteredAt) + 30 * DAY)
        .toISOString()
        .slice(0, 10),
      Cosell_Stage__c: stage,
      Cosell_Model__c: 'Default',
      Cosell_Stage_Entered_At__c: enteredAt,
      Cosell_Stage_Version__c: reached.length,
      Partner_Account__c: PEOPLE.partnerAccount,
      Vendor_Owner__c: PEOPLE.vendorSeller,
      Partner_Owner__c: PEOPLE.partnerSeller,
      Customer_Evaluation_Confirmed_At__c: enteredAt,
      ...extra,
    },
  ]);
  await write('Deal_Registration__c', [
    {
      Id: id('Deal_Registration__c'),
      Customer_Company__c: `Fixture Customer ${counter}`,
      Customer_Country__c: 'Canada',
      Product_Line__c: 'Services',
      Amount__c: '50000.00',
      CurrencyIsoCode: 'USD',
      Status__c: 'Converted',
      Conflict_Status__c: 'Clear',
      Conflict_Matches__c: '[]',
      Opportunity__c: dealId,
      Partner_Account__c: PEOPLE.partnerAccount,
      Submitted_By__c: PEOPLE.partnerSeller,
    },
  ]);
  const qualificationId = id('Joint_Qualification__c');
  await write('Joint_Qualification__c', [
    {
      Id: qualificationId,
      Opportunity__c: dealId,
      Need__c: 'A need',
      Budget__c: 'A budget',
      Reason_To_Act__c: 'A reason',
      Joint_Value__c: 'A joint value',
      Vendor_Confirmed_By__c: PEOPLE.vendorSeller,
      Vendor_Confirmed_At__c: enteredAt,
      Partner_Confirmed_By__c: PEOPLE.partnerSeller,
      Partner_Confirmed_At__c: enteredAt,
    },
  ]);
  await write('Close_Plan_Step__c', [
    {
      Id: id('Close_Plan_Step__c'),
      Opportunity__c: dealId,
      Step__c: 'Customer signs the evaluation',
      Owner_Side__c: 'Customer',
      Status__c: 'Done',
    },
  ]);
  await write(
    'Stage_Transition__c',
    reached.map((to, index) => ({
      Id: id('Stage_Transition__c'),
      Opportunity__c: dealId,
      From_Stage__c: index === 0 ? null : reached[index - 1]!,
      To_Stage__c: to,
      Requested_By__c: PEOPLE.partnerSeller,
      Confirmed_By__c: PEOPLE.vendorSeller,
      Transitioned_At__c: new Date(
        Date.parse(enteredAt) - (reached.length - 1 - index) * 10 * DAY,
      ).toISOString(),
      Evidence_Snapshot__c: '[]',
      One_Sided__c: false,
      Key__c: `fixture:${dealId}:${index}`,
      Version__c: index + 1,
    })),
  );
  return { dealId, qualificationId, id };
}

/**
 * Writes an approved pricing approval with a cross-side handoff on `deal`, so
 * the exit criteria of Negotiating hold.
 */
export async function addApprovedApproval(
  app: LifecycleTestApp,
  deal: FixtureDeal,
): Promise<void> {
  await app.gateway.upsertRecords('Deal_Approval__c', [
    {
      Id: deal.id('Deal_Approval__c'),
      Opportunity__c: deal.dealId,
      Type__c: 'Pricing',
      Owner__c: PEOPLE.vendorSeller,
      Handoff_Counterpart__c: PEOPLE.partnerSeller,
      Status__c: 'Approved',
    },
  ]);
}

import type { StageModels } from './stage-model.js';

export interface DealQueryPlanShape {
  dealFields: string[];
  children: Record<string, string[]>;
}

/** Fields every deal read returns, whatever the criteria read. */
const BASE_DEAL_FIELDS = [
  'Id',
  'Name',
  'OwnerId',
  'AccountId',
  'StageName',
  'IsWon',
  'IsClosed',
  'Amount',
  'CurrencyIsoCode',
  'CloseDate',
  'Cosell_Stage__c',
  'Cosell_Model__c',
  'Cosell_Stage_Entered_At__c',
  'Cosell_Stage_Version__c',
  'Partner_Account__c',
  'Partner_Account__r.Name',
  'Vendor_Owner__c',
  'Vendor_Owner__r.Name',
  'Partner_Owner__c',
  'Partner_Owner__r.Name',
  'Customer_Evaluation_Confirmed_At__c',
  'Closed_Lost_Reason__c',
];

const BASE_CHILDREN: Record<string, string[]> = {
  Deal_Partners__r: ['Id', 'Partner_Account__c', 'Role__c', 'Split_Percent__c'],
};

/**
 * The union of the fields the API shows and the fields every criterion of every
 * model reads, so one query per deal serves any evaluation.
 */
export function buildDealQueryPlan(models: StageModels): DealQueryPlanShape {
  const dealFields = new Set(BASE_DEAL_FIELDS);
  const children = new Map<string, Set<string>>();
  for (const [relationship, fields] of Object.entries(BASE_CHILDREN)) {
    children.set(relationship, new Set(fields));
  }
  for (const model of models.values()) {
    for (const field of model.vendorOnlyFields) dealFields.add(field);
    for (const stage of model.stages) {
      for (const criterion of [
        ...stage.exitCriteria,
        ...stage.closingCriteria,
      ]) {
        for (const path of criterion.compiled.fieldPaths) dealFields.add(path);
        for (const [relationship, paths] of Object.entries(
          criterion.compiled.childFieldPaths,
        )) {
          const set = children.get(relationship) ?? new Set(['Id']);
          for (const path of paths) set.add(path);
          children.set(relationship, set);
        }
      }
    }
  }
  return {
    dealFields: [...dealFields],
    children: Object.fromEntries(
      [...children].map(([relationship, set]) => [relationship, [...set]]),
    ),
  };
}

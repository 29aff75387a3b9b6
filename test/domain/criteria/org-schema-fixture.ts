import type {
  ChildRelationshipSchema,
  FieldSchema,
  FieldType,
  ObjectSchema,
  OrgSchema,
} from '../../../middleware/src/domain/schema.js';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import { compileFormula } from '../../../middleware/src/domain/criteria/index.js';
import type {
  CompiledFormula,
  EvaluationEnv,
  FormulaResult,
} from '../../../middleware/src/domain/criteria/index.js';

function field(
  name: string,
  type: FieldType,
  extra: Partial<FieldSchema> = {},
): FieldSchema {
  return { name, type, label: name, custom: name.endsWith('__c'), ...extra };
}

function lookup(
  name: string,
  relationshipName: string,
  ...referenceTo: string[]
): FieldSchema {
  return field(name, 'reference', { relationshipName, referenceTo });
}

function picklist(
  name: string,
  values: string[],
  restrictedPicklist: boolean,
): FieldSchema {
  return field(name, 'picklist', {
    picklistValues: values,
    restrictedPicklist,
  });
}

function child(
  relationshipName: string,
  childSObject: string,
  lookupField = 'Opportunity__c',
): ChildRelationshipSchema {
  return { relationshipName, childSObject, field: lookupField };
}

function object(
  name: string,
  keyPrefix: string,
  fields: FieldSchema[],
  children: ChildRelationshipSchema[] = [],
): ObjectSchema {
  return {
    name,
    label: name,
    custom: name.endsWith('__c'),
    keyPrefix,
    fields: Object.fromEntries(fields.map((f) => [f.name, f])),
    childRelationships: Object.fromEntries(
      children.map((c) => [c.relationshipName, c]),
    ),
  };
}

const toOpportunity = lookup('Opportunity__c', 'Opportunity__r', 'Opportunity');

/**
 * Small org schema for the criteria tests: Opportunity with fields of every
 * supported type, its lookups to Account and User, and its co-sell children. A few
 * fields exist to exercise errors: a polymorphic lookup, and a lookup and a child
 * relationship to objects outside the schema. Regions__c is a multi-select picklist.
 */
export const schema: OrgSchema = {
  Opportunity: object(
    'Opportunity',
    '006',
    [
      field('Id', 'id'),
      field('Name', 'string'),
      field('NextStep', 'string'),
      field('Description', 'textarea'),
      lookup('AccountId', 'Account', 'Account'),
      lookup('OwnerId', 'Owner', 'User'),
      lookup('CampaignId', 'Campaign', 'Campaign'),
      field('IsWon', 'boolean'),
      field('IsClosed', 'boolean'),
      field('Amount', 'currency'),
      field('Probability', 'percent'),
      field('TotalOpportunityQuantity', 'double'),
      field('CloseDate', 'date'),
      field('CreatedDate', 'datetime'),
      picklist(
        'StageName',
        ['Prospecting', 'Closed Won', 'Closed Lost'],
        false,
      ),
      picklist(
        'Cosell_Stage__c',
        ['Registered', 'Jointly_Qualified', 'Validating', 'Negotiating'],
        true,
      ),
      field('Cosell_Stage_Version__c', 'double'),
      field('Cosell_Stage_Entered_At__c', 'datetime'),
      lookup('Partner_Account__c', 'Partner_Account__r', 'Account'),
      lookup('Vendor_Owner__c', 'Vendor_Owner__r', 'User'),
      lookup('Partner_Owner__c', 'Partner_Owner__r', 'User'),
      lookup('Last_Touched_By__c', 'Last_Touched_By__r', 'User', 'Group'),
      field('Customer_Evaluation_Confirmed_At__c', 'datetime'),
      picklist(
        'Closed_Lost_Reason__c',
        [
          'Price',
          'Competitor',
          'No Decision',
          'Timing',
          'Product Fit',
          'Other',
        ],
        false,
      ),
      field('Regions__c', 'multipicklist'),
    ],
    [
      child('Deal_Registrations__r', 'Deal_Registration__c'),
      child('Joint_Qualifications__r', 'Joint_Qualification__c'),
      child('Close_Plan_Steps__r', 'Close_Plan_Step__c'),
      child('Deal_Approvals__r', 'Deal_Approval__c'),
      child('Deal_Partners__r', 'Deal_Partner__c'),
      child('Stage_Requests__r', 'Stage_Request__c'),
    ],
  ),
  Account: object('Account', '001', [
    field('Id', 'id'),
    field('Name', 'string'),
    field('BillingCountry', 'string'),
    field('IsPartner', 'boolean'),
    lookup('OwnerId', 'Owner', 'User'),
  ]),
  User: object('User', '005', [
    field('Id', 'id'),
    field('Name', 'string'),
    lookup('AccountId', 'Account', 'Account'),
    field('IsActive', 'boolean'),
  ]),
  Deal_Registration__c: object('Deal_Registration__c', 'a01', [
    field('Id', 'id'),
    picklist(
      'Status__c',
      ['Submitted', 'Approved', 'Rejected', 'Expired', 'Converted'],
      true,
    ),
    picklist('Conflict_Status__c', ['Not Checked', 'Clear', 'Conflict'], false),
    field('Amount__c', 'currency'),
    field('Expires_At__c', 'datetime'),
    toOpportunity,
  ]),
  Joint_Qualification__c: object('Joint_Qualification__c', 'a02', [
    field('Id', 'id'),
    field('Need__c', 'textarea'),
    field('Budget__c', 'textarea'),
    field('Reason_To_Act__c', 'textarea'),
    field('Joint_Value__c', 'textarea'),
    lookup('Vendor_Confirmed_By__c', 'Vendor_Confirmed_By__r', 'User'),
    lookup('Partner_Confirmed_By__c', 'Partner_Confirmed_By__r', 'User'),
    toOpportunity,
  ]),
  Close_Plan_Step__c: object('Close_Plan_Step__c', 'a03', [
    field('Id', 'id'),
    field('Step__c', 'string'),
    picklist('Owner_Side__c', ['Customer', 'Vendor', 'Partner'], true),
    field('Due_Date__c', 'date'),
    toOpportunity,
  ]),
  Deal_Approval__c: object('Deal_Approval__c', 'a04', [
    field('Id', 'id'),
    picklist('Type__c', ['Pricing', 'Legal', 'Security'], true),
    lookup('Owner__c', 'Owner__r', 'User'),
    lookup('Handoff_Counterpart__c', 'Handoff_Counterpart__r', 'User'),
    toOpportunity,
  ]),
  Deal_Partner__c: object('Deal_Partner__c', 'a05', [
    field('Id', 'id'),
    lookup('Partner_Account__c', 'Partner_Account__r', 'Account'),
    picklist('Role__c', ['Sourcing', 'Influencing'], true),
    field('Split_Percent__c', 'percent'),
    toOpportunity,
  ]),
};

/** 2024-03-10T02:30:00Z: still 9 March in Los Angeles, already 10 March in Tokyo. */
export const env: EvaluationEnv = {
  now: new Date('2024-03-10T02:30:00Z'),
  timeZone: 'UTC',
};

/** Builds a deal with `fields` and every child relationship present and empty. */
export function deal(fields: RecordData = {}): RecordData {
  return {
    Id: '006000000000001AAA',
    Deal_Registrations__r: [],
    Joint_Qualifications__r: [],
    Close_Plan_Steps__r: [],
    Deal_Approvals__r: [],
    Deal_Partners__r: [],
    ...fields,
  };
}

export function compile(
  formula: string,
  criterionName = 'Test',
): CompiledFormula {
  return compileFormula(formula, {
    rootObject: 'Opportunity',
    schema,
    criterionName,
  });
}

/** Compiles `formula` and evaluates it once on `record`. */
export function run(
  formula: string,
  record: RecordData = deal(),
  evaluationEnv: EvaluationEnv = env,
): FormulaResult {
  return compile(formula).evaluate(record, evaluationEnv);
}

/** Compiles `formula` and returns its value on `record`. */
export function valueOf(
  formula: string,
  record: RecordData = deal(),
  evaluationEnv: EvaluationEnv = env,
): boolean | null {
  return run(formula, record, evaluationEnv).value;
}

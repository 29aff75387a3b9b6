import { beforeAll, describe, expect, test } from '@jest/globals';
import type { OrgSchema } from '../../../middleware/src/domain/schema.js';
import { readForceAppSchema } from '../../../middleware/src/org/force-app/index.js';

let schema: OrgSchema;

beforeAll(async () => {
  schema = await readForceAppSchema('force-app');
});

function field(object: string, name: string) {
  const found = schema[object]?.fields[name];
  if (!found) throw new Error(`${object}.${name} is not in the schema`);
  return found;
}

describe('readForceAppSchema on force-app', () => {
  test('key prefixes are real for standard objects', () => {
    const prefixes = Object.fromEntries(
      Object.values(schema)
        .filter((object) => !object.custom)
        .map((object) => [object.name, object.keyPrefix]),
    );
    expect(prefixes).toEqual({
      Opportunity: '006',
      Account: '001',
      Contact: '003',
      User: '005',
      OpportunityTeamMember: '00q',
      PermissionSetAssignment: '0Pa',
      PermissionSet: '0PS',
    });
  });

  test('key prefixes of custom objects are fixed', () => {
    expect(schema['Deal_Registration__c']?.keyPrefix).toBe('a01');
    expect(schema['Stage_Request__c']?.keyPrefix).toBe('a06');
    expect(schema['Stage_Transition__c']?.keyPrefix).toBe('a07');
    expect(schema['Idempotency_Record__c']?.keyPrefix).toBe('a08');
    const prefixes = Object.values(schema).map((object) => object.keyPrefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  test('Opportunity child relationships', () => {
    const children = schema['Opportunity']?.childRelationships ?? {};
    expect(Object.keys(children).sort()).toEqual([
      'Close_Plan_Steps__r',
      'Deal_Approvals__r',
      'Deal_Partners__r',
      'Deal_Registrations__r',
      'Joint_Qualifications__r',
      'OpportunityTeamMembers',
      'Stage_Requests__r',
      'Stage_Transitions__r',
    ]);
    expect(children['Close_Plan_Steps__r']).toEqual({
      relationshipName: 'Close_Plan_Steps__r',
      childSObject: 'Close_Plan_Step__c',
      field: 'Opportunity__c',
    });
    expect(children['Deal_Partners__r']?.childSObject).toBe('Deal_Partner__c');
    expect(children['OpportunityTeamMembers']?.field).toBe('OpportunityId');
  });

  test('lookups carry their own relationship name', () => {
    expect(field('Opportunity', 'Partner_Account__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Partner_Account__r',
      custom: true,
      nillable: true,
    });
    expect(field('Deal_Approval__c', 'Handoff_Counterpart__c')).toMatchObject({
      referenceTo: ['User'],
      relationshipName: 'Handoff_Counterpart__r',
    });
    expect(field('Close_Plan_Step__c', 'Opportunity__c')).toMatchObject({
      type: 'reference',
      nillable: false,
    });
  });

  test('standard fields the product reads exist', () => {
    expect(field('Opportunity', 'OwnerId').relationshipName).toBe('Owner');
    expect(field('Opportunity', 'AccountId').relationshipName).toBe('Account');
    expect(field('Opportunity', 'IsWon').type).toBe('boolean');
    expect(field('Opportunity', 'CreatedDate').type).toBe('datetime');
    expect(field('User', 'AccountId').referenceTo).toEqual(['Account']);
    expect(field('User', 'UserType').picklistValues).toEqual(
      expect.arrayContaining(['Standard', 'PowerPartner', 'CspLitePortal']),
    );
    expect(
      field('PermissionSetAssignment', 'PermissionSetId').relationshipName,
    ).toBe('PermissionSet');
    expect(field('Account', 'IsPartner').type).toBe('boolean');
  });

  test('every data object has CurrencyIsoCode', () => {
    const dataObjects = Object.values(schema).filter(
      (object) =>
        !object.name.endsWith('__mdt') &&
        !object.name.startsWith('PermissionSet') &&
        object.name !== 'OpportunityTeamMember',
    );
    for (const object of dataObjects) {
      expect([object.name, object.fields['CurrencyIsoCode']?.type]).toEqual([
        object.name,
        'picklist',
      ]);
    }
  });

  test('only objects without a master have an owner', () => {
    expect(field('Deal_Registration__c', 'OwnerId').referenceTo).toEqual([
      'User',
    ]);
    expect(field('Deal_Partner__c', 'OwnerId').type).toBe('reference');
    expect(schema['Stage_Request__c']?.fields['OwnerId']).toBeUndefined();
    expect(schema['Joint_Qualification__c']?.fields['OwnerId']).toBeUndefined();
  });

  test.each([
    ['Opportunity', 'Cosell_Stage_Version__c', 'int'],
    ['Opportunity', 'ACE_Customer_Business_Problem__c', 'textarea'],
    ['Opportunity', 'ACE_Delivery_Model__c', 'multipicklist'],
    ['Opportunity', 'Customer_Evaluation_Confirmed_At__c', 'datetime'],
    ['Deal_Registration__c', 'Amount__c', 'currency'],
    ['Deal_Registration__c', 'Customer_Website__c', 'url'],
    ['Deal_Registration__c', 'Expected_Close_Date__c', 'date'],
    ['Deal_Registration__c', 'Name', 'string'],
    ['Deal_Partner__c', 'Split_Percent__c', 'percent'],
    ['Stage_Transition__c', 'One_Sided__c', 'boolean'],
    ['Cosell_Stage__mdt', 'Probability__c', 'double'],
    ['Cosell_Stage__mdt', 'Model__c', 'reference'],
  ])('%s.%s maps to %s', (object, name, type) => {
    expect(field(object, name).type).toBe(type);
  });

  test('sizes, defaults and keys', () => {
    expect(field('Opportunity', 'Cosell_Stage_Version__c')).toMatchObject({
      precision: 18,
      scale: 0,
      defaultValue: 0,
    });
    expect(field('Opportunity', 'Cosell_Model__c')).toMatchObject({
      length: 40,
      defaultValue: 'Default',
    });
    expect(field('Stage_Request__c', 'Pending_Deal_Key__c')).toMatchObject({
      length: 18,
      externalId: true,
      unique: true,
    });
    expect(field('Stage_Transition__c', 'One_Sided__c')).toMatchObject({
      nillable: false,
      defaultValue: false,
    });
    expect(field('Deal_Registration__c', 'Status__c').defaultValue).toBe(
      'Submitted',
    );
    expect(field('Stage_Request__c', 'Reason__c').length).toBe(1000);
  });

  test('Cosell_Stage__c is a restricted picklist of every model', () => {
    const stage = field('Opportunity', 'Cosell_Stage__c');
    expect(stage.restrictedPicklist).toBe(true);
    expect(stage.picklistValues).toEqual([
      'Registered',
      'Jointly_Qualified',
      'Validating',
      'Negotiating',
      'Closed_Attributed',
      'Closed_Lost',
      'ACE_Prospect',
      'ACE_Qualified',
      'ACE_Technical_Validation',
      'ACE_Business_Validation',
      'ACE_Committed',
      'ACE_Launched',
    ]);
  });

  test('unrestricted picklist is flagged', () => {
    expect(field('Opportunity', 'Closed_Lost_Reason__c')).toMatchObject({
      restrictedPicklist: false,
      picklistValues: [
        'Price',
        'Competitor',
        'No Decision',
        'Timing',
        'Product Fit',
        'Other',
      ],
    });
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { StandIn } from '../salesforce-stand-in/index.js';
import { connect, seedDeal, startStandIn } from './stand-in-fixture.js';

async function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('stand-in sObject rows', () => {
  let standIn: StandIn;
  let dealId: string;

  beforeAll(async () => {
    standIn = await startStandIn();
    ({ dealId } = seedDeal(standIn));
  });

  afterAll(() => standIn.close());

  test('create, read, update and delete', async () => {
    const conn = connect(standIn);
    const created: any = await conn.sobject('Close_Plan_Step__c').create({
      Opportunity__c: dealId,
      Step__c: 'Security review',
      Owner_Side__c: 'Customer',
      Due_Date__c: '2025-05-01',
    });
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^a03\w{15}$/);
    const read: any = await conn
      .sobject('Close_Plan_Step__c')
      .retrieve(created.id);
    expect(read.Step__c).toBe('Security review');
    expect(read.Due_Date__c).toBe('2025-05-01');
    expect(read.CreatedDate).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/,
    );
    await conn
      .sobject('Close_Plan_Step__c')
      .update({ Id: created.id, Status__c: 'Done' });
    expect(
      standIn.records.get('Close_Plan_Step__c', created.id)?.Status__c,
    ).toBe('Done');
    await conn.sobject('Close_Plan_Step__c').destroy(created.id);
    const deletedRead = await failure(
      conn.sobject('Close_Plan_Step__c').retrieve(created.id),
    );
    expect(deletedRead.errorCode).toBe('ENTITY_IS_DELETED');
  });

  test('Ids are valid 18-character Ids', async () => {
    const { normalizeId } = await import('../salesforce-stand-in/index.js');
    expect(normalizeId(dealId)).toBe(dealId);
    expect(normalizeId(dealId.slice(0, 15))).toBe(dealId);
    expect(normalizeId(dealId.slice(0, 15) + 'ZZZ')).toBeNull();
    expect(normalizeId('006-not-an-id!!')).toBeNull();
  });

  test.each([
    [
      'an unknown field',
      { Opportunity__c: 'DEAL', Step__c: 'x', Foo__c: 1 },
      'INVALID_FIELD',
      "No such column 'Foo__c' on entity 'Close_Plan_Step__c'",
    ],
    [
      'a missing required field',
      { Step__c: 'x' },
      'REQUIRED_FIELD_MISSING',
      'Required fields are missing: [Opportunity__c]',
    ],
    [
      'a value outside a restricted picklist',
      { Opportunity__c: 'DEAL', Owner_Side__c: 'Reseller' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'bad value for restricted picklist field: Reseller',
    ],
    [
      'a malformed lookup Id',
      { Opportunity__c: '006XYZ' },
      'MALFORMED_ID',
      'id value of incorrect type: 006XYZ',
    ],
    [
      'a lookup to the wrong object',
      { Opportunity__c: 'ACCOUNT' },
      'FIELD_INTEGRITY_EXCEPTION',
      'id value of incorrect type',
    ],
    [
      'a read-only field',
      { Opportunity__c: 'DEAL', CreatedDate: '2020-01-01T00:00:00Z' },
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'Unable to create/update fields: CreatedDate',
    ],
    [
      'a bad date',
      { Opportunity__c: 'DEAL', Due_Date__c: '2025-02-30' },
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of date',
    ],
    [
      'a string too long',
      { Opportunity__c: 'DEAL', Step__c: 'x'.repeat(256) },
      'STRING_TOO_LONG',
      'data value too large',
    ],
  ])('rejects %s', async (_case, fields, errorCode, message) => {
    const accountId = standIn.records.all('Account')[0]?.Id as string;
    const body = JSON.parse(
      JSON.stringify(fields)
        .replace('"DEAL"', `"${dealId}"`)
        .replace('"ACCOUNT"', `"${accountId}"`),
    );
    const error = await failure(
      connect(standIn).sobject('Close_Plan_Step__c').create(body),
    );
    expect(error.errorCode).toBe(errorCode);
    expect(error.message).toContain(message);
  });

  test('unique external ids reject duplicates', async () => {
    const conn = connect(standIn);
    const first: any = await conn.sobject('Stage_Transition__c').create({
      Opportunity__c: dealId,
      To_Stage__c: 'Negotiating',
      Key__c: 'move-1',
    });
    const error = await failure(
      conn.sobject('Stage_Transition__c').create({
        Opportunity__c: dealId,
        To_Stage__c: 'Negotiating',
        Key__c: 'MOVE-1',
      }),
    );
    expect(error.errorCode).toBe('DUPLICATE_VALUE');
    expect(error.message).toBe(
      `duplicate value found: Key__c duplicates value on record with id: ${first.id}`,
    );
  });

  test('upsert by external id creates then updates', async () => {
    const conn = connect(standIn);
    const created: any = await conn.sobject('Stage_Transition__c').upsert(
      {
        Key__c: 'move-upsert',
        Opportunity__c: dealId,
        To_Stage__c: 'Validating',
      },
      'Key__c',
    );
    expect(created).toMatchObject({ success: true, created: true });
    const updated: any = await conn
      .sobject('Stage_Transition__c')
      .upsert({ Key__c: 'move-upsert', To_Stage__c: 'Negotiating' }, 'Key__c');
    expect(updated).toMatchObject({
      success: true,
      created: false,
      id: created.id,
    });
    expect(
      standIn.records.get('Stage_Transition__c', created.id)?.To_Stage__c,
    ).toBe('Negotiating');
  });

  test('MALFORMED_ID for a bad record Id', async () => {
    const conn = connect(standIn);
    const malformed = await failure(
      conn.sobject('Opportunity').update({ Id: '006XYZ', Name: 'x' }),
    );
    expect(malformed.errorCode).toBe('MALFORMED_ID');
    expect(malformed.message).toBe(
      'Opportunity ID: id value of incorrect type: 006XYZ',
    );
    const missing = await failure(
      conn.sobject('Opportunity').update({ Id: '006000000000000', Name: 'x' }),
    );
    expect(missing.errorCode).toBe('NOT_FOUND');
  });

  test('describe reports fields, picklists and child relationships', async () => {
    const describe: any = await connect(standIn).describe('Opportunity');
    expect(describe.keyPrefix).toBe('006');
    const stage = describe.fields.find(
      (f: any) => f.name === 'Cosell_Stage__c',
    );
    expect(stage).toMatchObject({
      type: 'picklist',
      custom: true,
      restrictedPicklist: true,
    });
    expect(stage.picklistValues).toContainEqual({
      active: true,
      defaultValue: false,
      label: 'Validating',
      validFor: null,
      value: 'Validating',
    });
    const partner = describe.fields.find(
      (f: any) => f.name === 'Partner_Account__c',
    );
    expect(partner).toMatchObject({
      referenceTo: ['Account'],
      relationshipName: 'Partner_Account__r',
    });
    expect(describe.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'Close_Plan_Step__c',
        field: 'Opportunity__c',
        relationshipName: 'Close_Plan_Steps__r',
      }),
    );
    const global: any = await connect(standIn).describeGlobal();
    expect(global.sobjects.map((s: any) => s.name)).toContain(
      'Stage_Request__c',
    );
  });

  test('unknown object answers NOT_FOUND', async () => {
    const error = await failure(connect(standIn).describe('Nope__c'));
    expect(error.errorCode).toBe('NOT_FOUND');
  });
});

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import {
  DEFAULT_STAGE_GUARD_MESSAGES,
  type StandIn,
} from '../salesforce-stand-in/index.js';
import {
  connect,
  INTEGRATION_USER,
  seedDeal,
  SELLER_USER,
  startStandIn,
} from './stand-in-fixture.js';

const COMPOSITE = '/services/data/v62.0/composite';

/** The subrequests of a confirmed move: stage and version, the transition, the request. */
function moveRequest(
  dealId: string,
  requestId: string,
  version: number,
  key: string,
) {
  return {
    allOrNone: true,
    compositeRequest: [
      {
        method: 'PATCH',
        url: `/services/data/v62.0/sobjects/Opportunity/${dealId}`,
        referenceId: 'deal',
        body: {
          Cosell_Stage__c: 'Negotiating',
          Cosell_Stage_Version__c: version,
        },
      },
      {
        method: 'POST',
        url: '/services/data/v62.0/sobjects/Stage_Transition__c',
        referenceId: 'transition',
        body: {
          Opportunity__c: dealId,
          From_Stage__c: 'Validating',
          To_Stage__c: 'Negotiating',
          Key__c: key,
          Version__c: version,
        },
      },
      {
        method: 'PATCH',
        url: `/services/data/v62.0/sobjects/Stage_Request__c/${requestId}`,
        referenceId: 'request',
        body: { Status__c: 'Applied' },
      },
    ],
  };
}

describe('stand-in composite', () => {
  let standIn: StandIn;
  let dealId: string;

  beforeAll(async () => {
    standIn = await startStandIn();
    ({ dealId } = seedDeal(standIn));
  });

  afterAll(() => standIn.close());

  test('references earlier results in URLs and bodies', async () => {
    const conn = connect(standIn);
    const result: any = await conn.requestPost(COMPOSITE, {
      compositeRequest: [
        {
          method: 'GET',
          url: `/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id, Name FROM Opportunity WHERE Id = '${dealId}'`)}`,
          referenceId: 'deal',
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Close_Plan_Step__c',
          referenceId: 'step',
          body: {
            Opportunity__c: '@{deal.records[0].Id}',
            Step__c: 'Plan for @{deal.records[0].Name}',
          },
        },
        {
          method: 'GET',
          url: '/services/data/v62.0/sobjects/Close_Plan_Step__c/@{step.id}?fields=Step__c',
          referenceId: 'readBack',
        },
      ],
    });
    const [query, step, readBack] = result.compositeResponse;
    expect(query).toMatchObject({
      httpStatusCode: 200,
      referenceId: 'deal',
      httpHeaders: {},
    });
    expect(step).toMatchObject({
      httpStatusCode: 201,
      body: { success: true, errors: [] },
    });
    expect(step.httpHeaders.Location).toBe(
      `/services/data/v62.0/sobjects/Close_Plan_Step__c/${step.body.id}`,
    );
    expect(readBack.body.Step__c).toBe('Plan for Acme expansion');
    expect(standIn.requests.at(-1)).toMatchObject({
      resource: 'composite',
      subrequestCount: 3,
      apiCall: true,
    });
  });

  test('all-or-none rolls back and halts the others', async () => {
    const conn = connect(standIn);
    const before = standIn.records.all('Close_Plan_Step__c').length;
    const result: any = await conn.requestPost(COMPOSITE, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Close_Plan_Step__c',
          referenceId: 'good',
          body: { Opportunity__c: dealId, Step__c: 'Kept?' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Close_Plan_Step__c',
          referenceId: 'bad',
          body: { Opportunity__c: dealId, Owner_Side__c: 'Nobody' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Close_Plan_Step__c',
          referenceId: 'after',
          body: { Opportunity__c: dealId },
        },
      ],
    });
    const halted = {
      errorCode: 'PROCESSING_HALTED',
      message:
        'The transaction was rolled back since another operation in the same transaction failed.',
    };
    expect(result.compositeResponse[0]).toEqual({
      body: [halted],
      httpHeaders: {},
      httpStatusCode: 400,
      referenceId: 'good',
    });
    expect(result.compositeResponse[1].body[0].errorCode).toBe(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    );
    expect(result.compositeResponse[2]).toEqual({
      body: [halted],
      httpHeaders: {},
      httpStatusCode: 400,
      referenceId: 'after',
    });
    expect(standIn.records.all('Close_Plan_Step__c')).toHaveLength(before);
  });

  test('without all-or-none only dependents fail', async () => {
    const result: any = await connect(standIn).requestPost(COMPOSITE, {
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Close_Plan_Step__c',
          referenceId: 'bad',
          body: { Step__c: 'no deal' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Close_Plan_Step__c',
          referenceId: 'good',
          body: { Opportunity__c: dealId },
        },
        {
          method: 'GET',
          url: '/services/data/v62.0/sobjects/Close_Plan_Step__c/@{bad.id}',
          referenceId: 'dependent',
        },
      ],
    });
    const codes = result.compositeResponse.map((r: any) => r.httpStatusCode);
    expect(codes).toEqual([400, 201, 400]);
    expect(result.compositeResponse[2].body[0].errorCode).toBe(
      'PROCESSING_HALTED',
    );
    expect(result.compositeResponse[2].body[0].message).toContain(
      "Provided referenceId ('bad') is not valid",
    );
  });

  test('rejects more than 5 query subrequests', async () => {
    const query = {
      method: 'GET',
      url: '/services/data/v62.0/query?q=SELECT+Id+FROM+Account',
    };
    await expect(
      connect(standIn).requestPost(COMPOSITE, {
        compositeRequest: [1, 2, 3, 4, 5, 6].map((n) => ({
          ...query,
          referenceId: `q${n}`,
        })),
      }),
    ).rejects.toMatchObject({ errorCode: 'LIMIT_EXCEEDED' });
  });

  test('collections insert with all-or-none', async () => {
    const conn = connect(standIn);
    const before = standIn.records.all('Deal_Approval__c').length;
    const results: any = await conn.sobject('Deal_Approval__c').create(
      [
        { Opportunity__c: dealId, Type__c: 'Legal' },
        { Opportunity__c: dealId, Type__c: 'Catering' },
      ],
      { allOrNone: true },
    );
    expect(results[0]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message:
            'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(results[1].errors[0].statusCode).toBe(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    );
    expect(standIn.records.all('Deal_Approval__c')).toHaveLength(before);
    const partial: any = await conn.sobject('Deal_Approval__c').create(
      [
        { Opportunity__c: dealId, Type__c: 'Legal' },
        { Opportunity__c: dealId, Type__c: 'Catering' },
      ],
      { allOrNone: false },
    );
    expect(partial.map((r: any) => r.success)).toEqual([true, false]);
    expect(standIn.records.all('Deal_Approval__c')).toHaveLength(before + 1);
  });
});

describe('stand-in stage validation rule', () => {
  let standIn: StandIn;

  beforeAll(async () => {
    standIn = await startStandIn();
  });

  afterAll(() => standIn.close());

  function newRequest(dealId: string): string {
    return standIn.records.insert('Stage_Request__c', {
      Opportunity__c: dealId,
      To_Stage__c: 'Negotiating',
      Kind__c: 'Advance',
      Status__c: 'Pending',
      Requesting_Side__c: 'Vendor',
    });
  }

  test('a move with the next version applies', async () => {
    const { dealId } = seedDeal(standIn);
    const requestId = newRequest(dealId);
    const result: any = await connect(standIn, INTEGRATION_USER).requestPost(
      COMPOSITE,
      moveRequest(dealId, requestId, 4, 'move-ok'),
    );
    expect(result.compositeResponse.map((r: any) => r.httpStatusCode)).toEqual([
      204, 201, 204,
    ]);
    expect(standIn.records.get('Opportunity', dealId)).toMatchObject({
      Cosell_Stage__c: 'Negotiating',
      Cosell_Stage_Version__c: 4,
    });
  });

  test('a stale move fails and changes nothing', async () => {
    const { dealId } = seedDeal(standIn);
    const requestId = newRequest(dealId);
    const result: any = await connect(standIn, INTEGRATION_USER).requestPost(
      COMPOSITE,
      moveRequest(dealId, requestId, 3, 'move-stale'),
    );
    expect(result.compositeResponse[0].body).toEqual([
      {
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: DEFAULT_STAGE_GUARD_MESSAGES.stageChange,
        fields: ['Cosell_Stage__c'],
      },
    ]);
    expect(result.compositeResponse[1].body[0].errorCode).toBe(
      'PROCESSING_HALTED',
    );
    expect(standIn.records.get('Opportunity', dealId)?.Cosell_Stage__c).toBe(
      'Validating',
    );
    expect(standIn.records.get('Stage_Request__c', requestId)?.Status__c).toBe(
      'Pending',
    );
    expect(
      standIn.records.query(
        `SELECT Id FROM Stage_Transition__c WHERE Key__c = 'move-stale'`,
      ),
    ).toEqual([]);
  });

  test('a user without the permission cannot move the stage', async () => {
    const { dealId } = seedDeal(standIn);
    const error: any = await connect(standIn, SELLER_USER)
      .sobject('Opportunity')
      .update({
        Id: dealId,
        Cosell_Stage__c: 'Negotiating',
        Cosell_Stage_Version__c: 4,
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error?.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(error?.data?.fields).toEqual(['Cosell_Stage__c']);
  });

  test('a user without the permission cannot change the version', async () => {
    const { dealId } = seedDeal(standIn);
    const error: any = await connect(standIn, SELLER_USER)
      .sobject('Opportunity')
      .update({ Id: dealId, Cosell_Stage_Version__c: 9 })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error?.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(error?.message).toBe(DEFAULT_STAGE_GUARD_MESSAGES.versionChange);
  });

  test('other edits by a seller pass', async () => {
    const { dealId } = seedDeal(standIn);
    await connect(standIn, SELLER_USER)
      .sobject('Opportunity')
      .update({ Id: dealId, Amount: 5 });
    expect(standIn.records.get('Opportunity', dealId)?.Amount).toBe(5);
  });

  const rules: [keyof typeof DEFAULT_STAGE_GUARD_MESSAGES, string][] = [
    ['stageChange', 'Cosell_Stage_Change_Guard'],
    ['versionChange', 'Cosell_Stage_Version_Guard'],
  ];
  test.each(rules)(
    '%s message matches the force-app rule',
    async (key, rule) => {
      const xml = await readFile(
        `force-app/main/default/objects/Opportunity/validationRules/${rule}.validationRule-meta.xml`,
        'utf8',
      );
      const parsed = new XMLParser().parse(xml);
      expect(DEFAULT_STAGE_GUARD_MESSAGES[key]).toBe(
        parsed.ValidationRule.errorMessage,
      );
    },
  );
});

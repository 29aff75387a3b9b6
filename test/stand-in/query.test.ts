import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { StandIn } from '../salesforce-stand-in/index.js';
import { connect, seedDeal, startStandIn } from './stand-in-fixture.js';

describe('stand-in query', () => {
  let standIn: StandIn;
  let dealId: string;

  beforeAll(async () => {
    standIn = await startStandIn({ queryBatchSize: 3 });
    ({ dealId } = seedDeal(standIn));
    standIn.records.insertMany(
      'Close_Plan_Step__c',
      ['Customer', 'Vendor', 'Customer', 'Partner'].map((side, index) => ({
        Opportunity__c: dealId,
        Step__c: `Step ${index + 1}`,
        Owner_Side__c: side,
      })),
    );
    for (let index = 0; index < 7; index++) {
      seedDeal(standIn, `Deal ${index}`);
    }
  });

  afterAll(() => standIn.close());

  test('pages with nextRecordsUrl', async () => {
    const conn = connect(standIn);
    standIn.resetLog();
    const first = await conn.query(
      'SELECT Id, Name FROM Opportunity ORDER BY Name',
    );
    expect(first.totalSize).toBe(8);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(3);
    expect(first.nextRecordsUrl).toMatch(
      /\/services\/data\/v62\.0\/query\/01g\w{15}-3$/,
    );
    const all = await conn
      .query('SELECT Id, Name FROM Opportunity ORDER BY Name')
      .run({ autoFetch: true, maxFetch: 100 });
    expect(all.records).toHaveLength(8);
    const paths = standIn.requests.map((r) => r.resource);
    expect(paths).toContain('query-more');
  });

  test('child subquery and parent lookup', async () => {
    const conn = connect(standIn);
    const result = await conn.query<any>(
      `SELECT Id, Account.Name, (SELECT Step__c FROM Close_Plan_Steps__r WHERE Owner_Side__c = 'Customer' ORDER BY Step__c) FROM Opportunity WHERE Id = '${dealId}'`,
    );
    const deal = result.records[0];
    expect(deal.Account.Name).toBe('Acme expansion account');
    expect(deal.Close_Plan_Steps__r.totalSize).toBe(2);
    expect(deal.Close_Plan_Steps__r.records.map((r: any) => r.Step__c)).toEqual(
      ['Step 1', 'Step 3'],
    );
  });

  test('INVALID_FIELD on a typo', async () => {
    const conn = connect(standIn);
    await expect(
      conn.query('SELECT Id, Cosell_Stag__c FROM Opportunity'),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });
});

describe('stand-in SOQL engine', () => {
  let standIn: StandIn;
  let dealIds: string[];

  beforeAll(async () => {
    standIn = await startStandIn({
      now: () => new Date('2025-03-14T12:00:00Z'),
    });
    const accountId = standIn.records.insert('Account', { Name: 'Globex' });
    dealIds = [
      {
        Name: 'Alpha',
        Amount: 100,
        CloseDate: '2025-03-14',
        Cosell_Stage__c: 'Registered',
      },
      {
        Name: 'Beta',
        Amount: 250,
        CloseDate: '2025-03-13',
        Cosell_Stage__c: 'Validating',
      },
      {
        Name: 'gamma',
        Amount: null,
        CloseDate: '2025-04-01',
        Cosell_Stage__c: null,
      },
    ].map((fields) =>
      standIn.records.insert('Opportunity', {
        StageName: 'Prospecting',
        AccountId: accountId,
        ...fields,
      }),
    );
  });

  afterAll(() => standIn.close());

  async function names(where: string): Promise<string[]> {
    const result = await connect(standIn).query<any>(
      `SELECT Name FROM Opportunity WHERE ${where} ORDER BY Name`,
    );
    return result.records.map((r) => r.Name);
  }

  test('comparison, IN, LIKE and null filters', async () => {
    expect(await names('Amount > 100')).toEqual(['Beta']);
    expect(await names('Amount <= 100')).toEqual(['Alpha']);
    expect(await names('Amount = null')).toEqual(['gamma']);
    expect(await names("Cosell_Stage__c != 'Registered'")).toEqual([
      'Beta',
      'gamma',
    ]);
    expect(
      await names("Cosell_Stage__c IN ('Registered', 'Validating')"),
    ).toEqual(['Alpha', 'Beta']);
    expect(await names("Cosell_Stage__c NOT IN ('Registered')")).toEqual([
      'Beta',
      'gamma',
    ]);
    expect(await names("Name LIKE 'g%'")).toEqual(['gamma']);
    expect(await names("Name = 'ALPHA'")).toEqual(['Alpha']);
  });

  test('AND, OR and NOT with parentheses', async () => {
    expect(
      await names("(Amount > 200 OR Amount = null) AND Name != 'gamma'"),
    ).toEqual(['Beta']);
    expect(await names("NOT (Name = 'Alpha' OR Name = 'Beta')")).toEqual([
      'gamma',
    ]);
    expect(await names("Name = 'Alpha' OR (NOT Amount > 100)")).toEqual([
      'Alpha',
      'gamma',
    ]);
  });

  test('date literals use the org clock', async () => {
    expect(await names('CloseDate = TODAY')).toEqual(['Alpha']);
    expect(await names('CloseDate = YESTERDAY')).toEqual(['Beta']);
    expect(await names('CloseDate > TODAY')).toEqual(['gamma']);
    expect(await names('CloseDate = LAST_N_DAYS:1')).toEqual(['Alpha', 'Beta']);
    expect(await names('CloseDate < 2025-03-14')).toEqual(['Beta']);
  });

  test('ORDER BY, LIMIT, OFFSET and COUNT()', async () => {
    const conn = connect(standIn);
    const ordered = await conn.query<any>(
      'SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS LAST LIMIT 2 OFFSET 1',
    );
    expect(ordered.records.map((r) => r.Name)).toEqual(['Alpha', 'gamma']);
    const count = await conn.query(
      'SELECT COUNT() FROM Opportunity WHERE Amount != null',
    );
    expect(count.totalSize).toBe(2);
    expect(count.records).toEqual([]);
  });

  test('queryAll returns deleted records', async () => {
    const conn = connect(standIn);
    const doomed = standIn.records.insert('Opportunity', {
      Name: 'Deleted deal',
      StageName: 'Prospecting',
      CloseDate: '2025-01-01',
    });
    await conn.sobject('Opportunity').destroy(doomed);
    const live = await conn.query(
      `SELECT Id FROM Opportunity WHERE Id = '${doomed}'`,
    );
    expect(live.totalSize).toBe(0);
    const all = await conn.query(
      `SELECT Id FROM Opportunity WHERE Id = '${doomed}'`,
      { scanAll: true },
    );
    expect(all.totalSize).toBe(1);
  });

  test('semi-join on Id', async () => {
    standIn.records.insert('Close_Plan_Step__c', {
      Opportunity__c: dealIds[1],
      Step__c: 'Pilot',
      Owner_Side__c: 'Customer',
    });
    expect(
      await names(
        "Id IN (SELECT Opportunity__c FROM Close_Plan_Step__c WHERE Owner_Side__c = 'Customer')",
      ),
    ).toEqual(['Beta']);
  });

  test('records carry attributes and null parents', async () => {
    const orphan = standIn.records.insert('Opportunity', {
      Name: 'Orphan',
      StageName: 'Prospecting',
      CloseDate: '2025-01-01',
    });
    const result = await connect(standIn).query<any>(
      `SELECT Id, Account.Name FROM Opportunity WHERE Id = '${orphan}'`,
    );
    expect(result.records[0]).toEqual({
      attributes: {
        type: 'Opportunity',
        url: `/services/data/v62.0/sobjects/Opportunity/${orphan}`,
      },
      Id: orphan,
      Account: null,
    });
  });

  test.each([
    [
      'mixed AND and OR',
      "SELECT Id FROM Opportunity WHERE Name = 'a' AND Amount > 1 OR Amount < 0",
      'MALFORMED_QUERY',
      'unexpected token: OR',
    ],
    [
      'NOT after AND',
      "SELECT Id FROM Opportunity WHERE Name = 'a' AND NOT Amount > 1",
      'MALFORMED_QUERY',
      "unexpected token: 'NOT'",
    ],
    [
      'a syntax error',
      'SELECT Id FORM Opportunity',
      'MALFORMED_QUERY',
      'unexpected token',
    ],
    [
      'GROUP BY',
      'SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName',
      'MALFORMED_QUERY',
      'not supported by the Salesforce stand-in',
    ],
    [
      'a bind variable',
      'SELECT Id FROM Opportunity WHERE Id = :dealId',
      'MALFORMED_QUERY',
      'unexpected token',
    ],
    [
      'an unknown object',
      'SELECT Id FROM Opportunityy',
      'INVALID_TYPE',
      "sObject type 'Opportunityy' is not supported",
    ],
    [
      'an unknown child relationship',
      'SELECT Id, (SELECT Id FROM Steps__r) FROM Opportunity',
      'INVALID_TYPE',
      "Didn't understand relationship 'Steps__r'",
    ],
    [
      'an unknown parent relationship',
      'SELECT Owner__r.Name FROM Opportunity',
      'INVALID_FIELD',
      "Didn't understand relationship 'Owner__r'",
    ],
    [
      'a string for a number',
      "SELECT Id FROM Opportunity WHERE Amount = '5'",
      'INVALID_FIELD',
      'must be of type double',
    ],
    [
      'a malformed Id',
      "SELECT Id FROM Opportunity WHERE Id = '006abc'",
      'INVALID_QUERY_FILTER_OPERATOR',
      'invalid ID field: 006abc',
    ],
    [
      'a long text filter',
      "SELECT Id FROM Stage_Request__c WHERE Evaluation_Snapshot__c = 'x'",
      'INVALID_FIELD',
      "field 'Evaluation_Snapshot__c' can not be filtered",
    ],
  ])('rejects %s', async (_case, soql, errorCode, message) => {
    const error: any = await connect(standIn)
      .query(soql)
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error?.errorCode).toBe(errorCode);
    expect(error?.message).toContain(message);
  });

  test('INVALID_FIELD message names the column and entity', async () => {
    const response = await fetch(
      `${standIn.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, Foo__c FROM Opportunity')}`,
      {
        headers: {
          Authorization: `Bearer ${standIn.issueToken('integration@stand-in.example')}`,
        },
      },
    );
    expect(response.status).toBe(400);
    const body: any = await response.json();
    expect(body).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message:
          "\nSELECT Id, Foo__c FROM Opportunity\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo__c' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
      },
    ]);
  });

  test('rejects an unknown query locator', async () => {
    const conn = connect(standIn);
    await expect(
      conn.request('/services/data/v62.0/query/01g8d000000000AAAA-2000'),
    ).rejects.toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR' });
  });
});

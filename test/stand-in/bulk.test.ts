import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { StandIn } from '../salesforce-stand-in/index.js';
import { INTEGRATION_USER, startStandIn } from './stand-in-fixture.js';

describe('stand-in Bulk API 2.0 query', () => {
  let standIn: StandIn;
  let headers: Record<string, string>;
  let base: string;

  beforeAll(async () => {
    standIn = await startStandIn({ bulkPollsUntilComplete: 2 });
    headers = {
      Authorization: `Bearer ${standIn.issueToken(INTEGRATION_USER)}`,
      'Content-Type': 'application/json',
    };
    base = `${standIn.instanceUrl}/services/data/v62.0/jobs/query`;
    const partnerId = standIn.records.insert('Account', {
      Name: 'Partner, "Quoted" Inc',
    });
    const deals = Array.from({ length: 5 }, (_, index) => ({
      Name: `Deal ${index}`,
      StageName: 'Prospecting',
      CloseDate: '2025-06-30',
      Partner_Account__c: index % 2 === 0 ? partnerId : null,
    }));
    standIn.records.insertMany('Opportunity', deals);
  });

  afterAll(() => standIn.close());

  async function createJob(query: string, operation = 'query') {
    const response = await fetch(base, {
      method: 'POST',
      headers,
      body: JSON.stringify({ operation, query }),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  async function jobState(id: string): Promise<string> {
    const response = await fetch(`${base}/${id}`, { headers });
    return ((await response.json()) as any).state;
  }

  test('runs a job and pages its results by locator', async () => {
    const created = await createJob(
      'SELECT Id, Name, Partner_Account__r.Name FROM Opportunity ORDER BY Name',
    );
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      operation: 'query',
      object: 'Opportunity',
      state: 'UploadComplete',
      contentType: 'CSV',
      apiVersion: 62,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    expect(created.body.id).toMatch(/^750\w{15}$/);
    const early = await fetch(`${base}/${created.body.id}/results`, {
      headers,
    });
    expect(early.status).toBe(400);
    expect(await jobState(created.body.id)).toBe('InProgress');
    expect(await jobState(created.body.id)).toBe('InProgress');
    expect(await jobState(created.body.id)).toBe('JobComplete');

    const rows: string[][] = [];
    let locator: string | null = null;
    let pages = 0;
    do {
      const query: string = locator ? `&locator=${locator}` : '';
      const response = await fetch(
        `${base}/${created.body.id}/results?maxRecords=2${query}`,
        { headers },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv');
      const text = await response.text();
      const page: string[][] = parse(text);
      expect(page[0]).toEqual(['Id', 'Name', 'Partner_Account__r.Name']);
      expect(Number(response.headers.get('sforce-numberofrecords'))).toBe(
        page.length - 1,
      );
      rows.push(...page.slice(1));
      locator = response.headers.get('sforce-locator');
      expect(locator).not.toBeNull();
      if (locator === 'null') locator = null;
      pages++;
    } while (locator);
    expect(pages).toBe(3);
    expect(rows.map((row) => row[1])).toEqual([
      'Deal 0',
      'Deal 1',
      'Deal 2',
      'Deal 3',
      'Deal 4',
    ]);
    expect(rows[0]?.[2]).toBe('Partner, "Quoted" Inc');
    expect(rows[1]?.[2]).toBe('');
  });

  test('quotes every field', async () => {
    const created = await createJob(
      "SELECT Name FROM Opportunity WHERE Name = 'Deal 0'",
    );
    await jobState(created.body.id);
    await jobState(created.body.id);
    await jobState(created.body.id);
    const response = await fetch(`${base}/${created.body.id}/results`, {
      headers,
    });
    expect(await response.text()).toBe('"Name"\n"Deal 0"\n');
    expect(response.headers.get('sforce-locator')).toBe('null');
  });

  test('rejects parent-to-child subqueries', async () => {
    const { status, body } = await createJob(
      'SELECT Id, (SELECT Id FROM Close_Plan_Steps__r) FROM Opportunity',
    );
    expect(status).toBe(400);
    expect(body).toEqual([
      {
        errorCode: 'API_ERROR',
        message:
          'FeatureNotEnabled : Aggregate Relationships not supported in Bulk Query with CSV content type',
      },
    ]);
  });

  test.each([
    ['COUNT()', 'SELECT COUNT() FROM Opportunity', 'API_ERROR'],
    ['OFFSET', 'SELECT Id FROM Opportunity OFFSET 2', 'API_ERROR'],
    ['an unknown field', 'SELECT Nope__c FROM Opportunity', 'INVALID_FIELD'],
  ])('rejects %s', async (_case, soql, errorCode) => {
    const { status, body } = await createJob(soql);
    expect(status).toBe(400);
    expect(body[0].errorCode).toBe(errorCode);
  });

  test('queryAll includes deleted records', async () => {
    const doomed = standIn.records.insert('Opportunity', {
      Name: 'Gone',
      StageName: 'Prospecting',
      CloseDate: '2025-01-01',
    });
    standIn.records.delete('Opportunity', doomed);
    for (const operation of ['query', 'queryAll']) {
      const created = await createJob(
        "SELECT Id FROM Opportunity WHERE Name = 'Gone'",
        operation,
      );
      for (let poll = 0; poll < 3; poll++) await jobState(created.body.id);
      const response = await fetch(`${base}/${created.body.id}/results`, {
        headers,
      });
      expect(response.headers.get('sforce-numberofrecords')).toBe(
        operation === 'query' ? '0' : '1',
      );
    }
  });

  test('aborts and deletes a job', async () => {
    const created = await createJob('SELECT Id FROM Opportunity');
    const aborted = await fetch(`${base}/${created.body.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ state: 'Aborted' }),
    });
    expect(((await aborted.json()) as any).state).toBe('Aborted');
    const deleted = await fetch(`${base}/${created.body.id}`, {
      method: 'DELETE',
      headers,
    });
    expect(deleted.status).toBe(204);
    const after = await fetch(`${base}/${created.body.id}`, { headers });
    expect(after.status).toBe(404);
  });

  test('results need the version the job was created with', async () => {
    const created = await createJob('SELECT Id FROM Opportunity');
    for (let poll = 0; poll < 3; poll++) await jobState(created.body.id);
    const other = `${standIn.instanceUrl}/services/data/v61.0/jobs/query/${created.body.id}/results`;
    expect((await fetch(other, { headers })).status).toBe(409);
  });
});

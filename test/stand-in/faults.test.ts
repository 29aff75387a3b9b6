import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  test,
} from '@jest/globals';
import type { StandIn } from '../salesforce-stand-in/index.js';
import {
  connect,
  INTEGRATION_USER,
  seedDeal,
  startStandIn,
} from './stand-in-fixture.js';

describe('stand-in faults', () => {
  let standIn: StandIn;
  let dealId: string;

  beforeAll(async () => {
    standIn = await startStandIn();
    ({ dealId } = seedDeal(standIn));
  });

  beforeEach(() => standIn.faults.clear());

  afterAll(() => standIn.close());

  async function call(
    path: string,
    init: RequestInit = {},
    token = standIn.issueToken(INTEGRATION_USER),
  ) {
    const response = await fetch(
      `${standIn.instanceUrl}/services/data/v62.0${path}`,
      {
        ...init,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
      },
    );
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  test('lock fails a write with UNABLE_TO_LOCK_ROW', async () => {
    standIn.faults.next({
      kind: 'lock',
      match: { method: 'PATCH', path: '/sobjects/Opportunity' },
    });
    const error: any = await connect(standIn)
      .sobject('Opportunity')
      .update({ Id: dealId, Amount: 1 })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error?.errorCode).toBe('UNABLE_TO_LOCK_ROW');
    expect(error?.message).toBe(
      `unable to obtain exclusive access to this record or 1 records: ${dealId}`,
    );
    expect(standIn.records.get('Opportunity', dealId)?.Amount).toBe(125000);
    await connect(standIn)
      .sobject('Opportunity')
      .update({ Id: dealId, Amount: 2 });
    expect(standIn.records.get('Opportunity', dealId)?.Amount).toBe(2);
  });

  test('lock can fail one composite subrequest', async () => {
    standIn.faults.next({
      kind: 'lock',
      match: { subrequest: true, method: 'PATCH' },
    });
    const result: any = await connect(standIn).requestPost(
      '/services/data/v62.0/composite',
      {
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Close_Plan_Step__c',
            referenceId: 'step',
            body: { Opportunity__c: dealId },
          },
          {
            method: 'PATCH',
            url: `/services/data/v62.0/sobjects/Opportunity/${dealId}`,
            referenceId: 'deal',
            body: { Amount: 3 },
          },
        ],
      },
    );
    expect(
      result.compositeResponse.map((r: any) => r.body[0].errorCode),
    ).toEqual(['PROCESSING_HALTED', 'UNABLE_TO_LOCK_ROW']);
  });

  test('503 answers Service Unavailable for the given number of times', async () => {
    standIn.faults.next({ kind: '503', match: { path: '/limits' }, times: 2 });
    expect((await call('/limits')).status).toBe(503);
    const second = await call('/limits');
    expect(second.status).toBe(503);
    expect(second.body[0].errorCode).toBe('SERVER_UNAVAILABLE');
    expect((await call('/limits')).status).toBe(200);
    expect(standIn.faults.pending()).toBe(0);
  });

  test('slow delays the response', async () => {
    standIn.faults.next({
      kind: 'slow',
      delayMs: 50,
      match: (request) => request.path.endsWith('/limits'),
    });
    standIn.resetLog();
    expect((await call('/limits')).status).toBe(200);
    expect(standIn.requests[0]?.fault).toBe('slow');
    expect(standIn.requests[0]?.durationMs).toBeGreaterThanOrEqual(50);
  });

  test('expired-session revokes the token', async () => {
    const token = standIn.issueToken(INTEGRATION_USER);
    standIn.faults.next({ kind: 'expired-session' });
    const expired = await call('/limits', {}, token);
    expect(expired).toEqual({
      status: 401,
      body: [
        {
          message: 'Session expired or invalid',
          errorCode: 'INVALID_SESSION_ID',
        },
      ],
    });
    expect((await call('/limits', {}, token)).status).toBe(401);
  });

  test('request-limit answers REQUEST_LIMIT_EXCEEDED', async () => {
    standIn.faults.next({ kind: 'request-limit' });
    expect(await call('/limits')).toEqual({
      status: 403,
      body: [
        {
          message: 'TotalRequests Limit exceeded.',
          errorCode: 'REQUEST_LIMIT_EXCEEDED',
        },
      ],
    });
  });

  test('partial fails one record of a collection', async () => {
    standIn.faults.next({ kind: 'partial', failIndex: 0 });
    const result: any = await connect(standIn)
      .sobject('Close_Plan_Step__c')
      .create(
        [
          { Opportunity__c: dealId, Step__c: 'one' },
          { Opportunity__c: dealId, Step__c: 'two' },
        ],
        { allOrNone: false },
      );
    expect(result[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW' }],
    });
    expect(result[1]).toMatchObject({ success: true });
  });

  test('partial fails the last composite subrequest and rolls back', async () => {
    standIn.faults.next({ kind: 'partial', match: { path: '/composite' } });
    const before = standIn.records.all('Close_Plan_Step__c').length;
    const result: any = await connect(standIn).requestPost(
      '/services/data/v62.0/composite',
      {
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Close_Plan_Step__c',
            referenceId: 'a',
            body: { Opportunity__c: dealId },
          },
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Close_Plan_Step__c',
            referenceId: 'b',
            body: { Opportunity__c: dealId },
          },
        ],
      },
    );
    expect(
      result.compositeResponse.map((r: any) => r.body[0]?.errorCode),
    ).toEqual(['PROCESSING_HALTED', 'UNABLE_TO_LOCK_ROW']);
    expect(standIn.records.all('Close_Plan_Step__c')).toHaveLength(before);
  });

  test('rewrite changes the body of a call', async () => {
    standIn.faults.next({
      kind: 'rewrite',
      match: { path: `/sobjects/Opportunity/${dealId}` },
      rewrite: (body) => {
        const record = body as Record<string, unknown>;
        record.Cosell_Stage__c = 7;
        delete record.Cosell_Stage_Version__c;
        return record;
      },
    });
    const read = () => call(`/sobjects/Opportunity/${dealId}`);
    const rewritten = await read();
    expect(rewritten.status).toBe(200);
    expect(rewritten.body.Cosell_Stage__c).toBe(7);
    expect(rewritten.body).not.toHaveProperty('Cosell_Stage_Version__c');
    expect(standIn.records.get('Opportunity', dealId)?.Cosell_Stage__c).toBe(
      'Validating',
    );
    expect((await read()).body.Cosell_Stage__c).toBe('Validating');
  });

  test('rewrite changes one subrequest and not its references', async () => {
    standIn.faults.next({
      kind: 'rewrite',
      match: (request) =>
        request.subrequest && /FROM Opportunity\b/.test(request.query.q ?? ''),
      rewrite: (body) => {
        const page = body as { records: Array<Record<string, unknown>> };
        page.records[0]!.Id = 'not-the-deal';
        page.records[0]!.Cosell_Stage__c = 7;
        return page;
      },
    });
    const result: any = await connect(standIn).requestPost(
      '/services/data/v62.0/composite',
      {
        allOrNone: false,
        compositeRequest: [
          {
            method: 'GET',
            url: `/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id, Cosell_Stage__c FROM Opportunity WHERE Id = '${dealId}'`)}`,
            referenceId: 'deal',
          },
          {
            method: 'GET',
            url: '/services/data/v62.0/sobjects/Opportunity/@{deal.records[0].Id}',
            referenceId: 'again',
          },
        ],
      },
    );
    const [deal, again] = result.compositeResponse;
    expect(deal.body.records[0]).toMatchObject({
      Id: 'not-the-deal',
      Cosell_Stage__c: 7,
    });
    expect(again.httpStatusCode).toBe(200);
    expect(again.body.Cosell_Stage__c).toBe('Validating');
  });

  test('rewrite needs its function', () => {
    expect(() => standIn.faults.next({ kind: 'rewrite' })).toThrow(
      /missing its rewrite function/,
    );
  });

  test('faults wait for a matching request', async () => {
    standIn.faults.next({ kind: '503', match: { method: 'DELETE' } });
    expect((await call('/limits')).status).toBe(200);
    expect(standIn.faults.pending()).toBe(1);
  });
});

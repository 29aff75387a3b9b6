import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  ConcurrentChangeError,
  OrgAuthenticationError,
  OrgRejectedError,
  OrgRequestLimitError,
  OrgResponseInvalidError,
  RecordLockedError,
  StoreUnavailableError,
} from '../../../middleware/src/org/errors.js';
import type { SalesforceCallSettings } from '../../../middleware/src/org/salesforce/config.js';
import {
  DEFAULT_USERS,
  type FaultRequestInfo,
} from '../../salesforce-stand-in/index.js';
import { createTestLogger } from '../../helpers/log-lines.js';
import {
  confirmMove,
  INTEGRATION_USER,
  seedDeal,
  seedPendingRequest,
  startTestOrg,
  TEST_PLAN,
  type TestOrg,
} from './salesforce-fixture.js';

interface Scene {
  org: TestOrg;
  dealId: string;
  requestId: string;
  sellerId: string;
  integrationUserId: string;
  /** The gateway's log lines since the scene started, parsed. */
  logs: Record<string, unknown>[];
}

let scene: Scene | undefined;

async function startScene(
  settings: Partial<SalesforceCallSettings> = {},
): Promise<Scene> {
  const logs: Record<string, unknown>[] = [];
  const org = await startTestOrg({
    stageModels: false,
    settings,
    logger: createTestLogger(logs),
  });
  const integrationUserId = org.standIn.users[0]!.id;
  const sellerId = org.standIn.users[1]!.id;
  const { dealId } = seedDeal(org.standIn);
  const requestId = seedPendingRequest(org.standIn, dealId, sellerId);
  await org.gateway.describeSchema();
  org.standIn.resetLog();
  logs.length = 0;
  scene = { org, dealId, requestId, sellerId, integrationUserId, logs };
  return scene;
}

function read(s: Scene) {
  return s.org.gateway.readDealContext({
    dealId: s.dealId,
    actingUserId: s.sellerId,
    plan: TEST_PLAN,
  });
}

/** Matches the composite query part that reads the deal. */
function dealQuery(request: FaultRequestInfo): boolean {
  return (
    request.subrequest &&
    /\bFROM Opportunity WHERE Id\b/.test(request.query.q ?? '')
  );
}

/** Matches the composite query part that reads a User. */
function userQuery(request: FaultRequestInfo): boolean {
  return request.subrequest && /FROM User\b/.test(request.query.q ?? '');
}

/** A row lock that a trigger hit, as Salesforce reports it for the record being saved. */
const TRIGGER_LOCK = {
  errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
  message:
    'DealTrigger: execution of AfterUpdate caused by: System.DmlException: Update failed. First exception on row 0; first error: UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record: []',
};

/** Parses a composite body, lets `change` edit it and returns it as text. */
function editComposite(
  change: (responses: Record<string, unknown>[]) => void,
): (body: string) => string {
  return (body) => {
    const parsed = JSON.parse(body) as {
      compositeResponse: Record<string, unknown>[];
    };
    change(parsed.compositeResponse);
    return JSON.stringify(parsed);
  };
}

/** Lets `change` edit the first record of one query sub-response. */
function editRecord(
  referenceId: string,
  change: (record: Record<string, unknown>) => void,
): (body: string) => string {
  return editComposite((responses) => {
    const response = responses.find((r) => r.referenceId === referenceId);
    const page = response!.body as { records: Record<string, unknown>[] };
    change(page.records[0]!);
  });
}

function dataCalls(s: Scene) {
  return s.org.standIn.requests.filter((r) => r.resource !== 'oauth');
}

/** Waits until the stand-in has logged a request that carried a `slow` fault. */
async function slowRequestServed(s: Scene): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (s.org.standIn.requests.some((r) => r.fault === 'slow')) return;
    await delay(25);
  }
  throw new Error('the slow request was never served');
}

afterEach(async () => {
  await scene?.org.close();
  scene = undefined;
});

describe('SalesforceGateway faults', () => {
  it('retries a read after a row lock', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({ kind: 'lock', match: { method: 'POST' } });
    const context = await read(s);
    expect(context.deal?.Id).toBe(s.dealId);
    expect(dataCalls(s).map((r) => r.status)).toEqual([400, 200]);
  });

  it('retries a read after a 503', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({ kind: '503', times: 2 });
    const context = await read(s);
    expect(context.deal?.Id).toBe(s.dealId);
    expect(dataCalls(s).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('stops retrying after the configured retries', async () => {
    const s = await startScene({ maxRetries: 2 });
    s.org.standIn.faults.next({ kind: '503', times: 5 });
    const failed = read(s);
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failed).rejects.toThrow(/SERVER_UNAVAILABLE/);
    await expect(failed).rejects.toThrow(/kept failing after 2 retries/);
    expect(dataCalls(s)).toHaveLength(3);
  });

  it('says a call without retries was not retried', async () => {
    const s = await startScene({ maxRetries: 0 });
    s.org.standIn.faults.next({ kind: '503' });
    const failed = read(s);
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failed).rejects.toThrow(/failed and was not retried/);
    await expect(failed).rejects.not.toThrow(/after/);
    expect(dataCalls(s)).toHaveLength(1);
  });

  it('retries a read whose query part hit a lock', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({ kind: 'lock', match: userQuery });
    const context = await read(s);
    expect(context.actingUser?.id).toBe(s.sellerId);
    expect(context.deal?.Id).toBe(s.dealId);
    expect(dataCalls(s)).toHaveLength(2);
  });

  it('retries the user read after a part lock', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({ kind: 'lock', match: userQuery });
    const users = await s.org.gateway.getUsers([s.sellerId]);
    expect(users.map((user) => user.id)).toEqual([s.sellerId]);
    expect(dataCalls(s)).toHaveLength(2);
  });

  it('retries the model read after a part lock', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({
      kind: 'lock',
      match: (request) =>
        request.subrequest &&
        /FROM Cosell_Stage__mdt/.test(request.query.q ?? ''),
    });
    await expect(s.org.gateway.loadModelSource()).resolves.toBeDefined();
    expect(dataCalls(s)).toHaveLength(2);
  });

  it('retries the describe after a part lock', async () => {
    const org = await startTestOrg({ stageModels: false });
    scene = {
      org,
      dealId: '',
      requestId: '',
      sellerId: '',
      integrationUserId: '',
      logs: [],
    };
    org.standIn.faults.next({
      kind: 'lock',
      match: { path: '/sobjects/Opportunity/describe', subrequest: true },
    });
    const schema = await org.gateway.describeSchema();
    expect(schema.Opportunity).toBeDefined();
    expect(dataCalls(scene)).toHaveLength(2);
  });

  it('retries a write whose subrequest hit a lock', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({
      kind: 'lock',
      match: { method: 'PATCH', subrequest: true },
    });
    const transition = await s.org.gateway.applyMove(confirmMove(s));
    expect(transition.version).toBe(4);
    expect(dataCalls(s)).toHaveLength(2);
    expect(s.org.standIn.records.all('Stage_Transition__c')).toHaveLength(1);
  });

  it('names the record of a lasting lock', async () => {
    const s = await startScene({ maxRetries: 2 });
    s.org.standIn.faults.next({
      kind: 'lock',
      match: { method: 'PATCH', path: 'Stage_Request__c', subrequest: true },
      times: 3,
    });
    const failed = s.org.gateway.applyMove(confirmMove(s));
    await expect(failed).rejects.toBeInstanceOf(RecordLockedError);
    const error = (await failed.catch((e: unknown) => e)) as RecordLockedError;
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect(error.code).toBe('record_locked');
    expect(error.recordId).toBe(s.requestId);
    expect(error.message).toContain(`record ${s.requestId} is locked`);
    expect(error.message).toContain('kept failing after 2 retries');
    expect(dataCalls(s)).toHaveLength(3);
    expect(s.org.standIn.records.all('Stage_Transition__c')).toHaveLength(0);
  });

  it('reports a lasting trigger lock without an Id', async () => {
    const s = await startScene({ maxRetries: 1 });
    s.org.standIn.faults.next({
      kind: 'error',
      match: { method: 'PATCH', subrequest: true },
      error: TRIGGER_LOCK,
      times: 2,
    });
    const failed = s.org.gateway.applyMove(confirmMove(s));
    await expect(failed).rejects.toBeInstanceOf(RecordLockedError);
    const error = (await failed.catch((e: unknown) => e)) as RecordLockedError;
    expect(error.recordId).toBeNull();
    expect(error.message).toContain('a record the call needs');
  });

  it('retries a write that failed all or none', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({ kind: 'partial', failIndex: 3 });
    await s.org.gateway.applyMove(confirmMove(s));
    expect(dataCalls(s).map((r) => r.fault ?? 'none')).toEqual([
      'partial',
      'none',
    ]);
    expect(s.org.standIn.records.all('Stage_Transition__c')).toHaveLength(1);
    expect(
      s.org.standIn.records.get('Opportunity', s.dealId)
        ?.Cosell_Stage_Version__c,
    ).toBe(4);
  });

  it('retries a write after a trigger lock', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({
      kind: 'error',
      match: { method: 'PATCH', subrequest: true },
      error: TRIGGER_LOCK,
    });
    const transition = await s.org.gateway.applyMove(confirmMove(s));
    expect(transition.version).toBe(4);
    expect(dataCalls(s)).toHaveLength(2);
    expect(s.org.standIn.records.all('Stage_Transition__c')).toHaveLength(1);
  });

  it('does not retry a trigger CPU limit', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({
      kind: 'error',
      match: { method: 'PATCH', subrequest: true },
      error: {
        errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
        message:
          'DealTrigger: System.LimitException: Apex CPU time limit exceeded',
      },
    });
    const error = await s.org.gateway
      .applyMove(confirmMove(s))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrgRejectedError);
    expect((error as Error).message).toContain('Apex CPU time limit exceeded');
    expect((error as OrgRejectedError).fix).toContain('Apex CPU time limit');
    expect(dataCalls(s)).toHaveLength(1);
    expect(s.org.standIn.records.all('Stage_Transition__c')).toHaveLength(0);
  });

  it('does not retry a lock beside an invalid field', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({ kind: 'lock', match: userQuery });
    s.org.standIn.faults.next({
      kind: 'error',
      match: (request) =>
        request.subrequest && /FROM Opportunity\b/.test(request.query.q ?? ''),
      error: {
        errorCode: 'INVALID_FIELD',
        message: "No such column 'Foo__c' on entity 'Opportunity'.",
      },
    });
    const failed = read(s);
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failed).rejects.toThrow(/the org rejected the call/);
    await expect(failed).rejects.toThrow(/INVALID_FIELD/);
    await expect(failed).rejects.toThrow(/UNABLE_TO_LOCK_ROW/);
    expect(dataCalls(s)).toHaveLength(1);
  });

  it('does not retry the daily request limit', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({ kind: 'request-limit', times: 3 });
    const failed = read(s);
    await expect(failed).rejects.toBeInstanceOf(OrgRequestLimitError);
    await expect(failed).rejects.toThrow(
      /limit for the last 24 hours is used up[\s\S]*REQUEST_LIMIT_EXCEEDED/,
    );
    const error = (await failed.catch(
      (e: unknown) => e,
    )) as OrgRequestLimitError;
    expect(error.code).toBe('org_request_limit_exceeded');
    expect(error.fix).toContain('Setup > Company Information');
    expect(error.fix).not.toMatch(/shortly|in a minute/);
    expect(dataCalls(s)).toHaveLength(1);
  });

  it('reports a refused session renewal', async () => {
    const s = await startScene();
    s.org.standIn.revokeAllTokens();
    s.org.standIn.users[0]!.approved = false;
    const failed = read(s);
    await expect(failed).rejects.toBeInstanceOf(OrgAuthenticationError);
    const error = (await failed.catch(
      (e: unknown) => e,
    )) as OrgAuthenticationError;
    expect(error.code).toBe('org_authentication_failed');
    expect(error.message).toContain("invalid_grant: user hasn't approved");
    expect(error.fix).toContain('(invalid_grant)');
    expect(error.fix).toContain('pre-authorized for the connected app');
    expect(
      s.org.standIn.requests.map((r) => `${r.resource} ${r.status}`),
    ).toEqual(['composite 401', 'oauth 400']);
  });

  it('renews an expired session and retries once', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({ kind: 'expired-session' });
    const context = await read(s);
    expect(context.deal?.Id).toBe(s.dealId);
    expect(
      s.org.standIn.requests.map((r) => `${r.resource} ${r.status}`),
    ).toEqual(['composite 401', 'oauth 200', 'composite 200']);
    expect(s.org.gateway.usage().tokensRenewed).toBe(1);
  });

  it('shares one renewal between concurrent calls', async () => {
    const s = await startScene();
    s.org.standIn.revokeAllTokens();
    const [first, second] = await Promise.all([read(s), read(s)]);
    expect(first.deal?.Id).toBe(s.dealId);
    expect(second.deal?.Id).toBe(s.dealId);
    expect(
      s.org.standIn.requests.filter((r) => r.resource === 'oauth'),
    ).toHaveLength(1);
  });

  it('fails when the renewed session expires again', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({ kind: 'expired-session', times: 2 });
    const failed = read(s);
    await expect(failed).rejects.toBeInstanceOf(OrgAuthenticationError);
    await expect(failed).rejects.toThrow(/session is invalid/);
    expect(
      s.org.standIn.requests.map((r) => `${r.resource} ${r.status}`),
    ).toEqual(['composite 401', 'oauth 200', 'composite 401']);
  });

  it('retries a read that timed out', async () => {
    const s = await startScene({ timeoutMs: 500 });
    s.org.standIn.faults.next({ kind: 'slow', delayMs: 1_500 });
    const context = await read(s);
    expect(context.deal?.Id).toBe(s.dealId);
    await slowRequestServed(s);
  });

  it('applies a timed-out write once when the retry wins', async () => {
    const s = await startScene({ timeoutMs: 500 });
    s.org.standIn.faults.next({ kind: 'slow', delayMs: 2_000 });
    const transition = await s.org.gateway.applyMove(confirmMove(s));
    expect(transition.version).toBe(4);
    await slowRequestServed(s);
    const late = s.org.standIn.requests.find((r) => r.fault === 'slow');
    expect(late?.status).toBe(200);
    expect(s.org.standIn.records.all('Stage_Transition__c')).toHaveLength(1);
    expect(
      s.org.standIn.records.get('Opportunity', s.dealId)
        ?.Cosell_Stage_Version__c,
    ).toBe(4);
  });

  it('reports a timed-out write that was applied', async () => {
    const s = await startScene({
      timeoutMs: 500,
      retryMinMs: 1_400,
      retryMaxMs: 1_400,
    });
    s.org.standIn.faults.next({ kind: 'slow', delayMs: 700 });
    const transition = await s.org.gateway.applyMove(confirmMove(s));
    expect(transition).toMatchObject({
      requestId: s.requestId,
      version: 4,
      key: `request:${s.requestId}`,
    });
    expect(s.org.standIn.records.all('Stage_Transition__c')).toHaveLength(1);
    // The retry finds the request applied, so the gateway reads the transition.
    expect(dataCalls(s).map((r) => `${r.resource} ${r.fault ?? ''}`)).toEqual([
      'composite slow',
      'composite ',
      'query ',
    ]);
  });

  it('keeps a conflict that no timeout explains', async () => {
    const s = await startScene();
    await s.org.gateway.applyMove(confirmMove(s));
    await expect(
      s.org.gateway.applyMove(confirmMove(s)),
    ).rejects.toBeInstanceOf(ConcurrentChangeError);
  });

  it('rejects a move without the permission', async () => {
    const org = await startTestOrg({
      stageModels: false,
      users: [
        { username: INTEGRATION_USER, name: 'Integration User' },
        DEFAULT_USERS[1]!,
      ],
    });
    const integrationUserId = org.standIn.users[0]!.id;
    const sellerId = org.standIn.users[1]!.id;
    const { dealId } = seedDeal(org.standIn);
    const requestId = seedPendingRequest(org.standIn, dealId, sellerId);
    const s = { org, dealId, requestId, sellerId, integrationUserId, logs: [] };
    scene = s;

    const error = await org.gateway
      .applyMove(confirmMove(s))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OrgRejectedError);
    const rejected = error as OrgRejectedError;
    expect(rejected.code).toBe('org_rejected');
    expect(rejected.message).toContain(
      `deal ${dealId} at its current version 3`,
    );
    expect(rejected.orgErrors.map((e) => e.errorCode)).toEqual([
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    ]);
    expect(rejected.fix).toContain(
      'Assign the Cosell_Integration permission set',
    );
    expect(org.standIn.records.all('Stage_Transition__c')).toHaveLength(0);
  });

  it('keeps a malformed stage field as the org sent it', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({
      kind: 'rewrite',
      match: dealQuery,
      rewrite: (body) => {
        const [deal] = (body as { records: Array<Record<string, unknown>> })
          .records;
        deal!.Cosell_Stage__c = 7;
        return body;
      },
    });
    // The use cases check this field and name it: read as text, a stage of 7
    // would be a stage the model lacks. A field left out gets a 502 instead.
    const { deal } = await read(s);
    expect(deal?.Cosell_Stage__c).toBe(7);
    expect(deal?.Cosell_Stage_Entered_At__c).toBe('2025-01-31T23:30:00.000Z');
  });

  it('reports every error of a failed call', async () => {
    const s = await startScene({ maxRetries: 0 });
    s.org.standIn.faults.next({
      kind: 'lock',
      match: { subrequest: true },
      times: 2,
    });
    const failed = read(s);
    await expect(failed).rejects.toBeInstanceOf(RecordLockedError);
    const error = await failed.catch((caught: Error) => caught);
    const message = (error as Error).message;
    expect(message.match(/UNABLE_TO_LOCK_ROW/g)).toHaveLength(2);
    expect(message).toContain('(deal)');
    expect(message).toContain('(user)');
  });
});

describe('SalesforceGateway malformed responses', () => {
  const readCases: [string, (body: string) => string, RegExp][] = [
    [
      'an HTML page',
      () => '<html><body>Maintenance</body></html>',
      /the composite response is not JSON/,
    ],
    [
      'truncated JSON',
      (body) => body.slice(0, Math.floor(body.length / 2)),
      /the composite response is not JSON/,
    ],
    [
      'no compositeResponse',
      () => '{"results":[]}',
      /the composite response does not match the expected shape at compositeResponse/,
    ],
    [
      'a missing sub-response',
      editComposite((responses) => {
        const user = responses.findIndex((r) => r.referenceId === 'user');
        responses.splice(user, 1);
      }),
      /no sub-response for user/,
    ],
    [
      'a query result without records',
      editComposite((responses) => {
        const user = responses.find((r) => r.referenceId === 'user');
        delete (user!.body as Record<string, unknown>).records;
      }),
      /query result of subrequest user does not match the expected shape at records/,
    ],
    [
      'a deal without Id',
      editRecord('deal', (record) => delete record.Id),
      /a record of subrequest deal has no Id,/,
    ],
    [
      'a deal without Vendor_Owner__c',
      editRecord('deal', (record) => delete record.Vendor_Owner__c),
      /a record of subrequest deal has no Vendor_Owner__c,/,
    ],
    [
      'a user without Id',
      editRecord('user', (record) => delete record.Id),
      /a record of subrequest user has no Id,/,
    ],
  ];

  it.each(readCases)(
    'rejects a read given %s',
    async (_name, replace, text) => {
      const s = await startScene();
      s.org.standIn.faults.next({
        kind: 'malformed',
        match: { method: 'POST', path: '/composite' },
        replaceBody: replace,
      });

      const error = await read(s).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(OrgResponseInvalidError);
      const invalid = error as OrgResponseInvalidError;
      expect(invalid.code).toBe('org_response_invalid');
      expect(invalid.message).toMatch(/^read deal context: /);
      expect(invalid.message).toMatch(text);
      expect(invalid.message).not.toContain('Maintenance');
      expect(invalid.message).not.toContain('Acme');
      expect(invalid.fix).toContain('COSELL_SF_INSTANCE_URL');
      // A malformed response is not retried.
      expect(dataCalls(s)).toHaveLength(1);
    },
  );

  it('rejects a query page without records', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({
      kind: 'malformed',
      match: { method: 'GET', path: '/query' },
      replaceBody: () => '{"totalSize":1,"done":true}',
    });

    const error = await s.org.gateway
      .listTransitions(s.dealId)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OrgResponseInvalidError);
    expect((error as Error).message).toMatch(
      /^list stage transitions: .*the query result does not match the expected shape at records/,
    );
  });

  it('rejects a malformed collection delete result', async () => {
    const s = await startScene();
    s.org.standIn.records.insert('Idempotency_Record__c', {
      Name: 'key-1',
      Key__c: 'key-1',
      Fingerprint__c: 'f'.repeat(64),
      Response_Status__c: 201,
      Response_Body__c: '{"operation":"request"}',
      Expires_At__c: '2026-01-01T00:00:00.000Z',
    });
    s.org.standIn.faults.next({
      kind: 'malformed',
      match: { method: 'DELETE', path: '/composite/sobjects' },
      replaceBody: () => '{"results":[]}',
    });

    const error = await s.org.gateway
      .purgeExpiredIdempotency('2026-03-01T00:00:00.000Z', 500)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OrgResponseInvalidError);
    expect((error as Error).message).toMatch(
      /^purge expired idempotency records: .*the sObject Collections result does not match the expected shape/,
    );
  });

  it('rejects a malformed Bulk API job info', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({
      kind: 'malformed',
      match: { method: 'POST', path: '/jobs/query' },
    });

    const stream = s.org.gateway.streamOpenDeals(TEST_PLAN);
    const error = await stream.next().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OrgResponseInvalidError);
    expect((error as Error).message).toMatch(
      /^stream open deals: .*the job info is not JSON/,
    );
  });

  it('reports a write applied behind a malformed response', async () => {
    const s = await startScene();
    s.org.standIn.faults.next({
      kind: 'malformed',
      match: { method: 'POST', path: '/composite' },
    });

    const transition = await s.org.gateway.applyMove(confirmMove(s));

    expect(transition).toMatchObject({
      requestId: s.requestId,
      version: 4,
      key: `request:${s.requestId}`,
    });
    expect(s.org.standIn.records.all('Stage_Transition__c')).toHaveLength(1);
    expect(
      s.org.standIn.records.get('Opportunity', s.dealId)
        ?.Cosell_Stage_Version__c,
    ).toBe(4);
    // No retry of the write: the read-back decides.
    expect(dataCalls(s).map((r) => `${r.resource} ${r.fault ?? ''}`)).toEqual([
      'composite malformed',
      'query ',
    ]);
    const warnings = s.logs.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      operation: 'apply stage move',
      dealId: s.dealId,
      requestId: s.requestId,
      errorCodes: ['MALFORMED_RESPONSE'],
    });
  });

  it('rejects a write that a read does not find', async () => {
    const s = await startScene();
    // The request is no longer pending, so the composite call rolls back.
    s.org.standIn.records.update('Stage_Request__c', s.requestId, {
      Status__c: 'Rejected',
    });
    s.org.standIn.faults.next({
      kind: 'malformed',
      match: { method: 'POST', path: '/composite' },
    });

    const error = await s.org.gateway
      .applyMove(confirmMove(s))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OrgResponseInvalidError);
    expect((error as Error).message).toMatch(
      /^apply stage move: .*the composite response is not JSON/,
    );
    expect(s.org.standIn.records.all('Stage_Transition__c')).toHaveLength(0);
    expect(dataCalls(s).map((r) => r.resource)).toEqual(['composite', 'query']);
  });
});

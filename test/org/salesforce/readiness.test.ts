import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../middleware/src/logger.js';
import {
  NOT_READY_REUSE_MS,
  StoreNotReadyError,
  StoreReadiness,
} from '../../../middleware/src/http/store-readiness.js';
import {
  startServer,
  type RunningServer,
} from '../../../middleware/src/server.js';
import { logLineStream } from '../../helpers/log-lines.js';
import {
  seedPeople,
  seedReadyDeal,
  type People,
} from '../../../scripts/bench/salesforce-bench-org.js';
import {
  DEFAULT_STAGE_GUARD_MESSAGES,
  DEFAULT_USERS,
  startSalesforceStandIn,
  type StandIn,
  type StandInUserConfig,
} from '../../salesforce-stand-in/index.js';
import {
  CLIENT_ID,
  INTEGRATION_USER,
  PACKAGE_DIR,
  packageSchema,
  rsaPem,
  seedDeal,
  seedStageModels,
  SILENT,
  startTestOrg,
  type TestOrg,
} from './salesforce-fixture.js';

const API_TOKEN = 'readiness-test-token-0123456789abcdef0123456789';

interface LogEntry {
  level: number;
  msg: string;
  req?: { id?: string };
  reason?: string;
  err?: { type?: string; message?: string };
}

interface ProblemBody {
  code: string;
  detail: string;
  fix: string;
  value?: unknown;
}

/** Starts the stand-in with the package's stage models. */
async function startStandIn(
  options: { port?: number; users?: StandInUserConfig[] } = {},
): Promise<StandIn> {
  const standIn = await startSalesforceStandIn({
    schema: await packageSchema(),
    clientId: CLIENT_ID,
    jwtPublicKey: rsaPem().publicKey,
    ...options,
  });
  await seedStageModels(standIn, PACKAGE_DIR);
  return standIn;
}

/** Starts the middleware on the stand-in. `env` adds or replaces variables. */
function startMiddleware(
  standIn: StandIn,
  logLines: string[],
  env: Record<string, string> = {},
): Promise<RunningServer> {
  return startServer(
    {
      PORT: '0',
      COSELL_STORE: 'salesforce',
      COSELL_API_TOKEN: API_TOKEN,
      COSELL_EXPIRY_SWEEP_SECONDS: '0',
      COSELL_SF_LOGIN_URL: standIn.loginUrl,
      COSELL_SF_CLIENT_ID: CLIENT_ID,
      COSELL_SF_USERNAME: INTEGRATION_USER,
      COSELL_SF_PRIVATE_KEY: rsaPem().privateKey,
      COSELL_SF_TIMEOUT_MS: '2000',
      ...env,
    },
    createLogger(
      'info',
      logLineStream((line) => logLines.push(line)),
    ),
  );
}

/** Starts the stand-in with the package's stage models and one deal. */
async function startOrg(
  port = 0,
): Promise<{ standIn: StandIn; dealId: string; sellerId: string }> {
  const standIn = await startStandIn({ port });
  const sellerId = standIn.users[1]!.id;
  const { dealId } = seedDeal(standIn, { Vendor_Owner__c: sellerId });
  return { standIn, dealId, sellerId };
}

describe('/readyz on COSELL_STORE=salesforce', () => {
  let standIn: StandIn;
  let running: RunningServer;
  let dealId: string;
  let sellerId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    ({ standIn, dealId, sellerId } = await startOrg());
    running = await startMiddleware(standIn, logLines, {
      COSELL_SF_MAX_RETRIES: '0',
    });
  });

  afterAll(async () => {
    await running?.close();
    await standIn?.close();
  });

  function logEntries(): LogEntry[] {
    return logLines.map((line) => JSON.parse(line) as LogEntry);
  }

  /** Counts the readiness checks the stand-in served: reads of the resource list. */
  function checksServed(): number {
    return standIn.requests.filter((r) => r.resource === 'other').length;
  }

  it('reuses a passed check', async () => {
    standIn.resetLog();

    const first = await fetch(`${running.url}/readyz`);
    const second = await fetch(`${running.url}/readyz`);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(checksServed()).toBe(1);
  });

  it('reports a failed store call', async () => {
    const port = Number(new URL(standIn.instanceUrl).port);
    await standIn.close();

    const evaluation = await fetch(
      `${running.url}/v1/deals/${dealId}/evaluation`,
      {
        headers: {
          authorization: `Bearer ${API_TOKEN}`,
          'x-cosell-acting-user': sellerId,
          'x-request-id': 'readiness-evaluation',
        },
      },
    );
    const ready = await fetch(`${running.url}/readyz`);

    expect(evaluation.status).toBe(503);
    expect(evaluation.headers.get('retry-after')).toBe('5');
    const problem = (await evaluation.json()) as ProblemBody;
    expect(problem.code).toBe('store_unavailable');
    expect(problem.detail).toBe('The store of record could not be reached.');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toContain(
      'application/problem+json',
    );
    const body = (await ready.json()) as { code: string; detail: string };
    expect(body.code).toBe('store_unavailable');
    expect(body.detail).toMatch(
      /^A call to the store of record failed at .* with the error store_unavailable\.$/,
    );

    // Restarted for the tests below, on the same port, so the gateway finds it.
    ({ standIn, dealId, sellerId } = await startOrg(port));
  });

  it('logs a 503 once with its error', () => {
    const lines = logEntries().filter(
      (entry) => entry.req?.id === 'readiness-evaluation',
    );

    expect(lines).toHaveLength(1);
    expect(lines[0]?.err?.type).toBe('StoreUnavailableError');
    expect(lines[0]?.err?.message).toContain('read deal context');
    expect(logLines.join('\n')).not.toContain('failed with status code');
    expect(logLines.join('\n')).not.toContain(API_TOKEN);
    expect(logLines.join('\n')).not.toMatch(/00D\w{12}!/);
  });

  it('logs the change to not ready once', () => {
    const notReady = logEntries().filter(
      (entry) => entry.msg === 'store of record not ready',
    );

    expect(notReady).toHaveLength(1);
  });

  it('reports ready again after a passed check', async () => {
    await new Promise((resolve) => setTimeout(resolve, NOT_READY_REUSE_MS));

    const ready = await fetch(`${running.url}/readyz`);

    expect(ready.status).toBe(200);
    expect(
      logEntries().filter(
        (entry) => entry.msg === 'store of record ready again',
      ),
    ).toHaveLength(1);
  }, 15_000);
});

describe('StoreReadiness on the Salesforce gateway', () => {
  let org: TestOrg;

  beforeAll(async () => {
    org = await startTestOrg();
  });

  afterAll(async () => {
    await org?.close();
  });

  function readiness(timeoutMs = 2_000): StoreReadiness {
    return new StoreReadiness({
      check: () => org.gateway.checkAvailable(),
      logger: SILENT,
      timeoutMs,
    });
  }

  it('passes with one API call', async () => {
    org.standIn.resetLog();

    await readiness().requireReady();

    expect(org.apiCalls()).toBe(1);
  });

  it('times out on a slow org', async () => {
    org.standIn.faults.next({ kind: 'slow', delayMs: 1_000 });

    const error = await readiness(100)
      .requireReady()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreNotReadyError);
    expect((error as Error).message).toBe(
      'The store of record did not respond to a readiness check within 100 ms.',
    );
  });

  it('fails on a 503 without retries', async () => {
    org.standIn.faults.next({ kind: '503' });
    org.standIn.resetLog();

    const error = await readiness()
      .requireReady()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreNotReadyError);
    expect((error as Error).message).toBe(
      'The store of record failed a readiness check (StoreUnavailableError).',
    );
    expect(
      org.standIn.requests.filter((r) => r.resource === 'other'),
    ).toHaveLength(1);
  });
});

describe('a move the org rejects on COSELL_STORE=salesforce', () => {
  let standIn: StandIn;
  let running: RunningServer;
  let people: People;
  let dealId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    // The integration user has the Cosell_Integration permission set, which
    // the start checks, but not its custom permission, as when an admin took the
    // permission out of the set. So the org's stage guard rule rejects every
    // stage change it writes.
    standIn = await startStandIn({
      users: [
        {
          username: INTEGRATION_USER,
          name: 'Integration User',
          permissionSets: ['Cosell_Integration'],
        },
        DEFAULT_USERS[1]!,
      ],
    });
    people = seedPeople(standIn);
    dealId = seedReadyDeal(standIn, people);
    running = await startMiddleware(standIn, logLines);
  });

  afterAll(async () => {
    await running?.close();
    await standIn?.close();
  });

  function post(path: string, actingUserId: string, body: object) {
    return fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${API_TOKEN}`,
        'x-cosell-acting-user': actingUserId,
        'x-request-id': 'rejected-confirm',
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  }

  it('returns 422 and stays ready', async () => {
    const created = await post(
      `/v1/deals/${dealId}/stage-requests`,
      people.sellerId,
      { kind: 'Advance' },
    );
    expect(created.status).toBe(201);
    const request = (await created.json()) as { id: string };
    logLines.length = 0;

    const confirmed = await post(
      `/v1/stage-requests/${request.id}/confirm`,
      people.partnerUserId,
      {},
    );
    const ready = await fetch(`${running.url}/readyz`);

    expect(confirmed.status).toBe(422);
    const body = (await confirmed.json()) as {
      code: string;
      detail: string;
      fix: string;
      value: { errorCode: string; fields?: string[] }[];
    };
    expect(body.code).toBe('org_rejected');
    expect(body.detail).toContain(dealId);
    expect(body.detail).toContain('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(body.detail).toContain(DEFAULT_STAGE_GUARD_MESSAGES.stageChange);
    expect(body.fix).toMatch(
      /^Assign the Cosell_Integration permission set to the middleware's integration user/,
    );
    expect(body.value[0]?.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(body.value[0]?.fields).toEqual(['Cosell_Stage__c']);
    expect(ready.status).toBe(200);
    expect(standIn.records.get('Opportunity', dealId)?.Cosell_Stage__c).toBe(
      'Registered',
    );
  });

  it('logs the rejection once with its ids', () => {
    const lines = logLines
      .map((line) => JSON.parse(line) as LogEntry)
      .filter((entry) => entry.req?.id === 'rejected-confirm');

    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(40);
    expect(lines[0]?.err?.type).toBe('OrgRejectedError');
    expect(lines[0]?.err?.message).toContain(dealId);
    expect(lines[0]?.err?.message).toContain(
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    );
    expect(logLines.join('\n')).not.toContain(API_TOKEN);
    expect(logLines.join('\n')).not.toMatch(/00D\w{12}!/);
  });
});

describe('org failures on COSELL_STORE=salesforce', () => {
  let standIn: StandIn;
  let running: RunningServer;
  let people: People;
  let dealId: string;
  let requestId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    standIn = await startStandIn();
    people = seedPeople(standIn);
    dealId = seedReadyDeal(standIn, people);
    running = await startMiddleware(standIn, logLines, {
      COSELL_SF_MAX_RETRIES: '1',
      COSELL_SF_RETRY_MIN_MS: '1',
      COSELL_SF_RETRY_MAX_MS: '5',
    });
    const created = await post(
      `/v1/deals/${dealId}/stage-requests`,
      people.sellerId,
      'org-failure-request',
      { kind: 'Advance' },
    );
    expect(created.status).toBe(201);
    requestId = ((await created.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await running?.close();
    await standIn?.close();
  });

  function post(path: string, actingUserId: string, id: string, body = {}) {
    return fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${API_TOKEN}`,
        'x-cosell-acting-user': actingUserId,
        'x-request-id': id,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  }

  function confirm(id: string) {
    return post(
      `/v1/stage-requests/${requestId}/confirm`,
      people.partnerUserId,
      id,
    );
  }

  function entriesOf(requestLogId: string): LogEntry[] {
    return logLines
      .map((line) => JSON.parse(line) as LogEntry)
      .filter((entry) => entry.req?.id === requestLogId);
  }

  function notReadyLines(): LogEntry[] {
    return logLines
      .map((line) => JSON.parse(line) as LogEntry)
      .filter((entry) => entry.msg === 'store of record not ready');
  }

  it('returns 409 for a lasting lock and stays ready', async () => {
    standIn.faults.next({
      kind: 'lock',
      match: { method: 'PATCH', path: 'Stage_Request__c', subrequest: true },
      times: 2,
    });

    const confirmed = await confirm('locked-confirm');
    const ready = await fetch(`${running.url}/readyz`);

    expect(confirmed.status).toBe(409);
    expect(confirmed.headers.get('retry-after')).toBe('5');
    const body = (await confirmed.json()) as ProblemBody;
    expect(body.code).toBe('record_locked');
    expect(body.value).toBe(requestId);
    expect(body.detail).toContain(`record ${requestId} is locked`);
    expect(body.fix).toContain('Retry-After');
    expect(ready.status).toBe(200);
    expect(notReadyLines()).toHaveLength(0);
    expect(standIn.records.get('Opportunity', dealId)?.Cosell_Stage__c).toBe(
      'Registered',
    );
  });

  it('logs the lock error once', () => {
    const lines = entriesOf('locked-confirm');

    expect(lines).toHaveLength(1);
    expect(lines[0]?.err?.type).toBe('RecordLockedError');
    const message = lines[0]?.err?.message ?? '';
    expect(message.match(/unable to obtain exclusive access/g)).toHaveLength(1);
    expect(message).not.toContain('apply stage move failed');
  });

  it('returns 503 for the API request limit', async () => {
    standIn.faults.next({ kind: 'request-limit', times: 3 });

    const confirmed = await confirm('limited-confirm');
    const ready = await fetch(`${running.url}/readyz`);
    standIn.faults.clear();

    expect(confirmed.status).toBe(503);
    expect(confirmed.headers.get('retry-after')).toBeNull();
    const body = (await confirmed.json()) as ProblemBody;
    expect(body.code).toBe('org_request_limit_exceeded');
    expect(body.detail).toContain('REQUEST_LIMIT_EXCEEDED');
    expect(body.fix).toContain('last 24 hours');
    expect(body.fix).toContain('Setup > Company Information');
    expect(body.fix).not.toMatch(/shortly|in a minute/);
    expect(ready.status).toBe(503);
    const readyBody = (await ready.json()) as ProblemBody;
    expect(readyBody.detail).toContain(
      'with the error org_request_limit_exceeded.',
    );
  });

  it('logs not ready with its reason once', () => {
    const lines = notReadyLines();

    expect(lines).toHaveLength(1);
    expect(lines[0]?.reason).toMatch(
      /with the error org_request_limit_exceeded\.$/,
    );
    expect(lines[0]?.err?.type).toBe('OrgRequestLimitError');
    const message = lines[0]?.err?.message ?? '';
    expect(message).not.toContain('.:');
    expect(message.match(/TotalRequests Limit exceeded/g)).toHaveLength(1);
  });

  it('returns 503 for a refused token request', async () => {
    standIn.revokeAllTokens();
    standIn.users[0]!.approved = false;

    const confirmed = await confirm('refused-confirm');
    standIn.users[0]!.approved = true;

    expect(confirmed.status).toBe(503);
    expect(confirmed.headers.get('retry-after')).toBeNull();
    const text = await confirmed.text();
    const body = JSON.parse(text) as ProblemBody;
    expect(body.code).toBe('org_authentication_failed');
    expect(body.detail).toContain("invalid_grant: user hasn't approved");
    expect(body.fix).toContain('pre-authorized for the connected app');
    expect(body.fix).not.toMatch(/shortly|in a minute/);
    expect(text).not.toContain(API_TOKEN);
    expect(text).not.toMatch(/00D\w{12}!/);
    expect(logLines.join('\n')).not.toMatch(/00D\w{12}!/);
  });
});

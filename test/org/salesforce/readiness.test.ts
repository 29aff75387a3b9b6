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
  startSalesforceStandIn,
  type StandIn,
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
  err?: { type?: string; message?: string };
}

/** Starts the stand-in with the package's stage models and one deal. */
async function startOrg(
  port = 0,
): Promise<{ standIn: StandIn; dealId: string; sellerId: string }> {
  const standIn = await startSalesforceStandIn({
    schema: await packageSchema(),
    clientId: CLIENT_ID,
    jwtPublicKey: rsaPem().publicKey,
    port,
  });
  await seedStageModels(standIn, PACKAGE_DIR);
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
    running = await startServer(
      {
        PORT: '0',
        COSELL_STORE: 'salesforce',
        COSELL_API_TOKEN: API_TOKEN,
        COSELL_EXPIRY_SWEEP_SECONDS: '0',
        COSELL_SF_LOGIN_URL: standIn.loginUrl,
        COSELL_SF_CLIENT_ID: CLIENT_ID,
        COSELL_SF_USERNAME: INTEGRATION_USER,
        COSELL_SF_PRIVATE_KEY: rsaPem().privateKey,
        COSELL_SF_MAX_RETRIES: '0',
        COSELL_SF_TIMEOUT_MS: '2000',
      },
      createLogger(
        'info',
        logLineStream((line) => logLines.push(line)),
      ),
    );
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
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toContain(
      'application/problem+json',
    );
    const body = (await ready.json()) as { code: string; detail: string };
    expect(body.code).toBe('store_unavailable');
    expect(body.detail).toMatch(
      /^A call to the store of record failed at .* because the store was unavailable\.$/,
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

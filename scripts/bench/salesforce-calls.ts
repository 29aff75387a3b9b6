/**
 * Salesforce API calls the middleware spends, counted from the request log of the
 * loopback stand-in (`test/salesforce-stand-in/`, compiled with the build):
 *
 * - per evaluation (target 1) and per confirmed move (target 2: one read with the
 *   acting user's side and the idempotency check, one write), beside a naive
 *   client that makes one call per record touched, run against the same org;
 * - one-time costs at start (token, describe, stage models), apart;
 * - re-evaluating every open deal (100,000 by default) through the Bulk API 2.0
 *   path: API calls, time and memory.
 *
 * `node dist/scripts/bench/salesforce-calls.js [openDeals]` prints the result as
 * JSON. The stand-in runs in this process, so the time includes its work.
 */
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import jsforce from 'jsforce';
import { pino } from 'pino';
import { confirmRequest } from '../../middleware/src/app/answer-request.js';
import type { CosellContext } from '../../middleware/src/app/cosell-context.js';
import { getEvaluation } from '../../middleware/src/app/explain-deal.js';
import { requestStage } from '../../middleware/src/app/request-stage.js';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import { PACKAGE_ROOT } from '../../middleware/src/config.js';
import { evaluateDeal } from '../../middleware/src/domain/evaluation.js';
import type { RecordData } from '../../middleware/src/domain/records.js';
import type { OrgSchema } from '../../middleware/src/domain/schema.js';
import { readForceAppSchema } from '../../middleware/src/org/force-app/index.js';
import { JwtBearerTokenSource } from '../../middleware/src/org/salesforce/jwt-bearer.js';
import { SalesforceGateway } from '../../middleware/src/org/salesforce/salesforce-gateway.js';
import {
  startSalesforceStandIn,
  type StandIn,
} from '../../test/salesforce-stand-in/index.js';
import {
  seedOpenDeals,
  seedPeople,
  seedReadyDeal,
  seedStageModels,
  type People,
} from './salesforce-bench-org.js';

const PACKAGE_DIR = path.join(PACKAGE_ROOT, 'force-app');
const API_VERSION = '62.0';
const CLIENT_ID = 'cosell-bench-connected-app';
const INTEGRATION_USER = 'integration@stand-in.example';

export interface CallCount {
  /** Data API calls the stand-in logged. */
  calls: number;
  target?: number;
  /** Calls of a client that reads or writes one record a call. */
  naiveCalls: number;
  /** Records the naive client read, then wrote. */
  recordsRead: number;
  recordsWritten: number;
}

export interface SalesforceCallsResult {
  apiVersion: string;
  oneTime: {
    /** Token requests (OAuth, not data API calls). */
    tokenRequests: number;
    describeCalls: number;
    modelLoadCalls: number;
  };
  request: CallCount;
  evaluation: CallCount;
  confirmedMove: CallCount;
  bulkReevaluation: {
    openDeals: number;
    dealsRead: number;
    criteriaMet: number;
    apiCalls: number;
    jobs: number;
    polls: number;
    resultPages: number;
    bulkPageSize: number;
    seedMs: number;
    elapsedMs: number;
    dealsPerSecond: number;
    /**
     * Peak resident set of this process while streaming. It includes the
     * stand-in, which keeps every record and each job's whole result in memory.
     */
    processPeakRssMiB: number;
  };
  withinTargets: boolean;
}

export interface SalesforceCallsOptions {
  openDeals?: number;
  /** Rows per Bulk API result page; default 10,000, as `COSELL_SF_BULK_PAGE_SIZE`. */
  bulkPageSize?: number;
  /** First wait between job polls; default 1,000 ms, as `COSELL_SF_BULK_POLL_MIN_MS`. */
  bulkPollMinMs?: number;
}

/** Measures the API calls of one evaluation, one confirmed move and a Bulk re-evaluation. */
export async function benchmarkSalesforceCalls(
  options: SalesforceCallsOptions = {},
): Promise<SalesforceCallsResult> {
  const openDeals = options.openDeals ?? 100_000;
  const bulkPageSize = options.bulkPageSize ?? 10_000;
  const schema = await readForceAppSchema(PACKAGE_DIR);
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const standIn = await startSalesforceStandIn({
    schema,
    clientId: CLIENT_ID,
    jwtPublicKey: keys.publicKey,
    apiVersion: API_VERSION,
    bulkDefaultMaxRecords: bulkPageSize,
  });
  try {
    await seedStageModels(standIn, PACKAGE_DIR);
    const people = seedPeople(standIn);
    const dealId = seedReadyDeal(standIn, people);
    const calls = () => standIn.requests.filter((r) => r.apiCall).length;

    const tokens = new JwtBearerTokenSource({
      loginUrl: standIn.loginUrl,
      audience: 'https://login.salesforce.com',
      clientId: CLIENT_ID,
      username: INTEGRATION_USER,
      privateKeyPem: keys.privateKey,
      timeoutMs: 30_000,
      logger: pino({ level: 'silent' }),
    });
    standIn.resetLog();
    const token = await tokens.requestToken();
    const tokenRequests = standIn.requests.length;
    const gateway = new SalesforceGateway({
      connection: new jsforce.Connection({
        instanceUrl: token.instanceUrl,
        accessToken: token.accessToken,
        version: API_VERSION,
      }),
      settings: {
        apiVersion: API_VERSION,
        timeoutMs: 30_000,
        maxRetries: 3,
        retryMinMs: 500,
        retryMaxMs: 8_000,
        bulkPollMinMs: options.bulkPollMinMs ?? 1_000,
        bulkPollMaxMs: 15_000,
        bulkTimeoutMs: 30 * 60_000,
        bulkPageSize,
      },
      logger: pino({ level: 'silent' }),
      tokenSource: tokens,
    });

    standIn.resetLog();
    await gateway.describeSchema();
    const describeCalls = calls();
    standIn.resetLog();
    const ctx = await createCosellContext(gateway, {
      timeZone: 'UTC',
      logger: pino({ level: 'silent' }),
    });
    const modelLoadCalls = calls();

    const vendor = { callerId: 'bench', userId: people.sellerId };
    const partner = { callerId: 'bench', userId: people.partnerUserId };

    let requestId = '';
    const request = await measureUseCase(standIn, schema, ctx, calls, {
      target: 2,
      dealId,
      userId: people.sellerId,
      // The naive client writes the request.
      recordsWritten: 1,
      run: async () => {
        const created = await requestStage(ctx, vendor, {
          dealId,
          kind: 'Advance',
        });
        requestId = created.body.id;
      },
    });

    const evaluation = await measureUseCase(standIn, schema, ctx, calls, {
      target: 1,
      dealId,
      userId: people.partnerUserId,
      run: () => getEvaluation(ctx, partner, dealId),
    });

    const confirmedMove = await measureUseCase(standIn, schema, ctx, calls, {
      target: 2,
      dealId,
      userId: people.partnerUserId,
      idempotencyKey: 'bench:confirm',
      // The naive client writes the deal, the request, the transition and the key.
      recordsWritten: 4,
      run: () =>
        confirmRequest(ctx, partner, requestId, {
          key: 'bench:confirm',
          clientKey: 'bench:confirm',
          fingerprint: 'b'.repeat(64),
        }),
    });

    const bulkReevaluation = await reevaluateOpenDeals(
      standIn,
      ctx,
      people,
      openDeals,
      bulkPageSize,
    );
    return {
      apiVersion: API_VERSION,
      oneTime: { tokenRequests, describeCalls, modelLoadCalls },
      request,
      evaluation,
      confirmedMove,
      bulkReevaluation,
      withinTargets: evaluation.calls <= 1 && confirmedMove.calls <= 2,
    };
  } finally {
    await standIn.close();
  }
}

/**
 * Counts the calls of a use case, then reads the records it read one by one, as
 * a naive client would, and counts those calls plus one per record written.
 */
async function measureUseCase(
  standIn: StandIn,
  schema: OrgSchema,
  ctx: CosellContext,
  calls: () => number,
  spec: {
    target: number;
    dealId: string;
    userId: string;
    idempotencyKey?: string;
    recordsWritten?: number;
    run: () => Promise<unknown>;
  },
): Promise<CallCount> {
  const read = () =>
    ctx.gateway.readDealContext({
      dealId: spec.dealId,
      actingUserId: spec.userId,
      idempotencyKey: spec.idempotencyKey,
      plan: ctx.plan,
    });
  // The records the use case reads, taken before it runs, as it reads them.
  const touched = recordIds(await read());
  standIn.resetLog();
  await spec.run();
  const used = calls();
  standIn.resetLog();
  await readOneByOne(standIn, schema, touched);
  const written = spec.recordsWritten ?? 0;
  return {
    calls: used,
    target: spec.target,
    naiveCalls: calls() + written,
    recordsRead: touched.length,
    recordsWritten: written,
  };
}

/** Every record Id in a value, with the parents and children nested in it. */
function recordIds(value: unknown): string[] {
  const ids = new Set<string>();
  const visit = (item: unknown) => {
    if (Array.isArray(item)) {
      item.forEach(visit);
      return;
    }
    if (item === null || typeof item !== 'object') return;
    for (const [key, nested] of Object.entries(item as RecordData)) {
      if (
        (key === 'Id' || key === 'id') &&
        typeof nested === 'string' &&
        /^[a-zA-Z0-9]{18}$/.test(nested)
      ) {
        ids.add(nested);
      } else {
        visit(nested);
      }
    }
  };
  visit(value);
  return [...ids];
}

/** Reads each record with its own `GET /sobjects/{type}/{id}` call. */
async function readOneByOne(
  standIn: StandIn,
  schema: OrgSchema,
  ids: string[],
): Promise<void> {
  const byPrefix = new Map(
    Object.values(schema).map((object) => [object.keyPrefix, object.name]),
  );
  const token = standIn.issueToken(INTEGRATION_USER);
  for (const id of ids) {
    const type = byPrefix.get(id.slice(0, 3));
    if (!type) continue;
    await fetch(
      `${standIn.instanceUrl}/services/data/v${API_VERSION}/sobjects/${type}/${id}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
  }
}

async function reevaluateOpenDeals(
  standIn: StandIn,
  ctx: CosellContext,
  people: People,
  openDeals: number,
  bulkPageSize: number,
): Promise<SalesforceCallsResult['bulkReevaluation']> {
  const seedStarted = performance.now();
  seedOpenDeals(standIn, people, openDeals);
  const seedMs = performance.now() - seedStarted;

  standIn.resetLog();
  let peakRss = process.memoryUsage().rss;
  let dealsRead = 0;
  let criteriaMet = 0;
  const env = { now: new Date(), timeZone: 'UTC' };
  const started = performance.now();
  for await (const deal of ctx.gateway.streamOpenDeals(ctx.plan)) {
    const model = ctx.models.get(String(deal.Cosell_Model__c ?? 'Default'));
    if (!model) continue;
    const { results } = evaluateDeal(model, deal, env);
    if (results.every((result) => result.met)) criteriaMet += 1;
    dealsRead += 1;
    if (dealsRead % 10_000 === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  }
  const elapsedMs = performance.now() - started;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const logged = standIn.requests.filter((r) => r.apiCall);
  return {
    openDeals,
    dealsRead,
    criteriaMet,
    apiCalls: logged.length,
    jobs: logged.filter((r) => r.method === 'POST').length,
    polls: logged.filter(
      (r) => r.method === 'GET' && /\/jobs\/query\/\w+$/.test(r.path),
    ).length,
    resultPages: logged.filter((r) => r.path.endsWith('/results')).length,
    bulkPageSize,
    seedMs: Math.round(seedMs),
    elapsedMs: Math.round(elapsedMs),
    dealsPerSecond: Math.round((dealsRead / elapsedMs) * 1000),
    processPeakRssMiB: Math.round(peakRss / 2 ** 20),
  };
}

if (
  process.argv[1] &&
  import.meta.url === new URL(`file://${process.argv[1]}`).href
) {
  const openDeals = process.argv[2] ? Number(process.argv[2]) : undefined;
  if (
    openDeals !== undefined &&
    (!Number.isInteger(openDeals) || openDeals < 1)
  ) {
    process.stderr.write(
      `openDeals must be a whole number of at least 1, not ${process.argv[2]}\n`,
    );
    process.exit(2);
  }
  const result = await benchmarkSalesforceCalls({ openDeals });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (!result.withinTargets) process.exitCode = 1;
}

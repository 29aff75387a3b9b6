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
import {
  readForceAppSchema,
  readModelSource,
} from '../../middleware/src/org/force-app/index.js';
import { JwtBearerTokenSource } from '../../middleware/src/org/salesforce/jwt-bearer.js';
import { SalesforceGateway } from '../../middleware/src/org/salesforce/salesforce-gateway.js';
import {
  startSalesforceStandIn,
  type StandIn,
} from '../../test/salesforce-stand-in/index.js';

const PACKAGE_DIR = path.join(PACKAGE_ROOT, 'force-app');
const API_VERSION = '62.0';
const CLIENT_ID = 'cosell-bench-connected-app';
const INTEGRATION_USER = 'integration@stand-in.example';
const SELLER_USER = 'seller@stand-in.example';

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

interface People {
  sellerId: string;
  partnerUserId: string;
  partnerAccountId: string;
  customerId: string;
}

function seedPeople(standIn: StandIn): People {
  const sellerId = standIn.users.find((u) => u.username === SELLER_USER)!.id;
  const customerId = standIn.records.insert('Account', {
    Name: 'Northwind Traders',
  });
  const partnerAccountId = standIn.records.insert('Account', {
    Name: 'Acme Cloud Partners',
    IsPartner: true,
  });
  const partnerUserId = standIn.addUser({
    username: 'partner@stand-in.example',
    name: 'Pat Partner',
    userType: 'PowerPartner',
    accountId: partnerAccountId,
    permissionSets: ['Cosell_Partner_Seller'],
  }).id;
  return { sellerId, partnerUserId, partnerAccountId, customerId };
}

/** Inserts a deal at `Registered` whose exit criteria hold, with its children. */
function seedReadyDeal(standIn: StandIn, people: People): string {
  const dealId = standIn.records.insert('Opportunity', dealFields(people, 0));
  for (const row of childRows(people, dealId)) {
    standIn.records.insert(row.type, row.fields);
  }
  return dealId;
}

function dealFields(people: People, index: number) {
  return {
    Name: `Northwind deal ${index}`,
    AccountId: people.customerId,
    StageName: 'Qualification',
    CloseDate: '2027-03-31',
    Amount: 125000.5 + index,
    Cosell_Stage__c: 'Registered',
    Cosell_Model__c: 'Default',
    Cosell_Stage_Version__c: 1,
    Cosell_Stage_Entered_At__c: '2026-11-02T09:30:00.000Z',
    Partner_Account__c: people.partnerAccountId,
    Vendor_Owner__c: people.sellerId,
    Partner_Owner__c: people.partnerUserId,
  };
}

function childRows(people: People, dealId: string) {
  return [
    {
      type: 'Deal_Registration__c',
      fields: {
        Opportunity__c: dealId,
        Partner_Account__c: people.partnerAccountId,
        Customer_Company__c: 'Northwind Traders',
        Status__c: 'Approved',
        Conflict_Status__c: 'Clear',
      },
    },
    {
      type: 'Deal_Partner__c',
      fields: {
        Opportunity__c: dealId,
        Partner_Account__c: people.partnerAccountId,
        Role__c: 'Sourcing',
        Split_Percent__c: 100,
      },
    },
  ];
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
  const batch = 5_000;
  for (let start = 0; start < openDeals; start += batch) {
    const count = Math.min(batch, openDeals - start);
    const ids = standIn.records.insertMany(
      'Opportunity',
      Array.from({ length: count }, (_, i) => dealFields(people, start + i)),
    );
    for (const type of ['Deal_Registration__c', 'Deal_Partner__c']) {
      standIn.records.insertMany(
        type,
        ids.map(
          (dealId) =>
            childRows(people, dealId).find((row) => row.type === type)!.fields,
        ),
      );
    }
  }
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

/**
 * Inserts the stage models of a force-app folder into the stand-in as custom
 * metadata records, as a deploy would create them; tests use it too.
 */
export async function seedStageModels(
  standIn: StandIn,
  packageDir: string,
): Promise<void> {
  const source = await readModelSource(packageDir);
  const names = (developerName: string, label: string) => ({
    DeveloperName: developerName,
    QualifiedApiName: developerName,
    MasterLabel: label,
    Label: label,
  });
  const modelIds = new Map<string, string>();
  for (const model of source.models) {
    modelIds.set(
      model.developerName,
      standIn.records.insert('Cosell_Model__mdt', {
        ...names(model.developerName, model.label),
        Request_Expiry_Hours__c: model.requestExpiryHours,
        Registration_Expiry_Days__c: model.registrationExpiryDays,
        Vendor_Only_Fields__c: model.vendorOnlyFields.join('\n'),
        Description__c: model.description ?? null,
      }),
    );
  }
  const stageIds = new Map<string, string>();
  for (const stage of source.stages) {
    stageIds.set(
      stage.developerName,
      standIn.records.insert('Cosell_Stage__mdt', {
        ...names(stage.developerName, stage.label),
        Model__c: modelIds.get(stage.model),
        Stage_Value__c: stage.value,
        Order__c: stage.order,
        Probability__c: stage.probability,
        Forecast_Category__c: stage.forecastCategory,
        Stall_Days__c: stage.stallDays,
        Is_Closed__c: stage.closed,
        Is_Won__c: stage.won,
      }),
    );
  }
  for (const criterion of source.criteria) {
    standIn.records.insert('Exit_Criterion__mdt', {
      ...names(criterion.developerName, criterion.label),
      Stage__c: stageIds.get(criterion.stage),
      Kind__c: criterion.kind,
      Formula__c: criterion.formula,
      Rule_Text__c: criterion.ruleText,
      Evidence_Label__c: criterion.evidenceLabel,
      Order__c: criterion.order,
      Is_Active__c: criterion.active,
    });
  }
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

import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import jsforce from 'jsforce';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { OrgSchema } from '../../../middleware/src/domain/schema.js';
import { readForceAppSchema } from '../../../middleware/src/org/force-app/index.js';
import type {
  DealQueryPlan,
  MoveWrite,
} from '../../../middleware/src/org/gateway.js';
import type { SalesforceCallSettings } from '../../../middleware/src/org/salesforce/config.js';
import { JwtBearerTokenSource } from '../../../middleware/src/org/salesforce/jwt-bearer.js';
import { SalesforceGateway } from '../../../middleware/src/org/salesforce/salesforce-gateway.js';
import { seedStageModels } from '../../../scripts/bench/salesforce-bench-org.js';
import {
  startSalesforceStandIn,
  type StandIn,
  type StandInOptions,
} from '../../salesforce-stand-in/index.js';

export const API_VERSION = '62.0';
export const INTEGRATION_USER = 'integration@stand-in.example';
export const CLIENT_ID = '3MVG9-cosell-test-consumer-key';
export const PACKAGE_DIR = path.resolve('force-app');

/** Fast retries and polls, so fault tests take milliseconds. */
export const TEST_SETTINGS: SalesforceCallSettings = {
  apiVersion: API_VERSION,
  timeoutMs: 2_000,
  maxRetries: 3,
  retryMinMs: 1,
  retryMaxMs: 5,
  bulkPollMinMs: 1,
  bulkPollMaxMs: 5,
  bulkTimeoutMs: 10_000,
  bulkPageSize: 3,
};

export const SILENT = pino({ level: 'silent' });

let schemaPromise: Promise<OrgSchema> | undefined;

/** The package's schema from force-app, read once per test file. */
export function packageSchema(): Promise<OrgSchema> {
  schemaPromise ??= readForceAppSchema(PACKAGE_DIR);
  return schemaPromise;
}

let keyPair: { publicKey: string; privateKey: string } | undefined;

/**
 * An RSA key pair in PEM, made once per test file: the connected app's public key
 * and the middleware's private key.
 */
export function rsaPem(): { publicKey: string; privateKey: string } {
  keyPair ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return keyPair;
}

export interface TestOrg {
  standIn: StandIn;
  gateway: SalesforceGateway;
  privateKey: string;
  /** Data API calls the stand-in served since the last `resetLog()`. */
  apiCalls(): number;
  close(): Promise<void>;
}

/**
 * Starts the stand-in with the package's schema and stage models and a gateway
 * on a jsforce connection that renews its token through the JWT bearer flow.
 */
export async function startTestOrg(
  options: Partial<StandInOptions> & {
    settings?: Partial<SalesforceCallSettings>;
    schema?: OrgSchema;
    /** Seed the force-app stage models as custom metadata records; default true. */
    stageModels?: boolean;
    /** The gateway's logger; default silent. */
    logger?: Logger;
  } = {},
): Promise<TestOrg> {
  const keys = rsaPem();
  const { settings, stageModels, logger, ...standInOptions } = options;
  const standIn = await startSalesforceStandIn({
    schema: options.schema ?? (await packageSchema()),
    clientId: CLIENT_ID,
    jwtPublicKey: keys.publicKey,
    ...standInOptions,
  });
  if (stageModels !== false) await seedStageModels(standIn, PACKAGE_DIR);
  const tokenSource = new JwtBearerTokenSource({
    loginUrl: standIn.loginUrl,
    audience: 'https://login.salesforce.com',
    clientId: CLIENT_ID,
    username: INTEGRATION_USER,
    privateKeyPem: keys.privateKey,
    timeoutMs: 2_000,
    logger: SILENT,
  });
  const token = await tokenSource.requestToken();
  const connection = new jsforce.Connection({
    instanceUrl: token.instanceUrl,
    accessToken: token.accessToken,
    version: API_VERSION,
  });
  const gateway = new SalesforceGateway({
    connection,
    settings: { ...TEST_SETTINGS, ...settings },
    logger: logger ?? SILENT,
    tokenSource,
  });
  standIn.resetLog();
  return {
    standIn,
    gateway,
    privateKey: keys.privateKey,
    apiCalls: () => standIn.requests.filter((r) => r.apiCall).length,
    close: async () => {
      await gateway.close();
      await standIn.close();
    },
  };
}

/** A plan with lookups, children and every value type the normaliser converts. */
export const TEST_PLAN: DealQueryPlan = {
  dealFields: [
    'Id',
    'Name',
    'OwnerId',
    'StageName',
    'IsClosed',
    'IsWon',
    'Amount',
    'CloseDate',
    'Probability',
    'Cosell_Stage__c',
    'Cosell_Stage_Version__c',
    'Cosell_Stage_Entered_At__c',
    'Partner_Account__c',
    'Partner_Account__r.Name',
    'Vendor_Owner__c',
  ],
  children: {
    Close_Plan_Steps__r: ['Id', 'Owner_Side__c', 'Due_Date__c'],
    Deal_Partners__r: [
      'Id',
      'Partner_Account__c',
      'Role__c',
      'Split_Percent__c',
    ],
  },
};

export interface SeededDeal {
  dealId: string;
  accountId: string;
  partnerId: string;
}

/** Inserts an open deal at stage `Validating`, version 3, with two children of each kind. */
export function seedDeal(
  standIn: StandIn,
  overrides: Record<string, unknown> = {},
): SeededDeal {
  const accountId = standIn.records.insert('Account', { Name: 'Acme Corp' });
  const partnerId = standIn.records.insert('Account', {
    Name: 'Partner, "Quoted" Ltd',
    IsPartner: true,
  });
  const dealId = standIn.records.insert('Opportunity', {
    Name: 'Acme expansion',
    AccountId: accountId,
    StageName: 'Qualification',
    CloseDate: '2025-06-30',
    Amount: 1234567.89,
    Probability: 50,
    Cosell_Stage__c: 'Validating',
    Cosell_Model__c: 'Default',
    Cosell_Stage_Version__c: 3,
    Cosell_Stage_Entered_At__c: '2025-01-31T23:30:00.000Z',
    Partner_Account__c: partnerId,
    ...overrides,
  });
  for (const side of ['Customer', 'Vendor']) {
    standIn.records.insert('Close_Plan_Step__c', {
      Opportunity__c: dealId,
      Step__c: `${side} step`,
      Owner_Side__c: side,
      Due_Date__c: '2025-01-01',
    });
  }
  for (const [role, split] of [
    ['Sourcing', 33.33],
    ['Influencing', 66.67],
  ] as const) {
    standIn.records.insert('Deal_Partner__c', {
      Opportunity__c: dealId,
      Partner_Account__c: partnerId,
      Role__c: role,
      Split_Percent__c: split,
    });
  }
  return { dealId, accountId, partnerId };
}

/** Inserts a pending request on a deal, as the middleware would have created it. */
export function seedPendingRequest(
  standIn: StandIn,
  dealId: string,
  requestedById: string,
  overrides: Record<string, unknown> = {},
): string {
  return standIn.records.insert('Stage_Request__c', {
    Opportunity__c: dealId,
    From_Stage__c: 'Validating',
    To_Stage__c: 'Negotiating',
    Kind__c: 'Advance',
    Requested_By__c: requestedById,
    Requesting_Side__c: 'Vendor',
    Status__c: 'Pending',
    Expires_At__c: '2099-01-01T00:00:00.000Z',
    Evaluation_Snapshot__c: '[]',
    Deal_Version__c: 3,
    Pending_Deal_Key__c: dealId,
    ...overrides,
  });
}

/** The records of a seeded pending request that a confirm moves. */
export interface SeededRequest {
  dealId: string;
  requestId: string;
  sellerId: string;
  integrationUserId: string;
}

/** The time of the moves that `confirmMove` builds. */
export const MOVE_TIME = '2026-12-02T10:15:00.000Z';

/** Builds the move that confirms a request of `seedPendingRequest`, from version 3 to 4. */
export function confirmMove(s: SeededRequest): MoveWrite {
  return {
    dealId: s.dealId,
    expectedVersion: 3,
    toStage: 'Negotiating',
    enteredAt: MOVE_TIME,
    transition: {
      dealId: s.dealId,
      fromStage: 'Validating',
      toStage: 'Negotiating',
      requestId: s.requestId,
      requestedById: s.sellerId,
      confirmedById: s.integrationUserId,
      at: MOVE_TIME,
      evidenceSnapshot: '[]',
      attributionSnapshot: null,
      oneSided: false,
      key: `request:${s.requestId}`,
      version: 4,
    },
    request: {
      id: s.requestId,
      status: 'Applied',
      respondedById: s.integrationUserId,
      respondedAt: MOVE_TIME,
      evaluationSnapshot: '[]',
    },
  };
}

export { seedStageModels };

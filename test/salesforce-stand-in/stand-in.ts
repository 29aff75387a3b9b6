import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { OrgSchema } from '../../middleware/src/domain/schema.js';
import { AuthService, DEFAULT_AUDIENCES, type JwtPublicKey } from './auth.js';
import { BulkJobs } from './bulk-query.js';
import { FaultInjector } from './faults.js';
import { createListener } from './http-server.js';
import { QueryCursors } from './query-routes.js';
import { RecordStore } from './record-store.js';
import { RequestLog, type RecordedRequest } from './request-log.js';
import { IdGenerator } from './salesforce-id.js';
import { SchemaIndex } from './schema-index.js';
import { buildRouter } from './routes.js';
import { createRecordHelpers, type StandInRecords } from './record-helpers.js';
import type { StandInSettings, StandInState } from './state.js';
import { addUser } from './user-records.js';
import {
  DEFAULT_USERS,
  type StandInUser,
  type StandInUserConfig,
} from './users.js';
import {
  DEFAULT_STAGE_GUARD_MESSAGES,
  type StageGuardMessages,
} from './validation-rules.js';

export interface StandInOptions {
  /** The org's objects; `readForceAppSchema('force-app')` gives the package's. */
  schema: OrgSchema;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Newest API version served, such as `62.0`; 31.0 up to it are served. */
  apiVersion?: string;
  /** Users of the org; default one integration user and one seller. */
  users?: StandInUserConfig[];
  /** The connected app's consumer key, checked as the JWT's `iss`. */
  clientId?: string;
  /** The connected app's certificate or public key (PEM or key object), for JWT signatures. */
  jwtPublicKey?: JwtPublicKey;
  /** Accepted JWT audiences; default the production and sandbox login URLs. */
  audience?: string | string[];
  /** Records per query batch before `nextRecordsUrl`; default 2000. */
  queryBatchSize?: number;
  /** Job information requests that return InProgress before one returns JobComplete; default 1. */
  bulkPollsUntilComplete?: number;
  /** Bulk result rows per page when the request has no `maxRecords`; default 10000. */
  bulkDefaultMaxRecords?: number;
  /** `DailyApiRequests` maximum; calls past it get REQUEST_LIMIT_EXCEEDED. Default 100000. */
  dailyApiRequestLimit?: number;
  /** IANA time zone of date literals such as TODAY; default UTC. */
  timeZone?: string;
  /** Messages of the Opportunity stage guard rules; default those of the force-app metadata. */
  stageGuardMessages?: Partial<StageGuardMessages>;
  /** The org's clock; default the system clock. */
  now?: () => Date;
  /** Default a silent pino logger. */
  logger?: Logger;
}

export interface StandIn {
  /** `http://127.0.0.1:PORT`. */
  instanceUrl: string;
  /** Where `/services/oauth2/token` is served: the same server. */
  loginUrl: string;
  apiVersion: string;
  orgId: string;
  clientId: string;
  users: StandInUser[];
  /** Every request served since start or `resetLog()`, oldest first. */
  requests: RecordedRequest[];
  resetLog(): void;
  faults: FaultInjector;
  records: StandInRecords;
  /** Adds a user after start, such as a partner user whose Account exists now. */
  addUser(config: StandInUserConfig): StandInUser;
  /** An access token for a user, as if it had completed the JWT grant. */
  issueToken(username: string): string;
  /** Revokes a token, as an expired or logged-out session. */
  revokeToken(token: string): boolean;
  revokeAllTokens(): void;
  close(): Promise<void>;
}

/**
 * Starts a Salesforce REST API stand-in on 127.0.0.1. It serves OAuth JWT bearer
 * tokens, SOQL query and queryAll with paging, sObject rows and describe,
 * composite and sObject Collections with all-or-none rollback, Bulk API 2.0 query
 * jobs and limits. Writes run the Opportunity stage guard rules, faults can be
 * injected on demand, and every request is recorded in `requests`.
 */
export async function startSalesforceStandIn(
  options: StandInOptions,
): Promise<StandIn> {
  const settings = resolveSettings(options);
  const schema = new SchemaIndex(options.schema);
  const ids = new IdGenerator();
  const users: StandInUser[] = [];
  const clientId = options.clientId ?? 'stand-in-connected-app';
  const orgId = ids.generate('00D');
  let instanceUrl = '';
  const now = options.now ?? (() => new Date());
  const state: StandInState = {
    schema,
    store: new RecordStore(schema),
    ids,
    auth: new AuthService({
      users,
      clientId,
      publicKey: options.jwtPublicKey,
      audiences:
        options.audience === undefined
          ? DEFAULT_AUDIENCES
          : [options.audience].flat(),
      orgId,
      instanceUrl: () => instanceUrl,
      now,
    }),
    faults: new FaultInjector(),
    log: new RequestLog(),
    settings,
    orgId,
    users,
    logger: options.logger ?? pino({ level: 'silent' }),
    now,
    nameCounters: new Map(),
    cursors: new QueryCursors(),
    bulkJobs: new BulkJobs(),
  };
  for (const config of options.users ?? DEFAULT_USERS) addUser(state, config);

  const server = createServer(createListener(state, buildRouter()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  instanceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.logger.info(
    { instanceUrl, apiVersion: settings.apiVersion },
    'Salesforce stand-in started',
  );

  return {
    instanceUrl,
    loginUrl: instanceUrl,
    apiVersion: settings.apiVersion,
    orgId,
    clientId,
    users,
    requests: state.log.requests,
    resetLog: () => state.log.reset(),
    faults: state.faults,
    records: createRecordHelpers(state),
    addUser: (config) => addUser(state, config),
    issueToken: (username) => state.auth.issueToken(username),
    revokeToken: (token) => state.auth.revoke(token),
    revokeAllTokens: () => state.auth.revokeAll(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        state.logger.info({ instanceUrl }, 'Salesforce stand-in stopped');
      }),
  };
}

function resolveSettings(options: StandInOptions): StandInSettings {
  const apiVersion = options.apiVersion ?? '62.0';
  if (!/^\d{2}\.0$/.test(apiVersion) || Number(apiVersion) < 31) {
    throw new Error(
      `apiVersion must look like 62.0 (31.0 or newer), not "${apiVersion}"`,
    );
  }
  const settings: StandInSettings = {
    apiVersion,
    queryBatchSize: options.queryBatchSize ?? 2000,
    bulkPollsUntilComplete: options.bulkPollsUntilComplete ?? 1,
    bulkDefaultMaxRecords: options.bulkDefaultMaxRecords ?? 10000,
    dailyApiRequestLimit: options.dailyApiRequestLimit ?? 100000,
    timeZone: options.timeZone ?? 'UTC',
    stageGuardMessages: {
      ...DEFAULT_STAGE_GUARD_MESSAGES,
      ...options.stageGuardMessages,
    },
  };
  const counts: [string, number, number][] = [
    ['queryBatchSize', settings.queryBatchSize, 1],
    ['bulkPollsUntilComplete', settings.bulkPollsUntilComplete, 0],
    ['bulkDefaultMaxRecords', settings.bulkDefaultMaxRecords, 1],
    ['dailyApiRequestLimit', settings.dailyApiRequestLimit, 0],
  ];
  for (const [name, value, minimum] of counts) {
    if (!Number.isInteger(value) || value < minimum) {
      throw new Error(
        `${name} must be a whole number of at least ${minimum}, not ${value}`,
      );
    }
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`port must be 0 (any free port) or 1-65535, not ${port}`);
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: settings.timeZone });
  } catch {
    throw new Error(
      `timeZone must be an IANA time zone such as Europe/Berlin, not "${settings.timeZone}"`,
    );
  }
  return settings;
}

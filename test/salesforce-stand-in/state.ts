import type { Logger } from 'pino';
import type { AuthService } from './auth.js';
import type { BulkJobs } from './bulk-query.js';
import type { FaultInjector } from './faults.js';
import type { QueryCursors } from './query-routes.js';
import type { IdGenerator } from './salesforce-id.js';
import type { RecordStore } from './record-store.js';
import type { RequestLog } from './request-log.js';
import type { SchemaIndex } from './schema-index.js';
import type { StandInUser } from './users.js';
import type { StageGuardMessages } from './validation-rules.js';

/** Settings resolved from the options, with their defaults applied. */
export interface StandInSettings {
  apiVersion: string;
  queryBatchSize: number;
  bulkPollsUntilComplete: number;
  bulkDefaultMaxRecords: number;
  dailyApiRequestLimit: number;
  timeZone: string;
  stageGuardMessages: StageGuardMessages;
}

/** Everything the route handlers share. */
export interface StandInState {
  schema: SchemaIndex;
  store: RecordStore;
  ids: IdGenerator;
  auth: AuthService;
  faults: FaultInjector;
  log: RequestLog;
  settings: StandInSettings;
  orgId: string;
  users: StandInUser[];
  logger: Logger;
  now(): Date;
  /** Auto-number counters per object, for the `Name` of custom objects. */
  nameCounters: Map<string, number>;
  cursors: QueryCursors;
  bulkJobs: BulkJobs;
}

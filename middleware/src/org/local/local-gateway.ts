import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type {
  IdempotencyRecord,
  OrgUser,
  StageRequest,
  StageTransition,
} from '../../domain/cosell.js';
import type { ModelSource } from '../../domain/model.js';
import type { RecordData } from '../../domain/records.js';
import type { OrgSchema } from '../../domain/schema.js';
import { StoreUnavailableError } from '../errors.js';
import { readForceAppSchema, readModelSource } from '../force-app/index.js';
import type {
  DealContext,
  DealContextQuery,
  DealQueryPlan,
  MoveWrite,
  NewStageRequest,
  OrgGateway,
  RequestSnapshotWrite,
  RequestStatusWrite,
} from '../gateway.js';
import { checkBatchLimit } from '../gateway.js';
import { openDatabase } from './connection.js';
import { DealContextReads } from './deal-context.js';
import { PlanCache } from './deal-plan.js';
import { DealStreams } from './deal-stream.js';
import { RecordQueries } from './record-queries.js';
import type { RecordQuery } from './record-queries.js';
import { RecordWriter } from './record-writer.js';
import type { UpsertOptions } from './record-writer.js';
import { toStageRequest, toStageTransition } from './row-mappers.js';
import type { Row } from './row-mappers.js';
import { idParam, sqliteCode, StatementCache } from './sql.js';
import { USER_OBJECTS, UserReads } from './user-reads.js';
import { WorkflowWrites } from './workflow-writes.js';

export interface LocalGatewayOptions {
  /** The SQLite file; created with its folder when missing. */
  dbPath: string;
  /** The package folder (`force-app`) whose objects and stage models the store uses. */
  packageDir: string;
  /** The clock for record timestamps and idempotency expiry; defaults to the system clock. */
  now?: () => Date;
  logger?: Logger;
  /** How long a statement waits for another process's lock, in milliseconds (5000). */
  busyTimeoutMs?: number;
}

/**
 * Opens the embedded store: reads the force-app schema, opens (creating) the file
 * and migrates it, so its tables and columns match the schema. Raises
 * `StoreSchemaError` when the file has data that the schema no longer describes.
 */
export async function openLocalGateway(
  options: LocalGatewayOptions,
): Promise<LocalGateway> {
  const schema = await readForceAppSchema(options.packageDir);
  const now = options.now ?? (() => new Date());
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const { db, migrations } = openDatabase(schema, {
    dbPath: options.dbPath,
    busyTimeoutMs,
    now,
  });
  if (migrations.length > 0) {
    options.logger?.info(
      { dbPath: options.dbPath, steps: migrations.length, migrations },
      'local store migrated',
    );
  }
  options.logger?.info({ dbPath: options.dbPath }, 'local store opened');
  return new LocalGateway({
    db,
    dbPath: path.resolve(options.dbPath),
    schema,
    packageDir: options.packageDir,
    busyTimeoutMs,
    now,
  });
}

/** The statements of the gateway's own reads. */
export const GATEWAY_SQL = {
  requestById: 'SELECT * FROM "Stage_Request__c" WHERE "Id" = ?',
  requestByKey:
    'SELECT * FROM "Stage_Request__c" WHERE "Idempotency_Key__c" = ?',
  requestCreatedAfter:
    'SELECT * FROM "Stage_Request__c" WHERE "Opportunity__c" = ? AND "CreatedDate" > ? ORDER BY "CreatedDate", rowid LIMIT 1',
  transitions:
    'SELECT * FROM "Stage_Transition__c" WHERE "Opportunity__c" = ? ORDER BY "Version__c", rowid',
  expiredPending: `SELECT * FROM "Stage_Request__c" WHERE "Status__c" = 'Pending' AND "Expires_At__c" < ?
    ORDER BY "Expires_At__c" LIMIT ?`,
  purgeExpiredIdempotency: `DELETE FROM "Idempotency_Record__c" WHERE rowid IN (
    SELECT rowid FROM "Idempotency_Record__c" WHERE "Expires_At__c" <= ?
    ORDER BY "Expires_At__c" LIMIT ?)`,
};

const SQL = GATEWAY_SQL;

interface LocalGatewayParts {
  db: Database.Database;
  dbPath: string;
  schema: OrgSchema;
  packageDir: string;
  busyTimeoutMs: number;
  now: () => Date;
}

/** How long a demo seeding claim lasts, while a seeding takes a few seconds. */
const STALE_SEEDING_CLAIM_MS = 10 * 60 * 1000;
/** The store's record of which process seeds the demo org, one row at most. */
const DEMO_SEEDING_TABLE =
  'CREATE TABLE IF NOT EXISTS demo_seeding (id INTEGER PRIMARY KEY CHECK (id = 1), claimed_at TEXT NOT NULL)';

/**
 * `OrgGateway` on a SQLite file whose tables mirror the force-app objects, plus
 * local mode's seeding API (`upsertRecords`, `countRecords`, `queryRecords`).
 * Open it with `openLocalGateway`. Every statement is prepared once per connection.
 */
export class LocalGateway implements OrgGateway {
  readonly kind = 'local' as const;
  readonly packageDir: string;
  private readonly db: Database.Database;
  private readonly schema: OrgSchema;
  private readonly statements: StatementCache;
  private readonly records: RecordWriter;
  private readonly queries: RecordQueries;
  private readonly users: UserReads;
  private readonly contexts: DealContextReads;
  private readonly workflow: WorkflowWrites;
  private readonly streams: DealStreams;

  constructor(parts: LocalGatewayParts) {
    this.db = parts.db;
    this.schema = parts.schema;
    this.packageDir = parts.packageDir;
    this.statements = new StatementCache(parts.db);
    const plans = new PlanCache(parts.schema);
    this.records = new RecordWriter(
      parts.db,
      parts.schema,
      this.statements,
      parts.now,
      parts.packageDir,
    );
    this.queries = new RecordQueries(parts.schema, this.statements, (name) =>
      this.records.storedObject(name),
    );
    this.users = new UserReads(this.statements);
    this.contexts = new DealContextReads(
      parts.db,
      this.statements,
      plans,
      this.users,
      parts.now,
    );
    this.workflow = new WorkflowWrites(
      parts.db,
      this.statements,
      this.records,
      parts.now,
    );
    this.streams = new DealStreams(parts.dbPath, parts.busyTimeoutMs, plans);
  }

  async describeSchema(): Promise<OrgSchema> {
    return this.schema;
  }

  async loadModelSource(): Promise<ModelSource> {
    return readModelSource(this.packageDir, this.schema);
  }

  async readDealContext(query: DealContextQuery): Promise<DealContext> {
    return this.guard(() => this.contexts.read(query));
  }

  async createRequest(
    request: NewStageRequest,
    idempotency?: IdempotencyRecord,
  ): Promise<StageRequest> {
    return this.guard(() => this.workflow.createRequest(request, idempotency));
  }

  async applyMove(move: MoveWrite): Promise<StageTransition> {
    return this.guard(() => this.workflow.applyMove(move));
  }

  async closeRequest(write: RequestStatusWrite): Promise<StageRequest> {
    return this.guard(() => this.workflow.closeRequest(write));
  }

  async updateRequestSnapshot(write: RequestSnapshotWrite): Promise<void> {
    this.guard(() => this.workflow.updateRequestSnapshot(write));
  }

  async getRequest(requestId: string): Promise<StageRequest | null> {
    const row = this.guard(() => this.get(SQL.requestById, idParam(requestId)));
    return row ? toStageRequest(row) : null;
  }

  async findRequestCreatedAfter(
    dealId: string,
    createdAt: string,
  ): Promise<StageRequest | null> {
    const row = this.guard(() =>
      this.get(SQL.requestCreatedAfter, idParam(dealId), createdAt),
    );
    return row ? toStageRequest(row) : null;
  }

  async findRequestByIdempotencyKey(key: string): Promise<StageRequest | null> {
    const row = this.guard(() => this.get(SQL.requestByKey, key));
    return row ? toStageRequest(row) : null;
  }

  async listTransitions(dealId: string): Promise<StageTransition[]> {
    return this.guard(() =>
      (this.statements.get(SQL.transitions).all(idParam(dealId)) as Row[]).map(
        toStageTransition,
      ),
    );
  }

  async checkAvailable(): Promise<void> {
    this.guard(() => this.get('SELECT 1'));
  }

  async getUsers(userIds: string[]): Promise<OrgUser[]> {
    return this.guard(() => this.users.byIds(userIds));
  }

  async listExpiredPending(
    now: string,
    limit: number,
  ): Promise<StageRequest[]> {
    return this.guard(() =>
      (this.statements.get(SQL.expiredPending).all(now, limit) as Row[]).map(
        toStageRequest,
      ),
    );
  }

  async purgeExpiredIdempotency(now: string, limit: number): Promise<number> {
    checkBatchLimit(limit);
    return this.guard(
      () =>
        this.statements.get(SQL.purgeExpiredIdempotency).run(now, limit)
          .changes,
    );
  }

  streamOpenDeals(plan: DealQueryPlan): AsyncIterable<RecordData> {
    return this.streams.openDeals(plan);
  }

  async close(): Promise<void> {
    this.streams.closeAll();
    if (this.db.open) this.db.close();
  }

  /**
   * Inserts or updates records of one object, all or none, and returns their
   * 18-character Ids. Every record is checked against the force-app schema first;
   * a `RecordValidationError` lists each record, field, value and fix.
   */
  async upsertRecords(
    objectName: string,
    records: RecordData[],
    options: UpsertOptions = {},
  ): Promise<string[]> {
    return this.guard(() => {
      try {
        return this.records.upsert(objectName, records, options);
      } finally {
        if (USER_OBJECTS.has(objectName)) this.users.forget();
      }
    });
  }

  /**
   * Claims the demo seeding of a store without deals for this process, so that of
   * two starts on one new store only one seeds it. Returns false when the store
   * has deals or another process has the claim.
   */
  async claimDemoSeeding(): Promise<boolean> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          this.db.exec(DEMO_SEEDING_TABLE);
          if (this.queries.count('Opportunity') > 0) return false;
          // A claim older than this came from a start that stopped before its first deal.
          const stale = new Date(Date.now() - STALE_SEEDING_CLAIM_MS);
          this.db
            .prepare('DELETE FROM demo_seeding WHERE claimed_at < ?')
            .run(stale.toISOString());
          const claimed = this.db
            .prepare(
              'INSERT OR IGNORE INTO demo_seeding (id, claimed_at) VALUES (1, ?)',
            )
            .run(new Date().toISOString());
          return claimed.changes === 1;
        })
        .immediate(),
    );
  }

  /** Gives up the claim of `claimDemoSeeding` after a seeding that failed. */
  async releaseDemoSeeding(): Promise<void> {
    return this.guard(() => {
      this.db.exec(DEMO_SEEDING_TABLE);
      this.db.prepare('DELETE FROM demo_seeding').run();
    });
  }

  async countRecords(
    objectName: string,
    where?: RecordQuery['where'],
  ): Promise<number> {
    return this.guard(() => this.queries.count(objectName, where));
  }

  async queryRecords(
    objectName: string,
    query: RecordQuery = {},
  ): Promise<RecordData[]> {
    return this.guard(() => this.queries.query(objectName, query));
  }

  private get(sql: string, ...params: unknown[]): Row | undefined {
    return this.statements.get(sql).get(...params) as Row | undefined;
  }

  /** Maps a lock that outlasted the busy timeout, or a closed store, to the port's error. */
  private guard<T>(run: () => T): T {
    if (!this.db.open) {
      throw new StoreUnavailableError('The local store is closed');
    }
    try {
      return run();
    } catch (error) {
      const code = sqliteCode(error);
      if (
        code?.startsWith('SQLITE_BUSY') ||
        code?.startsWith('SQLITE_LOCKED')
      ) {
        throw new StoreUnavailableError(
          'The local store file is locked by another process longer than the busy timeout; retry, or raise busyTimeoutMs',
          { cause: error },
        );
      }
      throw error;
    }
  }
}

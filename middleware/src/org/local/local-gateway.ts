import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  PendingRequestExistsError,
  RecordNotFoundError,
  StoreUnavailableError,
} from '../errors.js';
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
import { migrate, quote } from './migrations.js';
import { RecordReader } from './record-reader.js';
import { toRow, upsertRows } from './record-writer.js';
import {
  toOrgUser,
  toStageRequest,
  toStageTransition,
} from './row-mappers.js';
import { readDealContext, streamDeals } from './deal-queries.js';

export interface LocalGatewayOptions {
  dbPath: string;
  /** The `force-app` folder whose objects and stage models the store uses. */
  packageDir: string;
  logger?: Logger;
  /** How long a write waits for another process's lock, in milliseconds. */
  busyTimeoutMs?: number;
}

type Row = Record<string, unknown>;

/** Opens (creating and migrating) the embedded SQLite store. */
export async function openLocalGateway(
  options: LocalGatewayOptions,
): Promise<LocalGateway> {
  const schema = await readForceAppSchema(options.packageDir);
  mkdirSync(path.dirname(path.resolve(options.dbPath)), { recursive: true });
  const db = new Database(options.dbPath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Two processes opening a new file at once would both migrate; the lock orders them.
    const ran = db.transaction(() => migrate(db, schema)).immediate();
    if (ran.length > 0) {
      options.logger?.info(
        { dbPath: options.dbPath, migrations: ran.length },
        'store migrated',
      );
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return new LocalGateway(db, schema, options.packageDir);
}

/** `OrgGateway` on a SQLite file whose tables mirror the force-app objects. */
export class LocalGateway implements OrgGateway {
  readonly kind = 'local' as const;
  private readonly reader: RecordReader;

  constructor(
    private readonly db: Database.Database,
    private readonly schema: OrgSchema,
    readonly packageDir: string,
  ) {
    this.reader = new RecordReader(db, schema);
  }

  async describeSchema(): Promise<OrgSchema> {
    return this.schema;
  }

  async loadModelSource(): Promise<ModelSource> {
    return readModelSource(this.packageDir);
  }

  async readDealContext(query: DealContextQuery): Promise<DealContext> {
    return this.guard(() =>
      readDealContext(this.reader, query, this.userById.bind(this)),
    );
  }

  async createRequest(
    request: NewStageRequest,
    idempotency?: IdempotencyRecord,
  ): Promise<StageRequest> {
    return this.guard(() => {
      const insert = this.db.transaction(() => {
        const pending = this.reader
          .statement(
            'SELECT "Id" FROM "Stage_Request__c" WHERE "Opportunity__c" = ? AND "Status__c" = \'Pending\'',
          )
          .get(request.dealId) as Row | undefined;
        if (pending)
          throw new PendingRequestExistsError(
            request.dealId,
            String(pending['Id']),
          );
        const count = this.reader
          .statement('SELECT COUNT(*) AS n FROM "Stage_Request__c"')
          .get() as {
          n: number;
        };
        const [id] = upsertRows(this.db, this.schema, 'Stage_Request__c', [
          {
            Name: `SR-${String(count.n + 1).padStart(6, '0')}`,
            Opportunity__c: request.dealId,
            From_Stage__c: request.fromStage,
            To_Stage__c: request.toStage,
            Kind__c: request.kind,
            Requested_By__c: request.requestedById,
            Requesting_Side__c: request.requestingSide,
            Status__c: request.status,
            Responded_By__c: request.respondedById,
            Responded_At__c: request.respondedAt,
            Reason__c: request.reason,
            Expires_At__c: request.expiresAt,
            CreatedDate: request.createdAt,
            Idempotency_Key__c: request.idempotencyKey,
            Evaluation_Snapshot__c: request.evaluationSnapshot,
            Deal_Version__c: request.dealVersion,
            Pending_Deal_Key__c:
              request.status === 'Pending' ? request.dealId : null,
          },
        ]);
        if (idempotency) this.insertIdempotency(idempotency);
        return id!;
      });
      const id = this.translateUnique(() => insert.immediate(), request.dealId);
      return this.requireRequest(id);
    });
  }

  async applyMove(move: MoveWrite): Promise<StageTransition> {
    return this.guard(() => {
      const apply = this.db.transaction(() => {
        const updated = this.reader
          .statement(
            `UPDATE "Opportunity" SET "Cosell_Stage__c" = ?, "Cosell_Stage_Entered_At__c" = ?,
               "Cosell_Stage_Version__c" = ? WHERE "Id" = ? AND COALESCE("Cosell_Stage_Version__c", 0) = ?`,
          )
          .run(
            move.toStage,
            move.enteredAt,
            move.expectedVersion + 1,
            move.dealId,
            move.expectedVersion,
          );
        if (updated.changes === 0) {
          throw new ConcurrentChangeError(
            `deal ${move.dealId} is no longer at version ${move.expectedVersion}`,
          );
        }
        if (move.request) {
          const answered = this.reader
            .statement(
              `UPDATE "Stage_Request__c" SET "Status__c" = ?, "Responded_By__c" = ?, "Responded_At__c" = ?,
                 "Evaluation_Snapshot__c" = ?, "Pending_Deal_Key__c" = NULL
               WHERE "Id" = ? AND "Status__c" = 'Pending'`,
            )
            .run(
              move.request.status,
              move.request.respondedById,
              move.request.respondedAt,
              move.request.evaluationSnapshot,
              move.request.id,
            );
          if (answered.changes === 0) {
            throw new ConcurrentChangeError(
              `request ${move.request.id} is no longer pending`,
            );
          }
        }
        const count = this.reader
          .statement('SELECT COUNT(*) AS n FROM "Stage_Transition__c"')
          .get() as {
          n: number;
        };
        const t = move.transition;
        const [id] = upsertRows(this.db, this.schema, 'Stage_Transition__c', [
          {
            Name: `ST-${String(count.n + 1).padStart(6, '0')}`,
            Opportunity__c: t.dealId,
            From_Stage__c: t.fromStage,
            To_Stage__c: t.toStage,
            Stage_Request__c: t.requestId,
            Requested_By__c: t.requestedById,
            Confirmed_By__c: t.confirmedById,
            Transitioned_At__c: t.at,
            Evidence_Snapshot__c: t.evidenceSnapshot,
            Attribution_Snapshot__c: t.attributionSnapshot,
            One_Sided__c: t.oneSided,
            Key__c: t.key,
            Version__c: t.version,
          },
        ]);
        if (move.idempotency) this.insertIdempotency(move.idempotency);
        return id!;
      });
      const id = this.translateUnique(() => apply.immediate(), move.dealId);
      const row = this.reader.rowById('Stage_Transition__c', id);
      if (!row) throw new RecordNotFoundError('Stage_Transition__c', id);
      return toStageTransition(row);
    });
  }

  async closeRequest(write: RequestStatusWrite): Promise<StageRequest> {
    return this.guard(() => {
      const close = this.db.transaction(() => {
        const result = this.reader
          .statement(
            `UPDATE "Stage_Request__c" SET "Status__c" = ?, "Responded_By__c" = ?, "Responded_At__c" = ?,
               "Reason__c" = COALESCE(?, "Reason__c"), "Pending_Deal_Key__c" = NULL
             WHERE "Id" = ? AND "Status__c" = 'Pending'`,
          )
          .run(
            write.status,
            write.respondedById,
            write.respondedAt,
            write.reason,
            write.id,
          );
        if (result.changes === 0) {
          if (!this.reader.rowById('Stage_Request__c', write.id)) {
            throw new RecordNotFoundError('Stage_Request__c', write.id);
          }
          throw new ConcurrentChangeError(
            `request ${write.id} is no longer pending`,
          );
        }
        if (write.idempotency) this.insertIdempotency(write.idempotency);
      });
      this.translateUnique(() => close.immediate(), write.id);
      return this.requireRequest(write.id);
    });
  }

  async updateRequestSnapshot(write: RequestSnapshotWrite): Promise<void> {
    this.guard(() =>
      this.reader
        .statement(
          'UPDATE "Stage_Request__c" SET "Evaluation_Snapshot__c" = ? WHERE "Id" = ?',
        )
        .run(write.evaluationSnapshot, write.id),
    );
  }

  async getRequest(requestId: string): Promise<StageRequest | null> {
    const row = this.reader.rowById('Stage_Request__c', requestId);
    return row ? toStageRequest(row) : null;
  }

  async findRequestByIdempotencyKey(key: string): Promise<StageRequest | null> {
    const row = this.reader
      .statement(
        'SELECT * FROM "Stage_Request__c" WHERE "Idempotency_Key__c" = ?',
      )
      .get(key) as Row | undefined;
    return row ? toStageRequest(row) : null;
  }

  async listTransitions(dealId: string): Promise<StageTransition[]> {
    const rows = this.reader
      .statement(
        'SELECT * FROM "Stage_Transition__c" WHERE "Opportunity__c" = ? ORDER BY "Version__c", "Transitioned_At__c"',
      )
      .all(dealId) as Row[];
    return rows.map(toStageTransition);
  }

  async getUsers(userIds: string[]): Promise<OrgUser[]> {
    return userIds
      .map((id) => this.userById(id))
      .filter((u): u is OrgUser => u !== null);
  }

  async listExpiredPending(
    now: string,
    limit: number,
  ): Promise<StageRequest[]> {
    const rows = this.reader
      .statement(
        `SELECT * FROM "Stage_Request__c" WHERE "Status__c" = 'Pending' AND "Expires_At__c" <= ?
         ORDER BY "Expires_At__c" LIMIT ?`,
      )
      .all(now, limit) as Row[];
    return rows.map(toStageRequest);
  }

  streamOpenDeals(plan: DealQueryPlan): AsyncIterable<RecordData> {
    return streamDeals(this.reader, plan, { openOnly: true });
  }

  /** Every deal, open or closed, for reports. */
  streamAllDeals(plan: DealQueryPlan): AsyncIterable<RecordData> {
    return streamDeals(this.reader, plan, { openOnly: false });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Inserts or updates records by Id, all or none; local mode's seeding and import. */
  async upsertRecords(
    objectName: string,
    records: RecordData[],
  ): Promise<string[]> {
    return upsertRows(this.db, this.schema, objectName, records);
  }

  /** Checks a record against the schema without writing it. */
  validateRecord(objectName: string, record: RecordData): void {
    toRow(this.reader.object(objectName), record, 0);
  }

  async countRecords(objectName: string): Promise<number> {
    this.reader.object(objectName);
    const row = this.reader
      .statement(`SELECT COUNT(*) AS n FROM ${quote(objectName)}`)
      .get() as {
      n: number;
    };
    return row.n;
  }

  /** Reads records with equality filters, for tests, reports and scripts. */
  async queryRecords(
    objectName: string,
    options: {
      where?: Record<string, string | number | boolean | null>;
      limit?: number;
    } = {},
  ): Promise<RecordData[]> {
    const object = this.reader.object(objectName);
    const clauses: string[] = [];
    const values: Array<string | number | null> = [];
    for (const [field, value] of Object.entries(options.where ?? {})) {
      if (!object.fields[field]) {
        throw new Error(`${field} is not a field of ${objectName}`);
      }
      if (value === null) {
        clauses.push(`${quote(field)} IS NULL`);
      } else {
        clauses.push(`${quote(field)} = ?`);
        values.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
      }
    }
    const where = clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '';
    const limit = options.limit ? ` LIMIT ${Math.floor(options.limit)}` : '';
    const rows = this.db
      .prepare(
        `SELECT * FROM ${quote(objectName)}${where} ORDER BY rowid${limit}`,
      )
      .all(...values) as Row[];
    return rows.map((row) => this.reader.fullRecord(objectName, row));
  }

  private userById(id: string): OrgUser | null {
    const row = this.reader.rowById('User', id);
    if (!row) return null;
    const sets = this.reader
      .statement(
        `SELECT p."Name" AS name FROM "PermissionSetAssignment" a
         JOIN "PermissionSet" p ON p."Id" = a."PermissionSetId" WHERE a."AssigneeId" = ?`,
      )
      .all(id) as Array<{ name: string }>;
    return toOrgUser(
      row,
      sets.map((s) => s.name),
    );
  }

  private requireRequest(id: string): StageRequest {
    const row = this.reader.rowById('Stage_Request__c', id);
    if (!row) throw new RecordNotFoundError('Stage_Request__c', id);
    return toStageRequest(row);
  }

  private insertIdempotency(record: IdempotencyRecord): void {
    upsertRows(this.db, this.schema, 'Idempotency_Record__c', [
      {
        Name: record.key.slice(0, 80),
        Key__c: record.key,
        Fingerprint__c: record.fingerprint,
        Response_Status__c: record.responseStatus,
        Response_Body__c: record.responseBody,
        Expires_At__c: record.expiresAt,
      },
    ]);
  }

  /** Maps SQLite unique-constraint failures to the port's errors. */
  private translateUnique<T>(run: () => T, dealId: string): T {
    try {
      return run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      const message = error instanceof Error ? error.message : '';
      if (
        code === 'SQLITE_CONSTRAINT_UNIQUE' ||
        code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
      ) {
        if (message.includes('Pending_Deal_Key__c')) {
          const pending = this.reader
            .statement(
              'SELECT "Id" FROM "Stage_Request__c" WHERE "Pending_Deal_Key__c" = ?',
            )
            .get(dealId) as Row | undefined;
          throw new PendingRequestExistsError(
            dealId,
            pending ? String(pending['Id']) : null,
            {
              cause: error,
            },
          );
        }
        const field = /\.(\w+)$/.exec(message)?.[1] ?? 'key';
        throw new DuplicateKeyError(field, dealId, { cause: error });
      }
      throw error;
    }
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
        throw new StoreUnavailableError(
          'the local store is locked by another process',
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }
}

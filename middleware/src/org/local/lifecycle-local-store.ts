import type Database from 'better-sqlite3';
import {
  DEAL_PARTNER_FIELDS as P,
  IDEMPOTENCY_FIELDS as I,
  OPPORTUNITY_FIELDS as O,
  REGISTRATION_FIELDS as G,
  REQUEST_FIELDS as R,
  TRANSITION_FIELDS as T,
} from '../../domain/api-names.js';
import type { IdempotencyRecord, StageRequest } from '../../domain/cosell.js';
import type {
  LifecycleDeal,
  LifecycleDealPartner,
  LifecycleTransition,
  PartnerRef,
  PartnerRole,
} from '../../domain/lifecycle/index.js';
import type { OrgSchema } from '../../domain/schema.js';
import { StoreUnavailableError } from '../errors.js';
import type {
  AccountRecord,
  ApprovalWrite,
  DealTransition,
  LifecycleStore,
  LinkableDeal,
  NewIdempotencyRecord,
  NewRegistration,
  OpenDealToMatch,
  RegistrationCloseWrite,
  RegistrationRecord,
} from '../lifecycle-store.js';
import {
  REGISTRATION_SELECT,
  toLinkableDeal,
  toRegistration,
} from './lifecycle-rows.js';
import { openDatabase } from './connection.js';
import { LifecycleWrites } from './lifecycle-writes.js';
import { ReadConnections } from './read-connections.js';
import { RecordWriter } from './record-writer.js';
import {
  toIdempotencyRecord,
  toStageRequest,
  toStageTransition,
} from './row-mappers.js';
import type { Row } from './row-mappers.js';
import { idParam, StatementCache, toLockError } from './sql.js';

/** Rows read per statement when streaming a whole object. */
const BATCH_SIZE = 1000;

const OPEN = `('Submitted', 'Approved')`;

/** The statements of the lifecycle reads. */
export const LIFECYCLE_SQL = {
  registration: `${REGISTRATION_SELECT} WHERE r."Id" = ?`,
  openRegistrations: `${REGISTRATION_SELECT} WHERE r."${G.status}" IN ${OPEN} ORDER BY r.rowid`,
  allRegistrations: `${REGISTRATION_SELECT} ORDER BY r.rowid`,
  partnerRegistrations: `${REGISTRATION_SELECT} WHERE r."${G.partnerAccount}" = ? ORDER BY r.rowid`,
  expiredRegistrations: `${REGISTRATION_SELECT} WHERE r."${G.status}" IN ${OPEN}
    AND r."${G.expiresAt}" <= ? ORDER BY r."${G.expiresAt}" LIMIT ?`,
  idempotency: `SELECT * FROM "Idempotency_Record__c" WHERE "${I.key}" = ? AND "${I.expiresAt}" > ?`,
  // A deal has at most one Pending request (a unique index on Pending_Deal_Key__c).
  linkableDeal: `SELECT o."Id", o."Name", o."IsClosed", o."OwnerId", o."${O.partnerAccount}", o."${O.model}",
    o."${O.stage}", o."${O.stageVersion}", o."${O.vendorOwner}", o."${O.partnerOwner}",
    p."Id" AS "_pendingRequestId", p."${R.fromStage}" AS "_pendingFromStage"
    FROM "Opportunity" o LEFT JOIN "Stage_Request__c" p
    ON p."${R.opportunity}" = o."Id" AND p."${R.status}" = 'Pending' WHERE o."Id" = ?`,
  openDeals: `SELECT o."Id" AS id, o."Name" AS name, o."${O.partnerAccount}" AS partner,
    o."${O.model}" AS model, o."${O.stage}" AS stage, a."Name" AS company, a."Website" AS website
    FROM "Opportunity" o LEFT JOIN "Account" a ON a."Id" = o."AccountId" WHERE o."IsClosed" = 0`,
  convertedRegistrations: `SELECT "${G.opportunity}" AS deal, "${G.customerCompany}" AS company,
    "${G.customerWebsite}" AS website, "${G.productLine}" AS line FROM "Deal_Registration__c"
    WHERE "${G.opportunity}" IS NOT NULL AND "${G.status}" IN ('Converted', 'Approved') ORDER BY rowid`,
  deals: `SELECT rowid AS _rowid, "Id", "Name", "${O.partnerAccount}", "${O.model}", "${O.stage}",
    "${O.stageEnteredAt}", "Amount", "CurrencyIsoCode", "CloseDate"
    FROM "Opportunity" WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH_SIZE}`,
  // Deals in rowid order, as streamDeals reads them, and each deal's
  // transitions in the order of the gateway's listTransitions.
  dealTransitions: `SELECT t.*, o."Name" AS "_dealName", o."${O.model}" AS "_dealModel",
    o."${O.stage}" AS "_dealStage"
    FROM "Stage_Transition__c" t JOIN "Opportunity" o ON o."Id" = t."${T.opportunity}"
    WHERE o."${O.stage}" IS NOT NULL AND o."${O.stage}" <> ''
    ORDER BY o.rowid, t."${T.version}", t.rowid`,
  transitions: `SELECT rowid AS _rowid, "Id", "${T.opportunity}", "${T.fromStage}", "${T.toStage}", "${T.at}",
    "${T.oneSided}" FROM "Stage_Transition__c" WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH_SIZE}`,
  dealPartners: `SELECT "${P.opportunity}", "${P.partnerAccount}", "${P.role}", "${P.splitPercent}"
    FROM "Deal_Partner__c" ORDER BY rowid`,
  pendingRequests: `SELECT * FROM "Stage_Request__c" WHERE "${R.status}" = 'Pending' ORDER BY rowid`,
  account: `SELECT "Id", "Name", "IsPartner" FROM "Account" WHERE "Id" = ?`,
};

const SQL = LIFECYCLE_SQL;

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);

export interface LocalLifecycleOptions {
  /** The store file the local gateway opened. */
  dbPath: string;
  schema: OrgSchema;
  /** The package folder whose object files `schema` was read from. */
  packageDir: string;
  /** The clock for record timestamps and idempotency expiry; defaults to the system clock. */
  now?: () => Date;
  /** How long a statement waits for another connection's lock, in milliseconds (5000). */
  busyTimeoutMs?: number;
}

/**
 * Opens the lifecycle store on a connection of its own to the local store file,
 * migrating it like the gateway does (nothing to do once the gateway opened it).
 * better-sqlite3 runs each statement synchronously and every write here is one
 * transaction that ends before the call returns, so within one process the two
 * connections never hold the lock at the same time.
 */
export function openLocalLifecycleStore(
  options: LocalLifecycleOptions,
): LocalLifecycleStore {
  const now = options.now ?? (() => new Date());
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const { db } = openDatabase(options.schema, {
    dbPath: options.dbPath,
    busyTimeoutMs,
    now,
  });
  const statements = new StatementCache(db);
  const records = new RecordWriter(
    db,
    options.schema,
    statements,
    now,
    options.packageDir,
  );
  return new LocalLifecycleStore(
    db,
    statements,
    records,
    now,
    new ReadConnections(options.dbPath, busyTimeoutMs),
  );
}

/** `LifecycleStore` on the embedded SQLite store. Open it with `openLocalLifecycleStore`. */
export class LocalLifecycleStore implements LifecycleStore {
  private readonly writes: LifecycleWrites;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache,
    records: RecordWriter,
    private readonly now: () => Date,
    private readonly reads: ReadConnections,
  ) {
    this.writes = new LifecycleWrites(db, statements, records, now);
  }

  async close(): Promise<void> {
    this.reads.closeAll();
    if (this.db.open) this.db.close();
  }

  async getRegistration(id: string): Promise<RegistrationRecord | null> {
    const row = this.guard(() => this.get(SQL.registration, idParam(id)));
    return row ? toRegistration(row) : null;
  }

  async createRegistration(
    registration: NewRegistration,
    idempotency?: NewIdempotencyRecord,
  ): Promise<RegistrationRecord> {
    return this.guard(() =>
      this.writes.createRegistration(registration, idempotency),
    );
  }

  async listOpenRegistrations(): Promise<RegistrationRecord[]> {
    return this.guard(() =>
      this.all(SQL.openRegistrations).map(toRegistration),
    );
  }

  async listRegistrations(
    partnerAccountId?: string,
  ): Promise<RegistrationRecord[]> {
    return this.guard(() =>
      (partnerAccountId === undefined
        ? this.all(SQL.allRegistrations)
        : this.all(SQL.partnerRegistrations, idParam(partnerAccountId))
      ).map(toRegistration),
    );
  }

  async listExpiredRegistrations(
    now: string,
    limit: number,
  ): Promise<RegistrationRecord[]> {
    return this.guard(() =>
      this.all(SQL.expiredRegistrations, now, limit).map(toRegistration),
    );
  }

  async closeRegistration(
    write: RegistrationCloseWrite,
  ): Promise<RegistrationRecord> {
    return this.guard(() => this.writes.closeRegistration(write));
  }

  async approveRegistration(
    write: ApprovalWrite,
  ): Promise<{ registration: RegistrationRecord; dealId: string }> {
    return this.guard(() => this.writes.approveRegistration(write));
  }

  async findIdempotency(key: string): Promise<IdempotencyRecord | null> {
    const row = this.guard(() =>
      this.get(SQL.idempotency, key, this.now().toISOString()),
    );
    return row ? toIdempotencyRecord(row) : null;
  }

  async getLinkableDeal(dealId: string): Promise<LinkableDeal | null> {
    const row = this.guard(() => this.get(SQL.linkableDeal, idParam(dealId)));
    return row ? toLinkableDeal(row) : null;
  }

  async listDealsToMatch(): Promise<OpenDealToMatch[]> {
    return this.guard(() => {
      const registrations = new Map<string, Row>();
      for (const row of this.all(SQL.convertedRegistrations)) {
        registrations.set(String(row['deal']), row);
      }
      return this.all(SQL.openDeals).map((row) => {
        const registration = registrations.get(String(row['id']));
        return {
          id: String(row['id']),
          name: String(row['name'] ?? row['id']),
          partnerAccountId: text(row['partner']),
          model: text(row['model']),
          stage: text(row['stage']),
          customerCompany:
            text(row['company']) ?? text(registration?.['company']),
          customerWebsite:
            text(row['website']) ?? text(registration?.['website']),
          productLine: text(registration?.['line']),
        };
      });
    });
  }

  async *streamDeals(): AsyncGenerator<LifecycleDeal> {
    for await (const row of this.stream(SQL.deals)) {
      yield {
        id: String(row['Id']),
        name: String(row['Name'] ?? row['Id']),
        partnerAccountId: text(row[O.partnerAccount]),
        model: text(row[O.model]) ?? 'Default',
        stage: text(row[O.stage]),
        stageEnteredAt: text(row[O.stageEnteredAt]),
        amount: text(row['Amount']),
        currencyIsoCode: text(row['CurrencyIsoCode']) ?? 'USD',
        closeDate: text(row['CloseDate']),
      };
    }
  }

  async *streamTransitions(): AsyncGenerator<LifecycleTransition> {
    for await (const row of this.stream(SQL.transitions)) {
      yield {
        id: String(row['Id']),
        dealId: String(row[T.opportunity]),
        fromStage: text(row[T.fromStage]),
        toStage: String(row[T.toStage]),
        at: String(row[T.at]),
        oneSided: row[T.oneSided] === 1,
      };
    }
  }

  /** Reads one statement, iterated on a read-only connection of its own. */
  async *streamDealTransitions(): AsyncGenerator<DealTransition> {
    if (!this.db.open) {
      throw new StoreUnavailableError('The local store is closed');
    }
    for await (const row of this.reads.rows(SQL.dealTransitions)) {
      const transition = toStageTransition(row);
      yield {
        deal: {
          id: transition.dealId,
          name: String(row['_dealName'] ?? transition.dealId),
          model: text(row['_dealModel']) ?? 'Default',
          stage: String(row['_dealStage']),
        },
        transition,
      };
    }
  }

  async listDealPartners(): Promise<LifecycleDealPartner[]> {
    return this.guard(() =>
      this.all(SQL.dealPartners).map((row) => ({
        dealId: String(row[P.opportunity]),
        partnerAccountId: String(row[P.partnerAccount]),
        role: String(row[P.role]) as PartnerRole,
        splitPercent: text(row[P.splitPercent]),
      })),
    );
  }

  async listPendingRequests(): Promise<StageRequest[]> {
    return this.guard(() => this.all(SQL.pendingRequests).map(toStageRequest));
  }

  async listAccounts(ids: readonly string[]): Promise<PartnerRef[]> {
    const unique = [...new Set(ids.map(idParam))];
    const accounts: PartnerRef[] = [];
    for (let start = 0; start < unique.length; start += BATCH_SIZE) {
      const chunk = unique.slice(start, start + BATCH_SIZE);
      const rows = this.guard(() =>
        this.all(
          `SELECT "Id", "Name" FROM "Account" WHERE "Id" IN (${chunk.map(() => '?').join(', ')})`,
          ...chunk,
        ),
      ) as Row[];
      for (const row of rows) {
        accounts.push({ id: String(row['Id']), name: String(row['Name']) });
      }
    }
    return accounts;
  }

  async getAccount(id: string): Promise<AccountRecord | null> {
    const row = this.guard(() => this.get(SQL.account, idParam(id)));
    if (!row) return null;
    return {
      id: String(row['Id']),
      name: String(row['Name']),
      isPartner: row['IsPartner'] === 1,
    };
  }

  /** Pages through a `rowid > ?` query, yielding between pages. */
  private async *stream(sql: string): AsyncGenerator<Row> {
    let after = 0;
    for (;;) {
      const rows = this.guard(() => this.all(sql, after));
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1]!['_rowid']);
      yield* rows;
      if (rows.length < BATCH_SIZE) return;
    }
  }

  private get(sql: string, ...params: unknown[]): Row | undefined {
    return this.statements.get(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.statements.get(sql).all(...params) as Row[];
  }

  /** Maps a lock that outlasted the busy timeout, or a closed store, to the port's error. */
  private guard<T>(run: () => T): T {
    if (!this.db.open) {
      throw new StoreUnavailableError('The local store is closed');
    }
    try {
      return run();
    } catch (error) {
      throw toLockError(error);
    }
  }
}

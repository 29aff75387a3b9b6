import type Database from 'better-sqlite3';
import {
  OPPORTUNITY_FIELDS as O,
  REGISTRATION_FIELDS as G,
  REQUEST_FIELDS as R,
  TRANSITION_FIELDS as T,
} from '../../domain/api-names.js';
import type { IdempotencyRecord } from '../../domain/cosell.js';
import type { RecordData } from '../../domain/records.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  RecordNotFoundError,
} from '../errors.js';
import type {
  ApprovalWrite,
  NewIdempotencyRecord,
  NewRegistration,
  RegistrationCloseWrite,
  RegistrationRecord,
} from '../lifecycle-store.js';
import { registrationFields } from '../lifecycle-fields.js';
import { REGISTRATION_SELECT, toRegistration } from './lifecycle-rows.js';
import { insertIdempotencyRecord } from './idempotency-writes.js';
import type { RecordWriter } from './record-writer.js';
import type { Row } from './row-mappers.js';
import { idParam, isUniqueViolation } from './sql.js';
import type { StatementCache } from './sql.js';

const SQL = {
  registration: `${REGISTRATION_SELECT} WHERE r."Id" = ?`,
  registrationStatus: `SELECT "${G.status}" AS status FROM "Deal_Registration__c" WHERE "Id" = ?`,
  nextRegistrationNumber:
    'SELECT COALESCE(MAX(rowid), 0) + 1 AS n FROM "Deal_Registration__c"',
  nextTransitionNumber:
    'SELECT COALESCE(MAX(rowid), 0) + 1 AS n FROM "Stage_Transition__c"',
  deal: `SELECT "IsClosed" AS closed, COALESCE("${O.stageVersion}", 0) AS version FROM "Opportunity" WHERE "Id" = ?`,
  pendingRequest: `SELECT "Id" FROM "Stage_Request__c" WHERE "${R.opportunity}" = ? AND "${R.status}" = 'Pending' LIMIT 1`,
};

const OPEN_STATUSES = new Set(['Submitted', 'Approved']);

/**
 * The registration writes of the lifecycle store. Each runs in one `BEGIN
 * IMMEDIATE` transaction, so it holds the write lock while it checks what it
 * changes: an approval and a rejection of one registration cannot both apply.
 */
export class LifecycleWrites {
  readonly createRegistration: (
    registration: NewRegistration,
    idempotency?: NewIdempotencyRecord,
  ) => RegistrationRecord;
  readonly closeRegistration: (
    write: RegistrationCloseWrite,
  ) => RegistrationRecord;
  readonly approveRegistration: (write: ApprovalWrite) => {
    registration: RegistrationRecord;
    dealId: string;
  };

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
    private readonly records: RecordWriter,
    private readonly now: () => Date,
  ) {
    const immediate = <A extends unknown[], R>(run: (...args: A) => R) => {
      const transaction = db.transaction(run);
      return (...args: A): R => transaction.immediate(...args);
    };
    this.createRegistration = immediate(this.insertRegistration.bind(this));
    this.closeRegistration = immediate(this.close.bind(this));
    this.approveRegistration = immediate(this.approve.bind(this));
  }

  private insertRegistration(
    registration: NewRegistration,
    idempotency?: NewIdempotencyRecord,
  ): RegistrationRecord {
    const number = Number(this.get('nextRegistrationNumber')?.['n']);
    const id = this.insert('Deal_Registration__c', {
      ...registrationFields(registration),
      Name: `DR-${String(number).padStart(5, '0')}`,
      CreatedDate: registration.submittedAt,
    });
    if (idempotency) {
      this.insertIdempotency({
        ...idempotency,
        responseBody: id,
      });
    }
    return this.read(id);
  }

  private close(write: RegistrationCloseWrite): RegistrationRecord {
    const id = idParam(write.id);
    this.requireOpen(id);
    this.records.upsert('Deal_Registration__c', [
      {
        Id: id,
        [G.status]: write.status,
        [G.decidedBy]: write.decidedById,
        [G.decidedAt]: write.decidedAt,
        [G.decisionReason]: write.reason,
      },
    ]);
    if (write.idempotency) this.insertIdempotency(write.idempotency);
    return this.read(id);
  }

  private approve(write: ApprovalWrite): {
    registration: RegistrationRecord;
    dealId: string;
  } {
    const registrationId = idParam(write.registrationId);
    this.requireOpen(registrationId);
    const dealId = this.writeDeal(write);
    if (write.transition) {
      const t = write.transition;
      const number = Number(this.get('nextTransitionNumber')?.['n']);
      this.insert('Stage_Transition__c', {
        Name: `ST-${String(number).padStart(6, '0')}`,
        [T.opportunity]: dealId,
        [T.fromStage]: t.fromStage,
        [T.toStage]: t.toStage,
        [T.request]: t.requestId,
        [T.requestedBy]: t.requestedById,
        [T.confirmedBy]: t.confirmedById,
        [T.at]: t.at,
        [T.evidenceSnapshot]: t.evidenceSnapshot,
        [T.attributionSnapshot]: t.attributionSnapshot,
        [T.oneSided]: t.oneSided,
        [T.key]: t.key,
        [T.version]: t.version,
      });
    }
    this.records.upsert('Deal_Registration__c', [
      {
        Id: registrationId,
        [G.status]: 'Converted',
        [G.opportunity]: dealId,
        [G.decidedBy]: write.decidedById,
        [G.decidedAt]: write.decidedAt,
        [G.conflictStatus]: write.conflictStatus,
        [G.conflictMatches]: write.conflictMatches,
      },
    ]);
    if (write.idempotency) this.insertIdempotency(write.idempotency);
    return { registration: this.read(registrationId), dealId };
  }

  /** Creates the deal, or sets the co-sell fields of the linked one at the version read. */
  private writeDeal(write: ApprovalWrite): string {
    const deal = write.deal;
    if (deal.kind === 'create') {
      return this.insert('Opportunity', {
        Name: deal.name,
        OwnerId: deal.ownerId,
        StageName: deal.stageName,
        IsWon: false,
        IsClosed: false,
        Amount: deal.amount,
        CurrencyIsoCode: deal.currencyIsoCode,
        CloseDate: deal.closeDate,
        [O.stage]: deal.stage,
        [O.model]: deal.model,
        [O.stageEnteredAt]: deal.enteredAt,
        [O.stageVersion]: 1,
        [O.partnerAccount]: deal.partnerAccountId,
        [O.vendorOwner]: deal.vendorOwnerId,
        [O.partnerOwner]: deal.partnerOwnerId,
      });
    }
    const dealId = idParam(deal.dealId);
    const current = this.get('deal', dealId);
    if (!current) throw new RecordNotFoundError('Opportunity', dealId);
    if (
      current['closed'] === 1 ||
      Number(current['version']) !== deal.expectedVersion
    ) {
      throw new ConcurrentChangeError(
        `Deal ${dealId} changed since it was read (closed or at version ${Number(current['version'])}, not ${deal.expectedVersion})`,
      );
    }
    const update: RecordData = {
      Id: dealId,
      [O.partnerAccount]: deal.partnerAccountId,
      [O.vendorOwner]: deal.vendorOwnerId,
      [O.partnerOwner]: deal.partnerOwnerId,
    };
    if (deal.firstStage) {
      // A request made at no stage could no longer be confirmed once the deal has one.
      const pending = this.get('pendingRequest', dealId);
      if (pending) {
        throw new ConcurrentChangeError(
          `Deal ${dealId} has pending request ${String(pending['Id'])}, made before the deal had a co-sell stage`,
        );
      }
      update[O.stage] = deal.firstStage.stage;
      update[O.model] = deal.firstStage.model;
      update[O.stageEnteredAt] = deal.firstStage.enteredAt;
      update[O.stageVersion] = deal.expectedVersion + 1;
    }
    this.records.upsert('Opportunity', [update]);
    return dealId;
  }

  private requireOpen(id: string): void {
    const current = this.get('registrationStatus', id);
    if (!current) throw new RecordNotFoundError('Deal_Registration__c', id);
    const status = String(current['status']);
    if (!OPEN_STATUSES.has(status)) {
      throw new ConcurrentChangeError(
        `Deal registration ${id} is ${status}; it was decided by another call`,
      );
    }
  }

  private insertIdempotency(record: IdempotencyRecord): void {
    insertIdempotencyRecord(
      this.statements,
      this.records,
      record,
      this.now().toISOString(),
    );
  }

  private insert(
    objectName: string,
    record: Record<string, string | number | boolean | null>,
  ): string {
    try {
      return this.records.insertNew(objectName, record);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const field = objectName === 'Stage_Transition__c' ? T.key : 'Id';
      throw new DuplicateKeyError(
        `${objectName}.${field}`,
        String(record[field] ?? ''),
        { cause: error },
      );
    }
  }

  private read(id: string): RegistrationRecord {
    const row = this.get('registration', id);
    if (!row) throw new RecordNotFoundError('Deal_Registration__c', id);
    return toRegistration(row);
  }

  private get(name: keyof typeof SQL, ...params: unknown[]): Row | undefined {
    return this.statements.get(SQL[name]).get(...params) as Row | undefined;
  }
}

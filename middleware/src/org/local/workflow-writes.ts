import type Database from 'better-sqlite3';
import {
  IDEMPOTENCY_FIELDS as I,
  OPPORTUNITY_FIELDS as O,
  REQUEST_FIELDS as R,
  TRANSITION_FIELDS as T,
} from '../../domain/api-names.js';
import type {
  IdempotencyRecord,
  StageRequest,
  StageTransition,
} from '../../domain/cosell.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  PendingRequestExistsError,
  RecordNotFoundError,
} from '../errors.js';
import type {
  MoveWrite,
  NewStageRequest,
  RequestSnapshotWrite,
  RequestStatusWrite,
} from '../gateway.js';
import { insertIdempotencyRecord } from './idempotency-writes.js';
import type { RecordWriter } from './record-writer.js';
import { toStageRequest, toStageTransition } from './row-mappers.js';
import type { Row } from './row-mappers.js';
import { idParam, isUniqueViolation } from './sql.js';
import type { StatementCache } from './sql.js';

/** The statements of the workflow writes, each prepared once per connection. */
export const WORKFLOW_SQL = {
  dealExists: 'SELECT 1 FROM "Opportunity" WHERE "Id" = ?',
  dealVersion: `SELECT "${O.stageVersion}" AS version FROM "Opportunity" WHERE "Id" = ?`,
  pendingId: `SELECT "Id" FROM "Stage_Request__c" WHERE "${R.opportunity}" = ? AND "${R.status}" = 'Pending'`,
  requestByKey: `SELECT "Id" FROM "Stage_Request__c" WHERE "${R.idempotencyKey}" = ?`,
  releaseStaleKey: `UPDATE "Stage_Request__c" SET "${R.idempotencyKey}" = NULL, "LastModifiedDate" = ?
    WHERE "${R.idempotencyKey}" = ? AND NOT EXISTS (
      SELECT 1 FROM "Idempotency_Record__c" WHERE "${I.key}" = ? AND "${I.expiresAt}" > ?)`,
  requestStatus: `SELECT "${R.status}" AS status FROM "Stage_Request__c" WHERE "Id" = ?`,
  requestById: 'SELECT * FROM "Stage_Request__c" WHERE "Id" = ?',
  transitionById: 'SELECT * FROM "Stage_Transition__c" WHERE "Id" = ?',
  nextRequestNumber:
    'SELECT COALESCE(MAX(rowid), 0) + 1 AS n FROM "Stage_Request__c"',
  nextTransitionNumber:
    'SELECT COALESCE(MAX(rowid), 0) + 1 AS n FROM "Stage_Transition__c"',
  moveDeal: `UPDATE "Opportunity" SET "${O.stage}" = ?, "${O.stageEnteredAt}" = ?, "${O.stageVersion}" = ?, "LastModifiedDate" = ?
    WHERE "Id" = ? AND COALESCE("${O.stageVersion}", 0) = ?`,
  applyRequest: `UPDATE "Stage_Request__c" SET "${R.status}" = ?, "${R.respondedBy}" = ?, "${R.respondedAt}" = ?,
    "${R.evaluationSnapshot}" = ?, "${R.pendingDealKey}" = NULL, "LastModifiedDate" = ?
    WHERE "Id" = ? AND "${R.status}" = 'Pending'`,
  closeRequest: `UPDATE "Stage_Request__c" SET "${R.status}" = ?, "${R.respondedBy}" = ?, "${R.respondedAt}" = ?,
    "${R.responseReason}" = ?, "${R.pendingDealKey}" = NULL, "LastModifiedDate" = ?
    WHERE "Id" = ? AND "${R.status}" = 'Pending'`,
  overrideRequest: `UPDATE "Stage_Request__c" SET "${R.respondedBy}" = ?, "${R.respondedAt}" = ?, "${R.responseReason}" = ?, "LastModifiedDate" = ?
    WHERE "Id" = ? AND "${R.opportunity}" = ? AND "${R.status}" = 'Expired'`,
  snapshot: `UPDATE "Stage_Request__c" SET "${R.evaluationSnapshot}" = ?, "LastModifiedDate" = ? WHERE "Id" = ?`,
};

const SQL = WORKFLOW_SQL;

// NOTE: FieldSchema carries no auto-number format, so the SR- and ST- Names are
// numbered here, and upsertRecords stores a Name only when the record gives one.
const autoName = (prefix: string, n: number) =>
  `${prefix}-${String(n).padStart(6, '0')}`;

/**
 * The workflow writes of the port. Each runs in one `BEGIN IMMEDIATE` transaction,
 * so it takes the write lock before it reads what it checks: two processes on one
 * file apply a given move, close or create once, and a failure writes nothing.
 */
export class WorkflowWrites {
  readonly createRequest: (
    request: NewStageRequest,
    idempotency?: IdempotencyRecord,
  ) => StageRequest;
  readonly applyMove: (move: MoveWrite) => StageTransition;
  readonly closeRequest: (write: RequestStatusWrite) => StageRequest;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
    private readonly records: RecordWriter,
    private readonly now: () => Date,
  ) {
    const immediate = <A extends unknown[], T>(run: (...args: A) => T) => {
      const transaction = db.transaction(run);
      return (...args: A): T => transaction.immediate(...args);
    };
    this.createRequest = immediate(this.insertRequest.bind(this));
    this.applyMove = immediate(this.move.bind(this));
    this.closeRequest = immediate(this.close.bind(this));
  }

  updateRequestSnapshot(write: RequestSnapshotWrite): void {
    const result = this.run('snapshot', [
      write.evaluationSnapshot,
      this.now().toISOString(),
      idParam(write.id),
    ]);
    if (result.changes === 0) {
      throw new RecordNotFoundError('Stage_Request__c', write.id);
    }
  }

  private insertRequest(
    request: NewStageRequest,
    idempotency?: IdempotencyRecord,
  ): StageRequest {
    const dealId = idParam(request.dealId);
    if (!this.get('dealExists', dealId)) {
      throw new RecordNotFoundError('Opportunity', request.dealId);
    }
    const pending = this.get('pendingId', dealId);
    if (pending && request.status === 'Pending') {
      throw new PendingRequestExistsError(dealId, String(pending['Id']));
    }
    const key = request.idempotencyKey;
    // Stage_Request__c.Idempotency_Key__c is unique, so the key of an old request
    // would block a new one forever. A key counts as used only while its
    // idempotency record is live, so the insert frees it first, in this
    // transaction. This works whether the record expired or a sweep deleted it.
    if (key !== null) {
      const now = this.now().toISOString();
      this.run('releaseStaleKey', [now, key, key, now]);
    }
    if (key !== null && this.get('requestByKey', key)) {
      throw new DuplicateKeyError(`Stage_Request__c.${R.idempotencyKey}`, key);
    }
    const number = Number(this.get('nextRequestNumber')?.['n']);
    const id = this.insert('Stage_Request__c', {
      Name: autoName('SR', number),
      CreatedDate: request.createdAt,
      [R.opportunity]: dealId,
      [R.fromStage]: request.fromStage,
      [R.toStage]: request.toStage,
      [R.kind]: request.kind,
      [R.requestedBy]: request.requestedById,
      [R.requestingSide]: request.requestingSide,
      [R.status]: request.status,
      [R.respondedBy]: request.respondedById,
      [R.respondedAt]: request.respondedAt,
      [R.reason]: request.reason,
      [R.responseReason]: request.responseReason,
      [R.expiresAt]: request.expiresAt,
      [R.idempotencyKey]: key,
      [R.evaluationSnapshot]: request.evaluationSnapshot,
      [R.dealVersion]: request.dealVersion,
      [R.pendingDealKey]: request.status === 'Pending' ? dealId : null,
    });
    if (idempotency) this.insertIdempotency(idempotency);
    return toStageRequest(this.get('requestById', id)!);
  }

  private move(move: MoveWrite): StageTransition {
    const dealId = idParam(move.dealId);
    const now = this.now().toISOString();
    const moved = this.run('moveDeal', [
      move.toStage,
      move.enteredAt,
      move.expectedVersion + 1,
      now,
      dealId,
      move.expectedVersion,
    ]);
    if (moved.changes === 0) {
      const current = this.get('dealVersion', dealId);
      if (!current) throw new RecordNotFoundError('Opportunity', move.dealId);
      throw new ConcurrentChangeError(
        `Deal ${dealId} is at version ${Number(current['version'] ?? 0)}, not ${move.expectedVersion} as read: another move was applied first`,
      );
    }
    if (move.request) {
      const request = move.request;
      const answered = this.run('applyRequest', [
        request.status,
        request.respondedById,
        request.respondedAt,
        request.evaluationSnapshot,
        now,
        idParam(request.id),
      ]);
      if (answered.changes === 0) this.notPending(request.id);
    }
    if (move.overriddenRequest) {
      const request = move.overriddenRequest;
      const overridden = this.run('overrideRequest', [
        request.respondedById,
        request.respondedAt,
        request.responseReason,
        now,
        idParam(request.id),
        dealId,
      ]);
      if (overridden.changes === 0) this.notExpired(request.id, dealId);
    }
    const t = move.transition;
    const number = Number(this.get('nextTransitionNumber')?.['n']);
    const id = this.insert('Stage_Transition__c', {
      Name: autoName('ST', number),
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
    if (move.idempotency) this.insertIdempotency(move.idempotency);
    return toStageTransition(this.get('transitionById', id)!);
  }

  private close(write: RequestStatusWrite): StageRequest {
    const id = idParam(write.id);
    const closed = this.run('closeRequest', [
      write.status,
      write.respondedById,
      write.respondedAt,
      write.responseReason,
      this.now().toISOString(),
      id,
    ]);
    if (closed.changes === 0) this.notPending(write.id);
    if (write.idempotency) this.insertIdempotency(write.idempotency);
    return toStageRequest(this.get('requestById', id)!);
  }

  private notPending(requestId: string): never {
    const current = this.get('requestStatus', idParam(requestId));
    if (!current) throw new RecordNotFoundError('Stage_Request__c', requestId);
    throw new ConcurrentChangeError(
      `Stage request ${idParam(requestId)} is ${String(current['status'])}, no longer Pending`,
    );
  }

  private notExpired(requestId: string, dealId: string): never {
    const current = this.get('requestById', idParam(requestId));
    if (!current) throw new RecordNotFoundError('Stage_Request__c', requestId);
    throw new ConcurrentChangeError(
      `Stage request ${idParam(requestId)} is ${String(current[R.status])} on deal ${String(current[R.opportunity])}, not Expired on deal ${dealId}, so it cannot be overridden`,
    );
  }

  private insertIdempotency(record: IdempotencyRecord): void {
    insertIdempotencyRecord(
      this.statements,
      this.records,
      record,
      this.now().toISOString(),
    );
  }

  /** Inserts a workflow record, turning a unique-key clash into the port's error. */
  private insert(
    objectName: string,
    record: Record<string, string | number | boolean | null>,
  ): string {
    try {
      return this.records.insertNew(objectName, record);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw duplicateError(objectName, record, error);
    }
  }

  private get(name: keyof typeof SQL, ...params: unknown[]): Row | undefined {
    return this.statements.get(SQL[name]).get(...params) as Row | undefined;
  }

  private run(name: keyof typeof SQL, params: unknown[]): Database.RunResult {
    return this.statements.get(SQL[name]).run(...params);
  }
}

function duplicateError(
  objectName: string,
  record: Record<string, string | number | boolean | null>,
  cause: unknown,
): Error {
  const message = String(cause);
  if (
    objectName === 'Stage_Request__c' &&
    !message.includes(R.idempotencyKey)
  ) {
    const dealId = String(record[R.opportunity]);
    return new PendingRequestExistsError(dealId, null, { cause });
  }
  // Requests and transitions are the only records inserted here.
  const keyField = objectName === 'Stage_Request__c' ? R.idempotencyKey : T.key;
  return new DuplicateKeyError(
    `${objectName}.${keyField}`,
    String(record[keyField]),
    { cause },
  );
}

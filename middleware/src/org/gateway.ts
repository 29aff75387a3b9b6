import type {
  IdempotencyRecord,
  OrgUser,
  RequestStatus,
  StageRequest,
  StageTransition,
} from '../domain/cosell.js';
import type { ModelSource } from '../domain/model.js';
import type { RecordData } from '../domain/records.js';
import type { OrgSchema } from '../domain/schema.js';

/**
 * The fields of a deal and its children that one read must return: the union of what
 * the criteria of every loaded model read and what the API shows. Field paths may
 * cross lookups (`Owner__r.AccountId`).
 */
export interface DealQueryPlan {
  dealFields: string[];
  /** Child relationship name (`Close_Plan_Steps__r`) to the child fields to read. */
  children: Record<string, string[]>;
}

/** What one read returns for a deal. Either `dealId` or `requestId` names the deal. */
export interface DealContextQuery {
  dealId?: string;
  requestId?: string;
  actingUserId: string;
  /** Scoped idempotency key to look up, when the call carries one. */
  idempotencyKey?: string;
  plan: DealQueryPlan;
}

export interface DealContext {
  /** The Opportunity with the plan's fields, lookups and child relationships. */
  deal: RecordData | null;
  /** Opportunity team members' user Ids. */
  teamMemberIds: string[];
  actingUser: OrgUser | null;
  /** The user who made the request named by `requestId`; null without one. */
  requester: OrgUser | null;
  /** The deal's pending request, if any. */
  pendingRequest: StageRequest | null;
  /** The request named by `requestId`, in any status. */
  request: StageRequest | null;
  idempotency: IdempotencyRecord | null;
}

export type NewStageRequest = Omit<StageRequest, 'id' | 'name'>;
export type NewStageTransition = Omit<StageTransition, 'id' | 'name'>;

/** A confirmed move: stage, version, transition and request status, all or none. */
export interface MoveWrite {
  dealId: string;
  /** The version read; the write fails with `ConcurrentChangeError` if it changed. */
  expectedVersion: number;
  toStage: string;
  enteredAt: string;
  transition: NewStageTransition;
  /** The request the move answers; it must still be Pending. */
  request: {
    id: string;
    status: Extract<RequestStatus, 'Applied'>;
    respondedById: string;
    respondedAt: string;
    evaluationSnapshot: string;
  } | null;
  /**
   * The expired Close Lost request that a channel manager's one-sided override
   * applies. It must still be Expired, and keeps that status. The write records
   * the channel manager as its responder, and `responseReason` keeps the expiry
   * text followed by the override's reason.
   */
  overriddenRequest?: {
    id: string;
    respondedById: string;
    respondedAt: string;
    responseReason: string;
  };
  idempotency?: IdempotencyRecord;
}

/** Throws a `RangeError` unless `limit`, the batch size of a listing or purge, is a whole number of at least 1. */
export function checkBatchLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `limit must be a whole number of at least 1, not ${limit}`,
    );
  }
}

/** A request status change that moves no stage (reject, withdraw, expire). */
export interface RequestStatusWrite {
  id: string;
  status: Extract<RequestStatus, 'Rejected' | 'Withdrawn' | 'Expired'>;
  respondedById: string | null;
  respondedAt: string;
  /** Stored in `Response_Reason__c`, so the requester's `Reason__c` is kept. */
  responseReason: string | null;
  idempotency?: IdempotencyRecord;
}

/** A change to a pending request that keeps it pending (a failed confirmation). */
export interface RequestSnapshotWrite {
  id: string;
  evaluationSnapshot: string;
}

/**
 * The port between the use cases and the system of record. `LocalGateway` implements
 * it on SQLite, `SalesforceGateway` on an org through jsforce; one conformance suite
 * checks both. Errors are the classes in `org/errors.ts`.
 */
export interface OrgGateway {
  readonly kind: 'local' | 'salesforce';

  describeSchema(): Promise<OrgSchema>;
  loadModelSource(): Promise<ModelSource>;

  /** Everything a decision needs, in one read (one composite call on Salesforce). */
  readDealContext(query: DealContextQuery): Promise<DealContext>;

  /**
   * Inserts a pending request. Fails with `PendingRequestExistsError` when the deal
   * already has one, and with `DuplicateKeyError` when the idempotency key was used.
   */
  createRequest(
    request: NewStageRequest,
    idempotency?: IdempotencyRecord,
  ): Promise<StageRequest>;

  /** Applies a confirmed move in one all-or-none write (one composite call). */
  applyMove(move: MoveWrite): Promise<StageTransition>;

  /** Sets a pending request's final status; fails if it is no longer pending. */
  closeRequest(write: RequestStatusWrite): Promise<StageRequest>;

  /** Keeps a pending request pending with the latest evaluation. */
  updateRequestSnapshot(write: RequestSnapshotWrite): Promise<void>;

  getRequest(requestId: string): Promise<StageRequest | null>;
  /**
   * The deal's first request created after `createdAt`, or null. On Salesforce,
   * whose CreatedDate has whole seconds, it is the first from the next second on.
   * The override of an expired request uses it: a request made after that one
   * was pending for at least an hour, so never in the same second.
   */
  findRequestCreatedAfter(
    dealId: string,
    createdAt: string,
  ): Promise<StageRequest | null>;
  /** The request created with this scoped idempotency key, for a replayed POST. */
  findRequestByIdempotencyKey(key: string): Promise<StageRequest | null>;
  listTransitions(dealId: string): Promise<StageTransition[]>;
  getUsers(userIds: string[]): Promise<OrgUser[]>;

  /** Pending requests whose `Expires_At__c` is before `now`, for the expiry sweep. */
  listExpiredPending(now: string, limit: number): Promise<StageRequest[]>;

  /**
   * Deletes up to `limit` idempotency records that expired by `now`, oldest first,
   * for the expiry sweep. Returns how many it deleted.
   */
  purgeExpiredIdempotency(now: string, limit: number): Promise<number>;

  /** Every open deal with the plan's fields and children (Bulk API 2.0 on an org). */
  streamOpenDeals(plan: DealQueryPlan): AsyncIterable<RecordData>;

  /**
   * Sends one cheap call to the store, without retries, for the readiness
   * check (one API call on Salesforce). Fails with `StoreUnavailableError`.
   */
  checkAvailable(): Promise<void>;

  close(): Promise<void>;
}

import {
  IDEMPOTENCY_FIELDS as I,
  REQUEST_FIELDS as R,
  TRANSITION_FIELDS as T,
} from '../../domain/api-names.js';
import type {
  IdempotencyRecord,
  OrgUser,
  RequestKind,
  RequestStatus,
  Side,
  StageRequest,
  StageTransition,
} from '../../domain/cosell.js';
import { StoredValueError } from '../../domain/stored-value.js';

/** A row read with `SELECT *`, keyed by column (field API name). */
export type Row = Record<string, unknown>;

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export function toStageRequest(row: Row): StageRequest {
  return {
    id: String(row['Id']),
    name: text(row['Name']),
    dealId: String(row[R.opportunity]),
    fromStage: text(row[R.fromStage]),
    toStage: String(row[R.toStage]),
    kind: String(row[R.kind]) as RequestKind,
    requestedById: String(row[R.requestedBy]),
    requestingSide: String(row[R.requestingSide]) as Side,
    status: String(row[R.status]) as RequestStatus,
    respondedById: text(row[R.respondedBy]),
    respondedAt: text(row[R.respondedAt]),
    reason: text(row[R.reason]),
    responseReason: text(row[R.responseReason]),
    expiresAt: String(row[R.expiresAt]),
    createdAt: String(row['CreatedDate']),
    idempotencyKey: text(row[R.idempotencyKey]),
    evaluationSnapshot: text(row[R.evaluationSnapshot]),
    dealVersion: Number(row[R.dealVersion] ?? 0),
  };
}

const WHOLE_NUMBER = /^-?\d+$/;

/**
 * Reads the `Version__c` of a transition row. Fails with a `StoredValueError`
 * naming the transition when the stored value is not a safe integer, such as
 * text written around the store's checks, instead of returning NaN.
 */
function storedVersion(row: Row): number {
  const stored = row[T.version] ?? 0;
  let version = Number.NaN;
  if (typeof stored === 'number') version = stored;
  else if (typeof stored === 'string' && WHOLE_NUMBER.test(stored)) {
    version = Number(stored);
  }
  if (Number.isSafeInteger(version)) return version;
  throw new StoredValueError(
    {
      object: 'Stage_Transition__c',
      recordId: String(row['Id']),
      field: T.version,
    },
    stored,
    'a whole number',
  );
}

export function toStageTransition(row: Row): StageTransition {
  return {
    id: String(row['Id']),
    name: text(row['Name']),
    dealId: String(row[T.opportunity]),
    fromStage: text(row[T.fromStage]),
    toStage: String(row[T.toStage]),
    requestId: text(row[T.request]),
    requestedById: String(row[T.requestedBy]),
    confirmedById: String(row[T.confirmedBy]),
    at: String(row[T.at]),
    evidenceSnapshot: String(row[T.evidenceSnapshot] ?? '[]'),
    attributionSnapshot: text(row[T.attributionSnapshot]),
    oneSided: row[T.oneSided] === 1,
    key: String(row[T.key]),
    version: storedVersion(row),
  };
}

export function toIdempotencyRecord(row: Row): IdempotencyRecord {
  return {
    key: String(row[I.key]),
    fingerprint: String(row[I.fingerprint]),
    responseStatus: Number(row[I.responseStatus]),
    responseBody: String(row[I.responseBody] ?? '{}'),
    expiresAt: String(row[I.expiresAt]),
  };
}

/**
 * Maps a `User` row with `permission_sets`, a JSON array of permission set names,
 * and `contact_account_id`, the account of the user's contact. The user's own
 * `AccountId` is not read, so a partner user without a contact has no account.
 */
export function toOrgUser(row: Row): OrgUser {
  const sets = JSON.parse(String(row['permission_sets'] ?? '[]')) as string[];
  return {
    id: String(row['Id']),
    name: String(row['Name'] ?? ''),
    isActive: row['IsActive'] === 1,
    userType: String(row['UserType'] ?? 'Standard'),
    contactId: text(row['ContactId']),
    accountId: text(row['contact_account_id']),
    permissionSets: sets.filter((name) => typeof name === 'string').sort(),
  };
}

import {
  IDEMPOTENCY_FIELDS,
  REQUEST_FIELDS,
  TRANSITION_FIELDS,
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
import type { FieldValue, RecordData } from '../../domain/records.js';
import type { NewStageRequest, NewStageTransition } from '../gateway.js';

/** Fields read for a `StageRequest`. */
export const REQUEST_SELECT = [
  'Id',
  'Name',
  'CreatedDate',
  ...Object.values(REQUEST_FIELDS).filter(
    (field) => field !== REQUEST_FIELDS.pendingDealKey,
  ),
];

/** Fields read for a `StageTransition`. */
export const TRANSITION_SELECT = [
  'Id',
  'Name',
  ...Object.values(TRANSITION_FIELDS),
];

export const IDEMPOTENCY_SELECT = ['Id', ...Object.values(IDEMPOTENCY_FIELDS)];

/** User fields the side rules need; permission sets come from a subquery. */
export const USER_SELECT = [
  'Id',
  'Name',
  'IsActive',
  'UserType',
  'ContactId',
  'Contact.AccountId',
];
export const PERMISSION_SET_SUBQUERY =
  'SELECT PermissionSet.Name FROM PermissionSetAssignments';

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

const number = (value: unknown): number =>
  typeof value === 'number' ? value : Number(value ?? 0);

export function toStageRequest(record: RecordData): StageRequest {
  const f = REQUEST_FIELDS;
  return {
    id: String(record.Id),
    name: text(record.Name),
    dealId: String(record[f.opportunity]),
    fromStage: text(record[f.fromStage]),
    toStage: String(record[f.toStage]),
    kind: String(record[f.kind]) as RequestKind,
    requestedById: String(record[f.requestedBy]),
    requestingSide: String(record[f.requestingSide]) as Side,
    status: String(record[f.status]) as RequestStatus,
    respondedById: text(record[f.respondedBy]),
    respondedAt: text(record[f.respondedAt]),
    reason: text(record[f.reason]),
    responseReason: text(record[f.responseReason]),
    expiresAt: String(record[f.expiresAt]),
    createdAt: String(record.CreatedDate ?? record[f.expiresAt]),
    idempotencyKey: text(record[f.idempotencyKey]),
    evaluationSnapshot: text(record[f.evaluationSnapshot]),
    dealVersion: number(record[f.dealVersion]),
  };
}

export function toStageTransition(record: RecordData): StageTransition {
  const f = TRANSITION_FIELDS;
  return {
    id: String(record.Id),
    name: text(record.Name),
    dealId: String(record[f.opportunity]),
    fromStage: text(record[f.fromStage]),
    toStage: String(record[f.toStage]),
    requestId: text(record[f.request]),
    requestedById: String(record[f.requestedBy]),
    confirmedById: String(record[f.confirmedBy]),
    at: String(record[f.at]),
    evidenceSnapshot: String(record[f.evidenceSnapshot] ?? '[]'),
    attributionSnapshot: text(record[f.attributionSnapshot]),
    oneSided: record[f.oneSided] === true,
    key: String(record[f.key]),
    version: number(record[f.version]),
  };
}

export function toIdempotencyRecord(record: RecordData): IdempotencyRecord {
  const f = IDEMPOTENCY_FIELDS;
  return {
    key: String(record[f.key]),
    fingerprint: String(record[f.fingerprint]),
    responseStatus: number(record[f.responseStatus]),
    responseBody: String(record[f.responseBody] ?? '{}'),
    expiresAt: String(record[f.expiresAt]),
  };
}

/** A User row with its `PermissionSetAssignments` subquery rows. */
export function toOrgUser(record: RecordData): OrgUser {
  const assignments = record.PermissionSetAssignments;
  const permissionSets = Array.isArray(assignments)
    ? assignments
        .map((row) => (row.PermissionSet as RecordData | null)?.Name)
        .filter((name): name is string => typeof name === 'string')
    : [];
  return {
    id: String(record.Id),
    name: String(record.Name ?? ''),
    isActive: record.IsActive === true,
    userType: String(record.UserType ?? 'Standard'),
    contactId: text(record.ContactId),
    accountId: text((record.Contact as RecordData | null)?.AccountId),
    permissionSets,
  };
}

type Body = Record<string, FieldValue>;

/** The insert body of a request; `Pending_Deal_Key__c` holds the deal Id while pending. */
export function requestInsertBody(request: NewStageRequest): Body {
  const f = REQUEST_FIELDS;
  return {
    [f.opportunity]: request.dealId,
    [f.fromStage]: request.fromStage,
    [f.toStage]: request.toStage,
    [f.kind]: request.kind,
    [f.requestedBy]: request.requestedById,
    [f.requestingSide]: request.requestingSide,
    [f.status]: request.status,
    [f.respondedBy]: request.respondedById,
    [f.respondedAt]: request.respondedAt,
    [f.reason]: request.reason,
    [f.responseReason]: request.responseReason,
    [f.expiresAt]: request.expiresAt,
    [f.idempotencyKey]: request.idempotencyKey,
    [f.evaluationSnapshot]: request.evaluationSnapshot,
    [f.dealVersion]: request.dealVersion,
    [f.pendingDealKey]: request.status === 'Pending' ? request.dealId : null,
  };
}

export function transitionInsertBody(transition: NewStageTransition): Body {
  const f = TRANSITION_FIELDS;
  return {
    [f.opportunity]: transition.dealId,
    [f.fromStage]: transition.fromStage,
    [f.toStage]: transition.toStage,
    [f.request]: transition.requestId,
    [f.requestedBy]: transition.requestedById,
    [f.confirmedBy]: transition.confirmedById,
    [f.at]: transition.at,
    [f.evidenceSnapshot]: transition.evidenceSnapshot,
    [f.attributionSnapshot]: transition.attributionSnapshot,
    [f.oneSided]: transition.oneSided,
    [f.key]: transition.key,
    [f.version]: transition.version,
  };
}

export function idempotencyInsertBody(record: IdempotencyRecord): Body {
  const f = IDEMPOTENCY_FIELDS;
  return {
    Name: record.key.slice(0, 80),
    [f.key]: record.key,
    [f.fingerprint]: record.fingerprint,
    [f.responseStatus]: record.responseStatus,
    [f.responseBody]: record.responseBody,
    [f.expiresAt]: record.expiresAt,
  };
}

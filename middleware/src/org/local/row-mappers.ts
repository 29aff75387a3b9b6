import type {
  IdempotencyRecord,
  OrgUser,
  RequestKind,
  RequestStatus,
  Side,
  StageRequest,
  StageTransition,
} from '../../domain/cosell.js';

type Row = Record<string, unknown>;

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export function toStageRequest(row: Row): StageRequest {
  return {
    id: String(row['Id']),
    name: text(row['Name']),
    dealId: String(row['Opportunity__c']),
    fromStage: text(row['From_Stage__c']),
    toStage: String(row['To_Stage__c']),
    kind: String(row['Kind__c']) as RequestKind,
    requestedById: String(row['Requested_By__c']),
    requestingSide: String(row['Requesting_Side__c']) as Side,
    status: String(row['Status__c']) as RequestStatus,
    respondedById: text(row['Responded_By__c']),
    respondedAt: text(row['Responded_At__c']),
    reason: text(row['Reason__c']),
    expiresAt: String(row['Expires_At__c']),
    createdAt: String(row['CreatedDate'] ?? row['Expires_At__c']),
    idempotencyKey: text(row['Idempotency_Key__c']),
    evaluationSnapshot: text(row['Evaluation_Snapshot__c']),
    dealVersion: Number(row['Deal_Version__c'] ?? 0),
  };
}

export function toStageTransition(row: Row): StageTransition {
  return {
    id: String(row['Id']),
    name: text(row['Name']),
    dealId: String(row['Opportunity__c']),
    fromStage: text(row['From_Stage__c']),
    toStage: String(row['To_Stage__c']),
    requestId: text(row['Stage_Request__c']),
    requestedById: String(row['Requested_By__c']),
    confirmedById: String(row['Confirmed_By__c']),
    at: String(row['Transitioned_At__c']),
    evidenceSnapshot: String(row['Evidence_Snapshot__c'] ?? '[]'),
    attributionSnapshot: text(row['Attribution_Snapshot__c']),
    oneSided: row['One_Sided__c'] === 1,
    key: String(row['Key__c']),
    version: Number(row['Version__c'] ?? 0),
  };
}

export function toIdempotencyRecord(row: Row): IdempotencyRecord {
  return {
    key: String(row['Key__c']),
    fingerprint: String(row['Fingerprint__c']),
    responseStatus: Number(row['Response_Status__c']),
    responseBody: String(row['Response_Body__c'] ?? '{}'),
    expiresAt: String(row['Expires_At__c']),
  };
}

export function toOrgUser(row: Row, permissionSets: string[]): OrgUser {
  return {
    id: String(row['Id']),
    name: String(row['Name'] ?? ''),
    isActive: row['IsActive'] === 1,
    userType: String(row['UserType'] ?? 'Standard'),
    contactId: text(row['ContactId']),
    accountId: text(row['AccountId']),
    permissionSets,
  };
}

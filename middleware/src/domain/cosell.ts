/**
 * Records of the co-sell workflow as the engine sees them, independent of the store.
 * Ids are 18-character Salesforce Ids; instants are ISO 8601 text in UTC.
 */
export type Side = 'Vendor' | 'Partner';

export const REQUEST_KINDS = ['Advance', 'Back', 'Close Lost'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const REQUEST_STATUSES = [
  'Pending',
  'Applied',
  'Rejected',
  'Withdrawn',
  'Expired',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Permission set names that grant co-sell roles. */
export const PERMISSION_SETS = {
  seller: 'Cosell_Seller',
  partnerSeller: 'Cosell_Partner_Seller',
  channelManager: 'Cosell_Channel_Manager',
  admin: 'Cosell_Admin',
  integration: 'Cosell_Integration',
} as const;

/** A Salesforce user with what the side rules need to know about them. */
export interface OrgUser {
  id: string;
  name: string;
  isActive: boolean;
  /** `Standard` for internal users, `PowerPartner` for partner community users. */
  userType: string;
  contactId: string | null;
  /**
   * The account of the user's contact, which is a partner user's partner account;
   * null for a user without a contact. `User.AccountId` is never read.
   */
  accountId: string | null;
  permissionSets: string[];
}

export interface StageRequest {
  id: string;
  name: string | null;
  dealId: string;
  /** Null when the deal had no co-sell stage yet. */
  fromStage: string | null;
  toStage: string;
  kind: RequestKind;
  requestedById: string;
  requestingSide: Side;
  status: RequestStatus;
  respondedById: string | null;
  respondedAt: string | null;
  /** The requester's reason. */
  reason: string | null;
  /** The reason of the rejection, withdrawal, expiry or Close Lost override. */
  responseReason: string | null;
  expiresAt: string;
  createdAt: string;
  idempotencyKey: string | null;
  /** JSON of the evaluation made when the request was created or last confirmed. */
  evaluationSnapshot: string | null;
  /** The deal's `Cosell_Stage_Version__c` when the request was made. */
  dealVersion: number;
}

export interface StageTransition {
  id: string;
  name: string | null;
  dealId: string;
  fromStage: string | null;
  toStage: string;
  requestId: string | null;
  requestedById: string;
  confirmedById: string;
  at: string;
  /** JSON array of the criterion results that allowed the move. */
  evidenceSnapshot: string;
  /** JSON of the deal partners and splits, set when the move closed the deal as won. */
  attributionSnapshot: string | null;
  oneSided: boolean;
  /** Unique key that makes the move happen exactly once. */
  key: string;
  /** The deal's version after the move. */
  version: number;
}

/** A stored `Idempotency-Key` and what its first use produced. */
export interface IdempotencyRecord {
  /** Hash of the caller and the client's key. */
  key: string;
  /** Hash of method, path and body of the first use. */
  fingerprint: string;
  responseStatus: number;
  /** JSON that identifies the resources the first use produced. */
  responseBody: string;
  expiresAt: string;
}

/**
 * The reads and writes of the co-sell lifecycle beyond one deal's stage moves:
 * deal registrations and their decisions, and the whole-org reads that the
 * agenda, forecast, backtest and scorecard need. `LocalLifecycleStore`
 * implements it on SQLite and `SalesforceLifecycleStore` on an org. Errors are
 * the classes in `org/errors.ts`.
 */
import type {
  IdempotencyRecord,
  StageRequest,
  StageTransition,
} from '../domain/cosell.js';
import type {
  DealToMatch,
  LifecycleDeal,
  LifecycleDealPartner,
  LifecycleRegistration,
  LifecycleTransition,
  PartnerRef,
  RegistrationStatus,
} from '../domain/lifecycle/index.js';
import type { NewStageTransition } from './gateway.js';

export const CONFLICT_STATUSES = ['Not Checked', 'Clear', 'Conflict'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

/** A `Deal_Registration__c` with the fields the API shows. */
export interface RegistrationRecord extends LifecycleRegistration {
  partnerAccountName: string | null;
  conflictStatus: ConflictStatus;
  /** `Conflict_Matches__c`: JSON of the matches found by the last check. */
  conflictMatches: string | null;
  submittedById: string | null;
  /** The record owner: the submitting partner user, so partner sharing reaches it. */
  ownerId: string | null;
  decidedById: string | null;
  decisionReason: string | null;
}

/** A registration to insert as Submitted; the store assigns `Id` and `Name`. */
export interface NewRegistration {
  partnerAccountId: string;
  submittedById: string;
  submittedAt: string;
  customerCompany: string;
  customerWebsite: string | null;
  customerCountry: string;
  productLine: string;
  amount: string;
  currencyIsoCode: string;
  expectedCloseDate: string;
  expiresAt: string;
  conflictStatus: ConflictStatus;
  conflictMatches: string;
}

/** A decision that creates no deal: reject, or expire. */
export interface RegistrationCloseWrite {
  id: string;
  status: Extract<RegistrationStatus, 'Rejected' | 'Expired'>;
  /** Null when the registration expired on its own. */
  decidedById: string | null;
  decidedAt: string;
  reason: string | null;
  idempotency?: IdempotencyRecord;
}

/** A new deal at the model's first stage, made from an approved registration. */
export interface NewDealWrite {
  kind: 'create';
  name: string;
  /** `OwnerId`: the vendor owner. */
  ownerId: string;
  /** Standard `StageName` of the new Opportunity. */
  stageName: string;
  amount: string;
  currencyIsoCode: string;
  closeDate: string;
  model: string;
  stage: string;
  enteredAt: string;
  partnerAccountId: string;
  vendorOwnerId: string;
  partnerOwnerId: string;
}

/**
 * Co-sell fields to set on an existing deal. `stage`, `enteredAt` and `model` are
 * set only when the deal had no co-sell stage; then the version goes up by one.
 */
export interface LinkDealWrite {
  kind: 'link';
  dealId: string;
  /** The version read; the write fails with `ConcurrentChangeError` if it changed. */
  expectedVersion: number;
  partnerAccountId: string;
  vendorOwnerId: string;
  partnerOwnerId: string;
  firstStage: { model: string; stage: string; enteredAt: string } | null;
}

/**
 * An approval: the registration becomes Converted with its deal, and the deal
 * is created or linked, all or none. `transition` records the move that gave
 * the deal its first stage; its `dealId` is filled in by the store for a new deal.
 */
export interface ApprovalWrite {
  registrationId: string;
  decidedById: string;
  decidedAt: string;
  conflictStatus: ConflictStatus;
  conflictMatches: string;
  deal: NewDealWrite | LinkDealWrite;
  transition: NewStageTransition | null;
  idempotency?: IdempotencyRecord;
}

/** An open deal to check a registration against, with its partner account. */
export interface OpenDealToMatch extends DealToMatch {
  partnerAccountId: string | null;
  /** `Cosell_Model__c` and `Cosell_Stage__c`, null when blank. */
  model: string | null;
  stage: string | null;
}

/** The fields of a transition's deal that the stage history and attribution read. */
export interface TransitionDeal {
  id: string;
  name: string;
  /** `Cosell_Model__c`, or `Default` when blank. */
  model: string;
  /** `Cosell_Stage__c`, which is never blank here. */
  stage: string;
}

/** A `Stage_Transition__c` with the deal it belongs to. */
export interface DealTransition {
  deal: TransitionDeal;
  transition: StageTransition;
}

/** An idempotency record whose response body the store fills with the new Id. */
export type NewIdempotencyRecord = Omit<IdempotencyRecord, 'responseBody'>;

/** The fields of an existing deal that an approval checks before linking it. */
/** An Account with the flag that makes it a partner account. */
export interface AccountRecord {
  id: string;
  name: string;
  /** `IsPartner`: true when the account is enabled as a partner account. */
  isPartner: boolean;
}

export interface LinkableDeal {
  id: string;
  name: string;
  isClosed: boolean;
  partnerAccountId: string | null;
  model: string | null;
  stage: string | null;
  version: number;
  ownerId: string | null;
  vendorOwnerId: string | null;
  partnerOwnerId: string | null;
  /** The deal's `Stage_Request__c` in Pending status, if any, even one past its expiry. */
  pendingRequest: { id: string; fromStage: string | null } | null;
}

export interface LifecycleStore {
  getRegistration(id: string): Promise<RegistrationRecord | null>;
  /**
   * Inserts a Submitted registration and, when given, its idempotency record
   * whose response body is the new registration's Id, all or none.
   */
  createRegistration(
    registration: NewRegistration,
    idempotency?: NewIdempotencyRecord,
  ): Promise<RegistrationRecord>;
  /** Registrations in Submitted or Approved status, of every partner. */
  listOpenRegistrations(): Promise<RegistrationRecord[]>;
  /** Every registration, of one partner account when given. */
  listRegistrations(partnerAccountId?: string): Promise<RegistrationRecord[]>;
  /** Submitted or Approved registrations whose `Expires_At__c` is at or before `now`. */
  listExpiredRegistrations(
    now: string,
    limit: number,
  ): Promise<RegistrationRecord[]>;
  /**
   * Rejects or expires a Submitted or Approved registration; fails with
   * `ConcurrentChangeError` when it was decided in the meantime.
   */
  closeRegistration(write: RegistrationCloseWrite): Promise<RegistrationRecord>;
  /**
   * Approves a Submitted or Approved registration and creates or links its deal,
   * all or none. Returns the registration and the deal's Id.
   */
  approveRegistration(
    write: ApprovalWrite,
  ): Promise<{ registration: RegistrationRecord; dealId: string }>;
  /** The stored result of an earlier call with this scoped idempotency key. */
  findIdempotency(key: string): Promise<IdempotencyRecord | null>;

  getLinkableDeal(dealId: string): Promise<LinkableDeal | null>;
  /**
   * Open deals with their customer's name and website (the customer Account's,
   * or the converted registration's when the deal has no account) and the
   * product line of their registration, for conflict checks.
   */
  listDealsToMatch(): Promise<OpenDealToMatch[]>;

  /** Every deal, open and closed, with its co-sell fields. */
  streamDeals(): AsyncIterable<LifecycleDeal>;
  /** Every `Stage_Transition__c`. */
  streamTransitions(): AsyncIterable<LifecycleTransition>;
  /**
   * Every `Stage_Transition__c` of a deal with a co-sell stage, with the fields
   * `CosellGateway.listTransitions` returns and its deal's name, model and
   * stage. It is one read, which on an org is a REST query with its pages.
   * Transitions of a deleted deal or of one without a stage are left out. The
   * rows of one deal come together, in the order `listTransitions` returns them.
   */
  streamDealTransitions(): AsyncIterable<DealTransition>;
  /** Every `Deal_Partner__c` row. */
  listDealPartners(): Promise<LifecycleDealPartner[]>;
  /** Every pending `Stage_Request__c`. */
  listPendingRequests(): Promise<StageRequest[]>;
  /** Names of the given partner accounts; unknown Ids are left out. */
  listAccounts(ids: readonly string[]): Promise<PartnerRef[]>;
  /** One account, or null when no account has this Id. */
  getAccount(id: string): Promise<AccountRecord | null>;
}

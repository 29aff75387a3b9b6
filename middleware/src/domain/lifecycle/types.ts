/**
 * Plain records the lifecycle calculations read. A store fills them from
 * Opportunity, `Stage_Transition__c`, `Deal_Registration__c` and `Deal_Partner__c`;
 * nothing here reads a store. Instants are ISO 8601 text, dates `YYYY-MM-DD`, and
 * amounts decimal text so that no amount passes through binary floating point.
 */
import type { StageRecord } from '../model.js';

/** The stage settings the calculations read; a `StageRecord` has every field. */
export type LifecycleStage = Pick<
  StageRecord,
  | 'model'
  | 'value'
  | 'label'
  | 'order'
  | 'probability'
  | 'forecastCategory'
  | 'stallDays'
  | 'closed'
  | 'won'
>;

/** An Opportunity with its co-sell fields. */
export interface LifecycleDeal {
  id: string;
  name: string;
  /** `Partner_Account__c`: the partner that registered the deal. */
  partnerAccountId: string | null;
  /** `Cosell_Model__c`. */
  model: string;
  /** `Cosell_Stage__c`; null while the deal has no co-sell stage. */
  stage: string | null;
  /** `Cosell_Stage_Entered_At__c`. */
  stageEnteredAt: string | null;
  /** `Amount` as decimal text. */
  amount: string | null;
  currencyIsoCode: string;
  /** `CloseDate`. */
  closeDate: string | null;
}

/** A `Stage_Transition__c`: one confirmed move. */
export interface LifecycleTransition {
  /** The `Stage_Transition__c` Id, where the store read it. */
  id?: string;
  dealId: string;
  /** Null for the move that gave the deal its first stage. */
  fromStage: string | null;
  toStage: string;
  /** `Transitioned_At__c`. */
  at: string;
  /** `One_Sided__c`: applied by a channel manager's override. */
  oneSided: boolean;
}

export const REGISTRATION_STATUSES = [
  'Submitted',
  'Approved',
  'Rejected',
  'Expired',
  'Converted',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** A `Deal_Registration__c`. */
export interface LifecycleRegistration {
  id: string;
  name: string;
  partnerAccountId: string;
  customerCompany: string;
  customerWebsite: string | null;
  customerCountry: string | null;
  /** `Product_Line__c`: Platform, Analytics, Security or Services. */
  productLine: string | null;
  amount: string | null;
  currencyIsoCode: string;
  expectedCloseDate: string | null;
  status: RegistrationStatus;
  /** `CreatedDate`: when the partner submitted it. */
  submittedAt: string;
  decidedAt: string | null;
  expiresAt: string | null;
  opportunityId: string | null;
}

export const PARTNER_ROLES = ['Sourcing', 'Influencing'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

/** A `Deal_Partner__c`: one partner's role and share of a deal. */
export interface LifecycleDealPartner {
  dealId: string;
  partnerAccountId: string;
  role: PartnerRole;
  /** `Split_Percent__c`, 0 to 100, as decimal text or the number a store returns. */
  splitPercent: string | number | null;
}

/** A partner account as reports name it. */
export interface PartnerRef {
  id: string;
  name: string;
}

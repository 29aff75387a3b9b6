import type { ConflictMatch } from '../../domain/lifecycle/index.js';
import type {
  ConflictStatus,
  RegistrationRecord,
} from '../../org/lifecycle-store.js';
import type { LifecycleViewer } from './lifecycle-viewer.js';

/**
 * One record a registration was matched with, as `Conflict_Matches__c` stores
 * it: `blocking` matches make the check a Conflict, the others are the same
 * company under another product line.
 */
export interface StoredMatch extends ConflictMatch {
  blocking: boolean;
  /** The partner that owns the matched record, to hide it from other partners. */
  partnerAccountId: string | null;
}

export interface MatchView {
  object: ConflictMatch['object'];
  /** Null when the record belongs to another partner and the viewer is a partner user. */
  id: string | null;
  name: string | null;
  reasons: string[];
  /** True when the id and name were withheld from a partner user. */
  redacted?: boolean;
}

export interface RegistrationView {
  id: string;
  name: string;
  status: RegistrationRecord['status'];
  conflictStatus: ConflictStatus;
  conflictMatches: MatchView[];
  /** The same company under another product line: shown, not blocking. */
  relatedMatches: MatchView[];
  customerCompany: string;
  customerWebsite: string | null;
  customerCountry: string | null;
  productLine: string | null;
  amount: string | null;
  currencyIsoCode: string;
  expectedCloseDate: string | null;
  submittedAt: string;
  submittedById: string | null;
  expiresAt: string | null;
  decidedAt: string | null;
  decidedById: string | null;
  decisionReason: string | null;
  partnerAccount: { id: string; name: string | null };
  opportunityId: string | null;
}

/** Reads `Conflict_Matches__c`; a plain array of matches counts as blocking. */
export function parseStoredMatches(text: string | null): StoredMatch[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter(
      (entry): entry is Partial<StoredMatch> =>
        entry !== null && typeof entry === 'object',
    )
    .map((entry) => ({
      object:
        entry.object === 'Opportunity' ? 'Opportunity' : 'Deal_Registration__c',
      id: String(entry.id ?? ''),
      name: String(entry.name ?? ''),
      reasons: Array.isArray(entry.reasons) ? entry.reasons.map(String) : [],
      blocking: entry.blocking !== false,
      partnerAccountId:
        typeof entry.partnerAccountId === 'string'
          ? entry.partnerAccountId
          : null,
    }));
}

function matchView(match: StoredMatch, viewer: LifecycleViewer): MatchView {
  const hidden =
    viewer.side === 'Partner' &&
    match.partnerAccountId !== viewer.partnerAccountId;
  if (hidden) {
    return {
      object: match.object,
      id: null,
      name: null,
      reasons: match.reasons,
      redacted: true,
    };
  }
  return {
    object: match.object,
    id: match.id,
    name: match.name,
    reasons: match.reasons,
  };
}

/**
 * Builds the registration as the viewer may see it: a partner user never
 * receives the Id or name of another partner's registration or deal.
 */
export function registrationView(
  record: RegistrationRecord,
  viewer: LifecycleViewer,
): RegistrationView {
  const matches = parseStoredMatches(record.conflictMatches);
  return {
    id: record.id,
    name: record.name,
    status: record.status,
    conflictStatus: record.conflictStatus,
    conflictMatches: matches
      .filter((match) => match.blocking)
      .map((match) => matchView(match, viewer)),
    relatedMatches: matches
      .filter((match) => !match.blocking)
      .map((match) => matchView(match, viewer)),
    customerCompany: record.customerCompany,
    customerWebsite: record.customerWebsite,
    customerCountry: record.customerCountry,
    productLine: record.productLine,
    amount: record.amount,
    currencyIsoCode: record.currencyIsoCode,
    expectedCloseDate: record.expectedCloseDate,
    submittedAt: record.submittedAt,
    submittedById: record.submittedById,
    expiresAt: record.expiresAt,
    decidedAt: record.decidedAt,
    decidedById: record.decidedById,
    decisionReason: record.decisionReason,
    partnerAccount: {
      id: record.partnerAccountId,
      name: record.partnerAccountName,
    },
    opportunityId: record.opportunityId,
  };
}

/**
 * Conflict checks for deal registrations. The rule: an open registration or open
 * deal conflicts with a new registration when it names the same company (equal
 * normalised name or equal website domain) and the product lines are the same or
 * either is unknown. The same company with a different product line is reported
 * as related but does not block approval, and a shared product line alone is not
 * a match at all.
 */
import { DomainError } from '../domain-error.js';
import { canonicalInstant } from './calendar.js';
import { companyNameKey, normalizeCompanyName } from './company-name.js';
import { websiteDomain } from './website-domain.js';
import type { RegistrationStatus } from './types.js';

/** The registration being checked. */
export interface RegistrationCandidate {
  /** Its own Id once saved, so a re-check skips itself. */
  id?: string | null;
  customerCompany: string;
  customerWebsite?: string | null;
  productLine?: string | null;
}

/** A registration the candidate is checked against. */
export interface RegistrationToMatch {
  id: string;
  name: string;
  customerCompany: string;
  customerWebsite: string | null;
  productLine: string | null;
  /** Registrations other than Submitted or Approved are skipped. */
  status?: RegistrationStatus;
}

/** An open deal with its customer account's name and website. */
export interface DealToMatch {
  id: string;
  name: string;
  /** The customer `Account.Name`. */
  customerCompany: string | null;
  /** The customer `Account.Website`. */
  customerWebsite: string | null;
  /** The product line of the deal's registration; null when unknown. */
  productLine: string | null;
}

export interface ConflictMatch {
  object: 'Deal_Registration__c' | 'Opportunity';
  id: string;
  name: string;
  /** Why the record matched, in words. */
  reasons: string[];
}

/**
 * The outcome of a conflict check. `matches` lists the records that block the
 * registration; `related` lists the same company under another product line.
 */
export type ConflictCheck =
  | { status: 'Clear'; related: ConflictMatch[] }
  | { status: 'Conflict'; matches: ConflictMatch[]; related: ConflictMatch[] };

const OPEN_REGISTRATION_STATUSES = new Set<RegistrationStatus>([
  'Submitted',
  'Approved',
]);

interface CompanyKeys {
  name: string;
  domain: string | null;
  productLine: string | null;
}

function keysOf(
  company: string | null,
  website: string | null | undefined,
  productLine: string | null | undefined,
): CompanyKeys {
  const line = productLine?.trim() ?? '';
  return {
    name: companyNameKey(company ?? ''),
    domain: websiteDomain(website),
    productLine: line === '' ? null : line,
  };
}

/** Returns the reasons two companies match, or null when they are different. */
function matchReasons(
  candidate: CompanyKeys,
  other: CompanyKeys,
  otherCompany: string | null,
): { reasons: string[]; conflict: boolean } | null {
  const reasons: string[] = [];
  if (candidate.name !== '' && candidate.name === other.name) {
    reasons.push(
      `same company name: "${normalizeCompanyName(otherCompany ?? '')}"`,
    );
  }
  if (candidate.domain !== null && candidate.domain === other.domain) {
    reasons.push(`same website domain: ${candidate.domain}`);
  }
  if (reasons.length === 0) return null;
  if (candidate.productLine === null || other.productLine === null) {
    reasons.push('product line not known on one side');
    return { reasons, conflict: true };
  }
  if (candidate.productLine.toLowerCase() === other.productLine.toLowerCase()) {
    reasons.push(`same product line: ${other.productLine}`);
    return { reasons, conflict: true };
  }
  reasons.push(
    `different product line: ${candidate.productLine} here, ${other.productLine} there`,
  );
  return { reasons, conflict: false };
}

/**
 * Checks a registration against open registrations and open deals. The caller
 * passes only open deals; registrations are filtered to Submitted and Approved
 * when they carry a status.
 */
export function checkRegistrationConflicts(
  candidate: RegistrationCandidate,
  openRegistrations: readonly RegistrationToMatch[],
  openDeals: readonly DealToMatch[],
): ConflictCheck {
  const own = keysOf(
    candidate.customerCompany,
    candidate.customerWebsite,
    candidate.productLine,
  );
  const matches: ConflictMatch[] = [];
  const related: ConflictMatch[] = [];
  const consider = (
    object: ConflictMatch['object'],
    record: { id: string; name: string },
    company: string | null,
    keys: CompanyKeys,
  ) => {
    const found = matchReasons(own, keys, company);
    if (!found) return;
    const match = {
      object,
      id: record.id,
      name: record.name,
      reasons: found.reasons,
    };
    (found.conflict ? matches : related).push(match);
  };
  for (const registration of openRegistrations) {
    if (registration.id === candidate.id) continue;
    if (
      registration.status &&
      !OPEN_REGISTRATION_STATUSES.has(registration.status)
    ) {
      continue;
    }
    const keys = keysOf(
      registration.customerCompany,
      registration.customerWebsite,
      registration.productLine,
    );
    consider(
      'Deal_Registration__c',
      registration,
      registration.customerCompany,
      keys,
    );
  }
  for (const deal of openDeals) {
    const keys = keysOf(
      deal.customerCompany,
      deal.customerWebsite,
      deal.productLine,
    );
    consider('Opportunity', deal, deal.customerCompany, keys);
  }
  return matches.length > 0
    ? { status: 'Conflict', matches, related }
    : { status: 'Clear', related };
}

/**
 * Returns when a registration submitted at `submittedAt` expires: `days` whole
 * days of 24 hours later, as canonical ISO text.
 */
export function registrationExpiresAt(
  submittedAt: string,
  days: number,
): string {
  if (!Number.isInteger(days) || days < 1) {
    throw new DomainError(
      'invalid_request',
      `Registration expiry of ${days} days is not a whole number of days of at least 1.`,
      'Set Registration_Expiry_Days__c on the Cosell_Model__mdt record to a whole number such as 90.',
      { value: days },
    );
  }
  const start = Date.parse(canonicalInstant(submittedAt, 'submittedAt'));
  return new Date(start + days * 86_400_000).toISOString();
}

/** Tells whether a registration with this expiry has expired at `now`. */
export function isRegistrationExpired(expiresAt: string, now: string): boolean {
  return (
    canonicalInstant(now, 'now') >= canonicalInstant(expiresAt, 'expiresAt')
  );
}

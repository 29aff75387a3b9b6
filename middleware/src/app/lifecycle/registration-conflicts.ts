import { DomainError } from '../../domain/domain-error.js';
import { checkRegistrationConflicts } from '../../domain/lifecycle/index.js';
import type {
  ConflictCheck,
  RegistrationCandidate,
  RegistrationStatus,
} from '../../domain/lifecycle/index.js';
import type { ConflictStatus } from '../../org/lifecycle-store.js';
import { isClosedInCosell } from './lifecycle-context.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { listLiveOpenRegistrations } from './registration-expiry.js';
import type { StoredMatch } from './registration-view.js';

export interface ConflictOutcome {
  status: Exclude<ConflictStatus, 'Not Checked'>;
  matches: StoredMatch[];
  /** `Conflict_Matches__c` text. */
  text: string;
  /**
   * The deal and status of each matched registration that already carries a
   * deal, by registration Id. Not stored in `Conflict_Matches__c`.
   */
  carriedDeals?: ReadonlyMap<string, CarriedDeal>;
}

/** A deal that an open registration already carries, with the registration's status. */
export interface CarriedDeal {
  dealId: string;
  status: RegistrationStatus;
}

/**
 * Turns a conflict check into what `Conflict_Matches__c` stores: every match,
 * blocking or related, with the partner account that owns the matched record.
 */
export function conflictOutcome(
  check: ConflictCheck,
  owners: ReadonlyMap<string, string | null>,
): ConflictOutcome {
  const stored = (
    list: ConflictCheck['related'],
    blocking: boolean,
  ): StoredMatch[] =>
    list.map((match) => ({
      ...match,
      blocking,
      partnerAccountId: owners.get(match.id) ?? null,
    }));
  const matches = [
    ...(check.status === 'Conflict' ? stored(check.matches, true) : []),
    ...stored(check.related, false),
  ];
  return { status: check.status, matches, text: JSON.stringify(matches) };
}

/** The submission time of a saved registration, and its name to order two of the same instant. */
export interface SubmittedRegistration {
  submittedAt: string;
  name: string;
}

/** Returns whether `a` was submitted before `b`. */
function submittedBefore(
  a: SubmittedRegistration,
  b: SubmittedRegistration,
): boolean {
  return a.submittedAt === b.submittedAt
    ? a.name < b.name
    : a.submittedAt < b.submittedAt;
}

/** The deal an approval links, and the partner account of the registration. */
export interface LinkChoice {
  dealId: string;
  partnerAccountId: string;
}

/**
 * Marks the other matching open deals of the same partner, or of no partner, as
 * not blocking, because the approval names the deal to link. An earlier
 * registration that already carries another deal does not block either,
 * because its deal is matched and judged in its place. A deal of another
 * partner and any other earlier registration still block, because the
 * earliest registration of a deal wins.
 */
function allowLinkChoice(
  outcome: ConflictOutcome,
  link: LinkChoice,
): ConflictOutcome {
  const carriedDeals = outcome.carriedDeals ?? new Map<string, CarriedDeal>();
  const isAllowed = (match: StoredMatch): boolean => {
    if (match.object === 'Deal_Registration__c') {
      const carried = carriedDeals.get(match.id);
      return carried !== undefined && carried.dealId !== link.dealId;
    }
    return isOwnMatch(match, link.partnerAccountId);
  };
  const matches = outcome.matches.map((match) =>
    match.blocking && isAllowed(match) ? { ...match, blocking: false } : match,
  );
  const status = matches.some((match) => match.blocking) ? 'Conflict' : 'Clear';
  return { status, matches, text: JSON.stringify(matches), carriedDeals };
}

/**
 * Checks a registration against the open registrations and open deals of every
 * partner. `link` is the deal an approval links to: it is the deal the
 * registration becomes, so it never conflicts with it, and the rule of
 * `allowLinkChoice` applies to the other matching deals. With `submitted`, the
 * check of a saved registration, only registrations submitted before it count,
 * because the earliest registration of a deal wins.
 */
export async function checkConflicts(
  lc: LifecycleContext,
  candidate: RegistrationCandidate,
  link?: LinkChoice,
  submitted?: SubmittedRegistration,
): Promise<ConflictOutcome> {
  const [live, deals] = await Promise.all([
    listLiveOpenRegistrations(lc),
    lc.store.listDealsToMatch(),
  ]);
  const openDealIds = new Set(
    deals
      .filter((deal) => !isClosedInCosell(lc.cosell, deal))
      .map((deal) => deal.id),
  );
  // A registration that carries a closed deal claims nothing any more.
  const claiming = live.filter(
    (registration) =>
      registration.opportunityId === null ||
      openDealIds.has(registration.opportunityId),
  );
  const registrations = submitted
    ? claiming.filter((registration) =>
        submittedBefore(registration, submitted),
      )
    : claiming;
  const openDeals = deals.filter(
    (deal) => deal.id !== link?.dealId && openDealIds.has(deal.id),
  );
  const owners = new Map<string, string | null>([
    ...registrations.map(
      (registration) =>
        [registration.id, registration.partnerAccountId] as const,
    ),
    ...openDeals.map((deal) => [deal.id, deal.partnerAccountId] as const),
  ]);
  const carriedDeals = new Map<string, CarriedDeal>();
  for (const registration of registrations) {
    if (registration.opportunityId) {
      carriedDeals.set(registration.id, {
        dealId: registration.opportunityId,
        status: registration.status,
      });
    }
  }
  const outcome = {
    ...conflictOutcome(
      checkRegistrationConflicts(candidate, registrations, openDeals),
      owners,
    ),
    carriedDeals,
  };
  return link ? allowLinkChoice(outcome, link) : outcome;
}

/** Describes a match by object, Id and name, because two deals may share a name. */
function describeMatch(match: StoredMatch, partnerAccountId: string): string {
  const owner =
    match.partnerAccountId !== null &&
    match.partnerAccountId !== partnerAccountId
      ? `; registered by partner account ${match.partnerAccountId}`
      : '';
  return `${match.object} ${match.id} (${match.name}${owner}; ${match.reasons.join('; ')})`;
}

/** Returns whether a match belongs to the partner account, or to no partner. */
function isOwnMatch(match: StoredMatch, partnerAccountId: string): boolean {
  return (
    match.partnerAccountId === null ||
    match.partnerAccountId === partnerAccountId
  );
}

/**
 * Builds the step that names the deals a link may choose in place of the
 * linked deal, which already carries a registration. Those are the matching
 * deals of the partner that carry no blocking registration.
 */
function anotherDealStep(
  outcome: ConflictOutcome,
  partnerAccountId: string,
  linkedDealId: string,
  carriedIds: ReadonlySet<string>,
): string {
  const alternatives = outcome.matches
    .filter(
      (match) =>
        match.object === 'Opportunity' &&
        isOwnMatch(match, partnerAccountId) &&
        match.id !== linkedDealId &&
        !carriedIds.has(match.id),
    )
    .map((match) => match.id);
  return alternatives.length > 0
    ? `To link another deal, approve with opportunityId set to ${alternatives.join(' or ')}.`
    : "To link another deal, approve with opportunityId set to an open deal of this registration's partner or of no partner.";
}

/** Builds the fix text for the blocking matches of an approval. */
function conflictFix(
  outcome: ConflictOutcome,
  partnerAccountId: string,
  linkedDealId: string | undefined,
): string {
  const carriedDeals = outcome.carriedDeals ?? new Map<string, CarriedDeal>();
  const blocking = outcome.matches.filter((match) => match.blocking);
  const isOwn = (match: StoredMatch) => isOwnMatch(match, partnerAccountId);
  const registrations = blocking.filter(
    (match) => match.object === 'Deal_Registration__c',
  );
  // A registration that already carries a deal was approved, so it is named
  // with its deal instead of as a registration to decide first.
  const carrying = registrations.filter((match) => carriedDeals.has(match.id));
  const earlier = registrations.filter((match) => !carriedDeals.has(match.id));
  const names = earlier.map((match) => match.name).join(', ');
  if (earlier.length === blocking.length) {
    return `The earliest registration wins: decide ${names} first, or reject this registration.`;
  }

  const carriedIds = new Set(
    carrying.map((match) => carriedDeals.get(match.id)!.dealId),
  );
  const deals = blocking.filter((match) => match.object === 'Opportunity');
  const linkable = deals
    .filter((match) => isOwn(match) && !carriedIds.has(match.id))
    .map((match) => match.id);
  const others = deals
    .filter((match) => !isOwn(match))
    .map((match) => match.id);

  const steps: string[] = [];
  for (const match of carrying) {
    const carried = carriedDeals.get(match.id)!;
    steps.push(
      `Opportunity ${carried.dealId} already carries registration ${match.name} (${match.id}, ${carried.status}), so this registration duplicates it.`,
    );
  }
  if (earlier.length > 0) {
    steps.push(`The earliest registration wins: decide ${names} first.`);
  }
  if (linkable.length > 0 && linkedDealId === undefined) {
    steps.push(
      `To link a matching deal, approve with opportunityId set to ${linkable.join(' or ')}.`,
    );
  } else if (linkedDealId !== undefined && carrying.some(isOwn)) {
    steps.push(
      anotherDealStep(outcome, partnerAccountId, linkedDealId, carriedIds),
    );
  }
  if (others.length > 0) {
    steps.push(
      `${others.join(', ')} belong${others.length === 1 ? 's' : ''} to another partner, so add this registration's partner there as an Influencing partner instead.`,
    );
  }
  steps.push(
    carrying.length > 0
      ? 'Otherwise reject this registration as a duplicate.'
      : 'Otherwise reject this registration.',
  );
  return steps.join(' ');
}

/**
 * Builds the `registration_conflict` error of an approval, naming every
 * blocking match by Id and name, with the matches in `value`.
 */
export function approvalConflictError(
  registration: { id: string; partnerAccountId: string },
  outcome: ConflictOutcome,
  linkedDealId: string | undefined,
): DomainError {
  const blocking = outcome.matches.filter((match) => match.blocking);
  const described = blocking
    .map((match) => describeMatch(match, registration.partnerAccountId))
    .join(', ');
  return new DomainError(
    'registration_conflict',
    `Deal registration ${registration.id} conflicts with ${described}.`,
    conflictFix(outcome, registration.partnerAccountId, linkedDealId),
    {
      value: blocking.map(({ object, id, name, reasons }) => ({
        object,
        id,
        name,
        reasons,
      })),
    },
  );
}

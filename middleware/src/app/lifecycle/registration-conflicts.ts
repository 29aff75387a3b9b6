import { checkRegistrationConflicts } from '../../domain/lifecycle/index.js';
import type {
  ConflictCheck,
  RegistrationCandidate,
} from '../../domain/lifecycle/index.js';
import type { ConflictStatus } from '../../org/lifecycle-store.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { listLiveOpenRegistrations } from './registration-expiry.js';
import type { StoredMatch } from './registration-view.js';

export interface ConflictOutcome {
  status: Exclude<ConflictStatus, 'Not Checked'>;
  matches: StoredMatch[];
  /** `Conflict_Matches__c` text. */
  text: string;
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

/**
 * Checks a registration against the open registrations and open deals of every
 * partner. `linkedDealId` is the deal an approval links to: it is the deal the
 * registration becomes, so it never conflicts with it. With `submitted`, the check
 * of a saved registration, only registrations submitted before it count, because
 * the earliest registration of a deal wins.
 */
export async function checkConflicts(
  lc: LifecycleContext,
  candidate: RegistrationCandidate,
  linkedDealId?: string,
  submitted?: SubmittedRegistration,
): Promise<ConflictOutcome> {
  const [live, deals] = await Promise.all([
    listLiveOpenRegistrations(lc),
    lc.store.listDealsToMatch(),
  ]);
  const registrations = submitted
    ? live.filter((registration) => submittedBefore(registration, submitted))
    : live;
  const openDeals = deals.filter((deal) => deal.id !== linkedDealId);
  const owners = new Map<string, string | null>([
    ...registrations.map(
      (registration) =>
        [registration.id, registration.partnerAccountId] as const,
    ),
    ...openDeals.map((deal) => [deal.id, deal.partnerAccountId] as const),
  ]);
  return conflictOutcome(
    checkRegistrationConflicts(candidate, registrations, openDeals),
    owners,
  );
}

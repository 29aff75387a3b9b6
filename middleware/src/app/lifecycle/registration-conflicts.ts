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

/**
 * Checks a registration against the open registrations and open deals of every
 * partner. `linkedDealId` is the deal an approval links to: it is the deal the
 * registration becomes, so it never conflicts with it.
 */
export async function checkConflicts(
  lc: LifecycleContext,
  candidate: RegistrationCandidate,
  linkedDealId?: string,
): Promise<ConflictOutcome> {
  const [registrations, deals] = await Promise.all([
    listLiveOpenRegistrations(lc),
    lc.store.listDealsToMatch(),
  ]);
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

import { RELATIONSHIPS } from '../../domain/api-names.js';
import type { OrgUser } from '../../domain/cosell.js';
import type { RecordData } from '../../domain/records.js';
import { resolveDealRole } from '../../domain/sides.js';
import type { DealQueryPlan } from '../../org/gateway.js';
import type { RegistrationRecord } from '../../org/lifecycle-store.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { mayRead } from '../load-deal.js';

/**
 * Returns a filter that keeps the deals `reader` may read by the rule of the
 * deal endpoints. Returns null when the reader may read every deal, which the
 * rule grants channel managers and co-sell admins even on a deal with no members.
 */
export function readFilter(
  reader: OrgUser | null,
): ((record: RecordData) => boolean) | null {
  if (reader === null) return null;
  if (mayRead({ role: resolveDealRole(reader, {}, []), user: reader })) {
    return null;
  }
  return (record) => {
    const role = resolveDealRole(reader, record, teamMemberIdsOf(record));
    return mayRead({ role, user: reader });
  };
}

/**
 * Lists the user Ids of the deal's team members. Only a record read with a
 * plan from `withTeamMembers` has those rows, so others give an empty list.
 */
export function teamMemberIdsOf(record: RecordData): string[] {
  const team = record[RELATIONSHIPS.teamMembers];
  return Array.isArray(team)
    ? team.flatMap((row: RecordData) =>
        typeof row['UserId'] === 'string' ? [row['UserId']] : [],
      )
    : [];
}

/** Adds the team members' user Ids to the plan, which the read rule needs. */
export function withTeamMembers(plan: DealQueryPlan): DealQueryPlan {
  const team = plan.children[RELATIONSHIPS.teamMembers] ?? ['Id'];
  return {
    dealFields: plan.dealFields,
    children: {
      ...plan.children,
      [RELATIONSHIPS.teamMembers]: [...new Set([...team, 'UserId'])],
    },
  };
}

/** The open deals of the agenda's scope, split by the reader's access. */
export interface ScopedDealIds {
  /** Every open deal in scope, readable or not. */
  open: ReadonlySet<string>;
  /** The open deals in scope that the reader may read. */
  readable: ReadonlySet<string>;
}

/**
 * Filters the registrations down to those `reader` may read by the read rule
 * of the deal endpoints. The rule treats a registration as a deal of its
 * partner account, so a partner seller of that account may read it. A user
 * who may read a registration's linked deal may read the registration too, so a
 * vendor seller without the channel manager or admin permission set gets only
 * the registrations linked to their own deals. A linked deal that is not among
 * the open deals in scope, such as a closed one, is read from the org with one
 * call per deal.
 */
export async function filterReadableRegistrations(
  lc: LifecycleContext,
  reader: OrgUser,
  registrations: readonly RegistrationRecord[],
  deals: ScopedDealIds,
): Promise<RegistrationRecord[]> {
  const mayReadDeal = readFilter(reader);
  if (mayReadDeal === null) return [...registrations];
  const verdicts = new Map<string, boolean>();
  const mayReadLinkedDeal = async (dealId: string): Promise<boolean> => {
    if (deals.open.has(dealId)) return deals.readable.has(dealId);
    const known = verdicts.get(dealId);
    if (known !== undefined) return known;
    const verdict = (await readDealAs(lc, dealId, reader, reader.id)) !== null;
    verdicts.set(dealId, verdict);
    return verdict;
  };
  const readable: RegistrationRecord[] = [];
  for (const registration of registrations) {
    const asDeal = { Partner_Account__c: registration.partnerAccountId };
    const visible =
      mayReadDeal(asDeal) ||
      (registration.opportunityId !== null &&
        (await mayReadLinkedDeal(registration.opportunityId)));
    if (visible) readable.push(registration);
  }
  return readable;
}

/**
 * Reads one deal with the query plan's fields and children and its team
 * members' user Ids. Returns null when
 * it does not exist, or when `reader` may not read it by the rule of
 * `GET /v1/deals/{dealId}`. A null reader reads every deal. The store looks up
 * `actingUserId` with the deal, so without a reader any user Id will do.
 */
export async function readDealAs(
  lc: LifecycleContext,
  dealId: string,
  reader: OrgUser | null,
  actingUserId: string,
): Promise<RecordData | null> {
  const read = await lc.cosell.gateway.readDealContext({
    dealId,
    actingUserId,
    plan: withTeamMembers(lc.cosell.plan),
  });
  if (read.deal === null || reader === null) return read.deal;
  const role = resolveDealRole(reader, read.deal, read.teamMemberIds);
  return mayRead({ role, user: reader }) ? read.deal : null;
}

import type { StageRequest } from '../../domain/cosell.js';
import type { RecordData } from '../../domain/records.js';
import { resolveDealRole } from '../../domain/sides.js';
import { isRequesterOnSide } from '../../domain/stage-requests.js';
import { teamMemberIdsOf } from './agenda-read-rule.js';
import type { LifecycleContext } from './lifecycle-context.js';

/**
 * Reads the requesters of `requests` in one call and returns a test of whether
 * a request's requester is still on the requesting side of its deal. The deal
 * record must come from a plan made with `withTeamMembers`, because a vendor
 * seller on the deal team is on the vendor side. A requester who is not a user
 * of the org is on no side.
 */
export async function requesterSideTest(
  lc: LifecycleContext,
  requests: Iterable<StageRequest>,
): Promise<(request: StageRequest, deal: RecordData) => boolean> {
  const requesterIds = [
    ...new Set([...requests].map((request) => request.requestedById)),
  ];
  const users =
    requesterIds.length === 0
      ? []
      : await lc.cosell.gateway.getUsers(requesterIds);
  const byId = new Map(users.map((user) => [user.id, user]));
  return (request, deal) => {
    const requester = byId.get(request.requestedById);
    const role = requester
      ? resolveDealRole(requester, deal, teamMemberIdsOf(deal))
      : null;
    return isRequesterOnSide(request, role);
  };
}

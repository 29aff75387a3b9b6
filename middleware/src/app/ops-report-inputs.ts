/**
 * Inputs of the table reports whose rows come from records: the pipeline,
 * the stage history and the attribution. They read the whole store, with no
 * side filtering, for internal ops exports.
 */
import type { OrgUser, StageTransition } from '../domain/cosell.js';
import type { PartnerRef } from '../domain/lifecycle/index.js';
import type { TransitionDeal } from '../org/lifecycle-store.js';
import type { AttributedDeal } from '../reports/definitions/attribution.js';
import type {
  PipelineDeal,
  PipelineInput,
} from '../reports/definitions/pipeline.js';
import type { StageHistoryTransition } from '../reports/definitions/stage-history.js';
import { textField } from './deal-model-name.js';
import type { LifecycleContext } from './lifecycle/lifecycle-context.js';
import { lifecycleStages } from './lifecycle/lifecycle-context.js';
import { withTeamMembers } from './lifecycle/agenda-read-rule.js';
import { requesterSideTest } from './lifecycle/requester-sides.js';
import { lifecycleDeal } from './lifecycle/sync-agenda.js';

/** Reads the open deals with their partner account and pending request. */
export async function pipelineInput(
  lc: LifecycleContext,
): Promise<PipelineInput> {
  const pending = new Map(
    (await lc.store.listPendingRequests()).map((request) => [
      request.dealId,
      request,
    ]),
  );
  const onSide = await requesterSideTest(lc, pending.values());
  const { gateway } = lc.cosell;
  // Team members tell whether a vendor requester is still on the deal.
  const plan = withTeamMembers(lc.cosell.plan);
  async function* deals(): AsyncGenerator<PipelineDeal> {
    for await (const record of gateway.streamOpenDeals(plan)) {
      const deal = lifecycleDeal(record);
      const request = pending.get(deal.id);
      const partner = record['Partner_Account__r'];
      const partnerName =
        partner && typeof partner === 'object' && !Array.isArray(partner)
          ? textField(partner, 'Name')
          : null;
      yield {
        ...deal,
        partnerAccount: deal.partnerAccountId
          ? {
              id: deal.partnerAccountId,
              name: partnerName ?? deal.partnerAccountId,
            }
          : null,
        pendingRequest: request
          ? {
              id: request.id,
              kind: request.kind,
              toStage: request.toStage,
              requestingSide: request.requestingSide,
              requesterLeftSide: !onSide(request, record),
            }
          : null,
      };
    }
  }
  return {
    asOf: lc.cosell.now().toISOString(),
    zone: lc.cosell.timeZone,
    stages: lifecycleStages(lc.cosell),
    deals: deals(),
  };
}

interface DealTransitions {
  deal: TransitionDeal;
  transitions: StageTransition[];
}

/**
 * Groups the transitions of the deals that have a co-sell stage by deal, from
 * one read of every transition, so an org pays one API call per page of
 * transitions instead of one per deal. Only the current deal's transitions
 * are in memory, and only when `accept` takes that deal.
 */
async function* transitionsByDeal(
  lc: LifecycleContext,
  accept: (deal: TransitionDeal) => boolean,
): AsyncGenerator<DealTransitions> {
  let current: DealTransitions | null = null;
  let accepted = false;
  for await (const { deal, transition } of lc.store.streamDealTransitions()) {
    if (current?.deal.id !== deal.id) {
      if (current && accepted) yield current;
      current = { deal, transitions: [] };
      accepted = accept(deal);
    }
    if (accepted) current.transitions.push(transition);
  }
  if (current && accepted) yield current;
}

/** Streams every transition with its deal's name and the users' names. */
export async function* stageHistoryTransitions(
  lc: LifecycleContext,
): AsyncGenerator<StageHistoryTransition> {
  const users = new Map<string, OrgUser | null>();
  for await (const { deal, transitions } of transitionsByDeal(lc, () => true)) {
    const unknown = new Set<string>();
    for (const transition of transitions) {
      for (const id of [transition.requestedById, transition.confirmedById]) {
        if (!users.has(id)) unknown.add(id);
      }
    }
    if (unknown.size > 0) {
      const found = await lc.cosell.gateway.getUsers([...unknown]);
      for (const id of unknown) users.set(id, null);
      for (const user of found) users.set(user.id, user);
    }
    for (const transition of transitions) {
      yield {
        ...transition,
        dealName: deal.name,
        requestedByName: users.get(transition.requestedById)?.name ?? null,
        confirmedByName: users.get(transition.confirmedById)?.name ?? null,
      };
    }
  }
}

/**
 * Reads every deal in its model's won stage with the attribution snapshot of
 * the move that won it, and the names of the partners the snapshots credit.
 * A won deal whose winning move has no snapshot, or that has no transitions,
 * is left out and counted.
 */
export async function attributedDeals(lc: LifecycleContext): Promise<{
  deals: AttributedDeal[];
  partners: PartnerRef[];
  withoutSnapshot: number;
}> {
  const isWon = (deal: { model: string; stage: string | null }) =>
    lc.cosell.models.get(deal.model)?.stageByValue.get(deal.stage ?? '')
      ?.won === true;
  const deals: AttributedDeal[] = [];
  const partnerIds = new Set<string>();
  const withTransitions = new Set<string>();
  let withoutSnapshot = 0;
  for await (const { deal, transitions } of transitionsByDeal(lc, isWon)) {
    withTransitions.add(deal.id);
    const winning = transitions
      .filter((transition) => transition.toStage === deal.stage)
      .at(-1);
    if (!winning?.attributionSnapshot) {
      withoutSnapshot += 1;
      continue;
    }
    deals.push({
      dealId: deal.id,
      dealName: deal.name,
      closedAt: winning.at,
      transitionId: winning.id,
      snapshot: winning.attributionSnapshot,
    });
    for (const id of snapshotPartnerIds(winning.attributionSnapshot)) {
      partnerIds.add(id);
    }
  }
  // The transition read has no row for a won deal without transitions.
  // NOTE: a deal won between the two reads is counted here although it has transitions.
  for await (const deal of lc.store.streamDeals()) {
    if (isWon(deal) && !withTransitions.has(deal.id)) withoutSnapshot += 1;
  }
  const partners = await lc.store.listAccounts([...partnerIds]);
  return { deals, partners, withoutSnapshot };
}

/** Partner account Ids a snapshot credits; an unreadable snapshot has none here. */
function snapshotPartnerIds(snapshot: string): string[] {
  try {
    const parsed = JSON.parse(snapshot) as {
      partners?: Array<{ partnerAccountId?: unknown }>;
    };
    return (parsed.partners ?? []).flatMap((partner) =>
      typeof partner.partnerAccountId === 'string'
        ? [partner.partnerAccountId]
        : [],
    );
  } catch {
    // The report rejects the snapshot itself, naming the deal.
    return [];
  }
}

import {
  evaluateDeal,
  nextStage,
  stageNotInModel,
} from '../domain/evaluation.js';
import type { CriterionResult } from '../domain/evaluation.js';
import { moneyText } from '../domain/lifecycle/money.js';
import type { OrgUser, Side } from '../domain/cosell.js';
import type { RecordData } from '../domain/records.js';
import type { Actor, CosellContext } from './cosell-context.js';
import { dealHealth } from './lifecycle/deal-health.js';
import type { DealHealth } from './lifecycle/deal-health.js';
import {
  assertCanRead,
  assertKnownStage,
  loadDeal,
  requesterIsOnSide,
} from './load-deal.js';
import type { LoadedDeal } from './load-deal.js';
import { redactAttribution, redactResults } from './redaction.js';
import {
  requestView,
  stageView,
  transitionView,
  visibleFields,
} from './views.js';
import type {
  StageRequestView,
  StageView,
  TransitionView,
  UserRef,
} from './views.js';

export interface DealView {
  id: string;
  name: string | null;
  model: string;
  stage: StageView | null;
  /** The stored `Cosell_Stage__c` when the model has no such stage; `stage` is then null. */
  stageNotInModel: string | null;
  stageEnteredAt: string | null;
  version: number;
  amount: string | null;
  currencyIsoCode: string | null;
  closeDate: string | null;
  partnerAccount: { id: string; name: string | null } | null;
  vendorOwner: UserRef | null;
  partnerOwner: UserRef | null;
  pendingRequest: StageRequestView | null;
  fields: Record<string, unknown>;
  viewer: {
    userId: string;
    side: Side | null;
    canRequest: boolean;
    canConfirm: boolean;
    /** Whether the viewer may withdraw the pending request. */
    canWithdraw: boolean;
    isChannelManager: boolean;
  };
}

export interface EvaluationView {
  dealId: string;
  evaluatedAt: string;
  stage: StageView | null;
  nextStage: StageView | null;
  criteria: CriterionResult[];
  allMet: boolean;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function lookupRef(
  deal: RecordData,
  field: string,
  side: Side,
): UserRef | null {
  const id = text(deal[field]);
  if (!id) return null;
  const parent = deal[field.replace(/__c$/, '__r')];
  const name =
    parent && !Array.isArray(parent) && typeof parent === 'object'
      ? text(parent['Name'])
      : null;
  return { id, name, side };
}

/**
 * Reads the deal as the acting user may see it, with its pending request, its
 * days in stage, and whether it is stalled or regressed.
 */
export async function getDeal(
  ctx: CosellContext,
  actor: Actor,
  dealId: string,
): Promise<DealView & DealHealth> {
  const loaded = await loadDeal(ctx, actor, { dealId });
  assertCanRead(loaded);
  const pending = loaded.read.pendingRequest;
  const [transitions, requesters] = await Promise.all([
    ctx.gateway.listTransitions(loaded.dealId),
    // The deal read names no requester, and another user's side on the deal
    // decides whether their request can still be confirmed.
    pending && pending.requestedById !== loaded.user.id
      ? ctx.gateway.getUsers([pending.requestedById])
      : Promise.resolve([]),
  ]);
  const health = dealHealth(loaded.model, loaded.deal, transitions, loaded.env);
  health.regressedCriteria = redactResults(
    health.regressedCriteria,
    loaded.model,
    loaded.role,
  );
  const requester =
    pending?.requestedById === loaded.user.id
      ? loaded.user
      : (requesters[0] ?? null);
  return { ...dealView(loaded, requester), ...health };
}

/**
 * Builds the deal's view for the acting user. `requester` is the user who made
 * the pending request, or null when there is none or they are not a user of
 * the org.
 */
export function dealView(
  loaded: LoadedDeal,
  requester: OrgUser | null,
): DealView {
  const { deal, model, role, user } = loaded;
  const stage = model.stageByValue.get(String(deal['Cosell_Stage__c'])) ?? null;
  const unknownStage = stageNotInModel(model, deal);
  const pending = loaded.read.pendingRequest;
  const names = new Map<string, OrgUser>([[user.id, user]]);
  const requesterOnSide =
    pending !== null && requesterIsOnSide(loaded, pending, requester);
  const pendingView = pending
    ? requestView(pending, names, requesterOnSide)
    : null;
  if (pendingView) {
    pendingView.unmet = redactResults(pendingView.unmet, model, role);
  }
  const partnerAccountId = text(deal['Partner_Account__c']);
  const partnerAccount = deal['Partner_Account__r'];
  const amount = deal['Amount'];
  const vendorOnly = new Set(
    role.side === 'Vendor' ? [] : model.vendorOnlyFields,
  );
  return {
    id: loaded.dealId,
    name: text(deal['Name']),
    model: model.developerName,
    stage: stage ? stageView(stage, { model, role }) : null,
    stageNotInModel: unknownStage,
    stageEnteredAt: text(deal['Cosell_Stage_Entered_At__c']),
    version: loaded.version,
    amount:
      vendorOnly.has('Amount') || amount === null || amount === undefined
        ? null
        : moneyText(amount as number | string),
    currencyIsoCode: text(deal['CurrencyIsoCode']),
    closeDate: vendorOnly.has('CloseDate') ? null : text(deal['CloseDate']),
    partnerAccount: partnerAccountId
      ? {
          id: partnerAccountId,
          name:
            partnerAccount &&
            typeof partnerAccount === 'object' &&
            !Array.isArray(partnerAccount)
              ? text(partnerAccount['Name'])
              : null,
        }
      : null,
    vendorOwner: lookupRef(deal, 'Vendor_Owner__c', 'Vendor'),
    partnerOwner: lookupRef(deal, 'Partner_Owner__c', 'Partner'),
    pendingRequest: pendingView,
    fields: visibleFields(deal, model, role),
    viewer: {
      userId: user.id,
      side: role.side,
      canRequest:
        role.side !== null &&
        !pending &&
        !stage?.closed &&
        unknownStage === null,
      canConfirm:
        role.side !== null &&
        pending !== null &&
        requesterOnSide &&
        pending.requestedById !== user.id &&
        pending.requestingSide !== role.side,
      // Either side may withdraw a request whose requester left the requesting
      // side, as `assertCanWithdraw` allows.
      canWithdraw:
        role.side !== null &&
        pending !== null &&
        (pending.requestingSide === role.side || !requesterOnSide),
      isChannelManager: role.isChannelManager,
    },
  };
}

/** Each criterion of the deal's stage now, met or not, with the values it read. */
export async function getEvaluation(
  ctx: CosellContext,
  actor: Actor,
  dealId: string,
): Promise<EvaluationView> {
  const loaded = await loadDeal(ctx, actor, { dealId });
  assertCanRead(loaded);
  assertKnownStage(loaded);
  return evaluationView(loaded);
}

export function evaluationView(loaded: LoadedDeal): EvaluationView {
  const { stage, results } = evaluateDeal(
    loaded.model,
    loaded.deal,
    loaded.env,
  );
  const next = nextStage(loaded.model, stage);
  const criteria = redactResults(results, loaded.model, loaded.role);
  return {
    dealId: loaded.dealId,
    evaluatedAt: loaded.env.now.toISOString(),
    stage: stage ? stageView(stage, loaded) : null,
    nextStage: next ? stageView(next, loaded) : null,
    criteria,
    allMet: criteria.every((r) => r.met),
  };
}

/** The deal's moves, each with who requested, who confirmed and the evidence. */
export async function getTransitions(
  ctx: CosellContext,
  actor: Actor,
  dealId: string,
): Promise<{ transitions: TransitionView[] }> {
  const loaded = await loadDeal(ctx, actor, { dealId });
  assertCanRead(loaded);
  const transitions = await ctx.gateway.listTransitions(loaded.dealId);
  const userIds = new Set<string>();
  for (const t of transitions) {
    userIds.add(t.requestedById);
    userIds.add(t.confirmedById);
  }
  const users = await ctx.gateway.getUsers([...userIds]);
  const names = new Map(users.map((u) => [u.id, u]));
  return {
    transitions: transitions.map((t) => {
      const view = transitionView(t, names);
      view.evidence = redactResults(view.evidence, loaded.model, loaded.role);
      view.attribution = redactAttribution(
        view.attribution,
        loaded.model,
        loaded.role,
        loaded.user.accountId,
      );
      return view;
    }),
  };
}

import { DomainError } from '../domain/domain-error.js';
import {
  evaluateDeal,
  nextStage,
  stageNotInModel,
} from '../domain/evaluation.js';
import type { CriterionResult } from '../domain/evaluation.js';
import { isExpired } from '../domain/stage-requests.js';
import type { CosellContext } from './cosell-context.js';
import { dealModelName, textField } from './deal-model-name.js';
import { dealHealth } from './lifecycle/deal-health.js';
import type { DealHealth } from './lifecycle/deal-health.js';
import { requestView, stageView, transitionView } from './views.js';
import type { StageRequestView, StageView, TransitionView } from './views.js';

/** One deal as an admin or ops user sees it: every field, no side filtering. */
export interface OpsDealExplanation extends DealHealth {
  dealId: string;
  name: string | null;
  model: string;
  stage: StageView | null;
  /**
   * The stored `Cosell_Stage__c` when the model does not have that stage, else
   * null. Such a deal has no `stage`, `nextStage` or `criteria`.
   */
  stageNotInModel: string | null;
  nextStage: StageView | null;
  stageEnteredAt: string | null;
  version: number;
  evaluatedAt: string;
  /** The zone in which `TODAY()` and the days in stage were counted. */
  timeZone: string;
  /** The exit criteria of the deal's stage (closing criteria of a closed stage). */
  criteria: CriterionResult[];
  allMet: boolean;
  pendingRequest: StageRequestView | null;
  /**
   * The pending request's target stage when the model does not have it, else
   * null. Confirming such a request fails with `unknown_stage`.
   */
  pendingRequestStageNotInModel: string | null;
  /** The pending request is past `Expires_At__c`; the next read by the API expires it. */
  pendingRequestExpired: boolean;
  /** Every move, oldest first, with the evidence that allowed it. */
  transitions: TransitionView[];
}

/**
 * Explains one deal for ops and admins, who are internal users: its criteria
 * now, with the values each read, its health, and its stage history with
 * evidence. Nothing is redacted and nothing is written, so a pending request
 * past its expiry is reported, not expired.
 */
export async function explainDealForOps(
  ctx: CosellContext,
  dealId: string,
): Promise<OpsDealExplanation> {
  // An empty acting user Id matches no user in either store, so the read
  // returns the deal without resolving anyone's side.
  const read = await ctx.gateway.readDealContext({
    dealId,
    actingUserId: '',
    plan: ctx.plan,
  });
  const deal = read.deal;
  const foundId = deal ? textField(deal, 'Id') : null;
  if (!deal || !foundId) {
    throw new DomainError(
      'deal_not_found',
      `Deal ${dealId} was not found.`,
      'Check the Opportunity Id.',
      { value: dealId },
    );
  }
  const modelName = dealModelName(deal);
  const model = ctx.models.get(modelName);
  if (!model) {
    throw new DomainError(
      'unknown_model',
      `Deal ${foundId} names model "${modelName}", which is not a loaded Cosell_Model__mdt record.`,
      `Set Cosell_Model__c to one of: ${[...ctx.models.keys()].join(', ')}.`,
      { value: modelName },
    );
  }
  const env = { now: ctx.now(), timeZone: ctx.timeZone };
  const transitions = await ctx.gateway.listTransitions(foundId);
  const pending = read.pendingRequest;
  const userIds = new Set<string>();
  for (const transition of transitions) {
    userIds.add(transition.requestedById);
    userIds.add(transition.confirmedById);
  }
  if (pending) {
    userIds.add(pending.requestedById);
    if (pending.respondedById) userIds.add(pending.respondedById);
  }
  const users = await ctx.gateway.getUsers([...userIds]);
  const names = new Map(users.map((user) => [user.id, user]));

  // evaluateDeal would read a deal at a stage the model does not have as a
  // deal without a stage and evaluate the first stage's criteria.
  const storedStage = stageNotInModel(model, deal);
  const { stage, results } =
    storedStage === null
      ? evaluateDeal(model, deal, env)
      : { stage: null, results: [] };
  const next = storedStage === null ? nextStage(model, stage) : null;
  return {
    dealId: foundId,
    name: textField(deal, 'Name'),
    model: modelName,
    stage: stage ? stageView(stage) : null,
    stageNotInModel: storedStage,
    nextStage: next ? stageView(next) : null,
    stageEnteredAt: textField(deal, 'Cosell_Stage_Entered_At__c'),
    version: Number(deal['Cosell_Stage_Version__c'] ?? 0),
    evaluatedAt: env.now.toISOString(),
    timeZone: env.timeZone,
    criteria: results,
    allMet: storedStage === null && results.every((result) => result.met),
    ...dealHealth(model, deal, transitions, env),
    pendingRequest: pending ? requestView(pending, names) : null,
    pendingRequestStageNotInModel:
      pending && !model.stageByValue.has(pending.toStage)
        ? pending.toStage
        : null,
    pendingRequestExpired: pending ? isExpired(pending, env.now) : false,
    transitions: transitions.map((transition) =>
      transitionView(transition, names),
    ),
  };
}

import type { StageRequest } from '../domain/cosell.js';
import { DomainError } from '../domain/domain-error.js';
import type { EvaluationEnv } from '../domain/criteria/types.js';
import { evaluateDeal, stageNotInModel } from '../domain/evaluation.js';
import type { CriterionResult } from '../domain/evaluation.js';
import {
  daysInStage,
  entryTransition,
  isStalled,
  storedInstant,
} from '../domain/lifecycle/index.js';
import type { LifecycleTransition } from '../domain/lifecycle/index.js';
import type { RecordData } from '../domain/records.js';
import type { DealQueryPlan } from '../org/gateway.js';
import type { CosellContext } from './cosell-context.js';
import { dealModelName, textField } from './deal-model-name.js';
import { heldCriteria } from './lifecycle/deal-health.js';
import { mergeDealPlans } from './merge-deal-plans.js';
import { groupByDeal } from './stages-not-in-model.js';

/** A deal whose entry evidence no longer holds. */
export interface PipelineRegression {
  dealId: string;
  name: string | null;
  model: string;
  stage: string;
  /** The stage the deal came from on the move into its stage. */
  enteredFrom: string | null;
  stageEnteredAt: string | null;
  /** The exit criteria of the stages it left that are no longer met. */
  failing: CriterionResult[];
}

/** A deal that has been in its stage longer than the stage's stall days. */
export interface PipelineStall {
  dealId: string;
  name: string | null;
  model: string;
  stage: string;
  stageEnteredAt: string;
  daysInStage: number;
  stallDays: number;
}

/**
 * A deal stored at a stage its model does not have, as after an admin removed
 * that `Cosell_Stage__mdt` record. The API rejects evaluating or moving it
 * with 409 `stage_not_in_model`.
 */
export interface PipelineStageNotInModel {
  dealId: string;
  name: string | null;
  model: string;
  /** The stored `Cosell_Stage__c` value. */
  stage: string;
}

/**
 * A pending request of an open deal whose target stage the deal's model does
 * not have. Confirming it fails with `unknown_stage`.
 */
export interface PipelineRequestToStageNotInModel {
  requestId: string;
  dealId: string;
  name: string | null;
  model: string;
  kind: StageRequest['kind'];
  fromStage: string | null;
  /** The target `To_Stage__c` value that the model does not have. */
  stage: string;
}

/** A deal that could not be evaluated, with the reason. */
export interface PipelineProblem {
  dealId: string;
  message: string;
}

export interface PipelineEvaluation {
  evaluatedAt: string;
  timeZone: string;
  /** Open deals read. */
  openDeals: number;
  /**
   * Open deals whose criteria were evaluated: `openDeals` without the deals in
   * `stagesNotInModel` and `problems`.
   */
  evaluated: number;
  /**
   * Open deals whose current criteria are all met, with the won stage's closing
   * criteria when the next move goes there: ready for the next stage.
   */
  allCriteriaMet: number;
  /** Open deals that have no co-sell stage yet. */
  withoutStage: number;
  /** Open deals stored at a stage their model does not have, left unevaluated. */
  stagesNotInModel: PipelineStageNotInModel[];
  /** Pending requests of open deals to stages their model does not have. */
  requestsToStagesNotInModel: PipelineRequestToStageNotInModel[];
  regressions: PipelineRegression[];
  stalls: PipelineStall[];
  problems: PipelineProblem[];
}

/** The transition fields a regression check reads, added to the context's plan. */
const TRANSITION_PLAN: DealQueryPlan = {
  dealFields: [],
  children: {
    Stage_Transitions__r: [
      'Id',
      'From_Stage__c',
      'To_Stage__c',
      'Transitioned_At__c',
      'One_Sided__c',
    ],
  },
};

export interface EvaluatePipelineOptions {
  /** The org's pending stage requests, checked against each deal's model. */
  pendingRequests: readonly StageRequest[];
  /** Called after each deal with the number of open deals read so far. */
  onDeal?: (read: number) => void;
}

/**
 * Evaluates every open deal in one stream (Bulk API 2.0 on an org), with each
 * deal's transitions read as a child relationship, so the whole pipeline costs
 * one read instead of one call per deal. Lists regressions, stalls, deals and
 * pending requests at stages their model does not have, and deals that could
 * not be evaluated. One bad deal does not stop the others.
 */
export async function evaluatePipeline(
  ctx: CosellContext,
  options: EvaluatePipelineOptions,
): Promise<PipelineEvaluation> {
  const env = { now: ctx.now(), timeZone: ctx.timeZone };
  const result: PipelineEvaluation = {
    evaluatedAt: env.now.toISOString(),
    timeZone: env.timeZone,
    openDeals: 0,
    evaluated: 0,
    allCriteriaMet: 0,
    withoutStage: 0,
    stagesNotInModel: [],
    requestsToStagesNotInModel: [],
    regressions: [],
    stalls: [],
    problems: [],
  };
  const pendingByDeal = groupByDeal(options.pendingRequests);
  for await (const deal of ctx.gateway.streamOpenDeals(
    mergeDealPlans(ctx.plan, TRANSITION_PLAN),
  )) {
    result.openDeals += 1;
    const dealId = String(deal['Id']);
    const pending = pendingByDeal.get(dealId) ?? [];
    try {
      if (checkDeal(ctx, deal, pending, env, result)) result.evaluated += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      result.problems.push({ dealId, message: error.message });
    }
    options.onDeal?.(result.openDeals);
  }
  return result;
}

/**
 * Evaluates one deal into `result` and returns true, or returns false for a
 * deal stored at a stage its model does not have, which is not evaluated.
 * Raises `DomainError` for a deal that cannot be evaluated.
 */
function checkDeal(
  ctx: CosellContext,
  deal: RecordData,
  pending: readonly StageRequest[],
  env: EvaluationEnv,
  result: PipelineEvaluation,
): boolean {
  const dealId = String(deal['Id']);
  const modelName = dealModelName(deal);
  const model = ctx.models.get(modelName);
  if (!model) {
    throw new DomainError(
      'unknown_model',
      `Cosell_Model__c "${modelName}" is not a loaded Cosell_Model__mdt record.`,
      `Set Cosell_Model__c to one of: ${[...ctx.models.keys()].join(', ')}.`,
      { value: modelName },
    );
  }

  const found = { dealId, name: textField(deal, 'Name'), model: modelName };
  for (const request of pending) {
    if (model.stageByValue.has(request.toStage)) continue;
    result.requestsToStagesNotInModel.push({
      ...found,
      requestId: request.id,
      kind: request.kind,
      fromStage: request.fromStage,
      stage: request.toStage,
    });
  }

  // evaluateDeal would read such a deal as having no stage and evaluate the
  // first stage's criteria.
  const storedStage = stageNotInModel(model, deal);
  if (storedStage !== null) {
    result.stagesNotInModel.push({ ...found, stage: storedStage });
    return false;
  }

  const { stage, results } = evaluateDeal(model, deal, env);
  if (results.every((criterion) => criterion.met)) result.allCriteriaMet += 1;
  if (!stage) {
    result.withoutStage += 1;
    return true;
  }

  const enteredAt = textField(deal, 'Cosell_Stage_Entered_At__c');
  if (enteredAt && !stage.closed && stage.stallDays !== null) {
    const entered = storedInstant(enteredAt, {
      object: 'Opportunity',
      recordId: String(deal['Id']),
      field: 'Cosell_Stage_Entered_At__c',
    });
    const days = daysInStage(entered, result.evaluatedAt, env.timeZone);
    if (isStalled(stage.stallDays, days)) {
      result.stalls.push({
        ...found,
        stage: stage.value,
        stageEnteredAt: enteredAt,
        daysInStage: days,
        stallDays: stage.stallDays,
      });
    }
  }

  const entry = entryTransition(childTransitions(deal), dealId, stage.value);
  const failing = heldCriteria(model, deal, entry, env).filter(
    (criterion) => !criterion.met,
  );
  if (failing.length > 0) {
    result.regressions.push({
      ...found,
      stage: stage.value,
      enteredFrom: entry?.fromStage ?? null,
      stageEnteredAt: enteredAt,
      failing,
    });
  }
  return true;
}

function childTransitions(deal: RecordData): LifecycleTransition[] {
  const rows = deal['Stage_Transitions__r'];
  if (!Array.isArray(rows)) return [];
  return rows.map((row) => ({
    dealId: String(deal['Id']),
    fromStage: textField(row, 'From_Stage__c'),
    toStage: String(row['To_Stage__c']),
    at: String(row['Transitioned_At__c']),
    oneSided: row['One_Sided__c'] === true,
  }));
}

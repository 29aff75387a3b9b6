import type { EvaluationEnv } from '../domain/criteria/types.js';
import { currentStage, evaluateDeal } from '../domain/evaluation.js';
import type { CriterionResult } from '../domain/evaluation.js';
import { buildDealQueryPlan } from '../domain/query-plan.js';
import type { RecordData } from '../domain/records.js';
import type { StageModels } from '../domain/stage-model.js';
import { StoredValueError } from '../domain/stored-value.js';
import type { OrgGateway } from '../org/gateway.js';
import { dealModelName, textField } from './deal-model-name.js';
import { mergeDealPlans } from './merge-deal-plans.js';

/**
 * The status of a deal under one version of the models: every criterion of
 * its stage met (with the won stage's closing criteria when its next move goes
 * there), one or more unmet, or not evaluated because that version has no such
 * model or stage.
 */
export type ImpactStatus = 'met' | 'unmet' | 'no-model' | 'no-stage';

/** One criterion whose result differs; null where that version lacks it. */
export interface CriterionChange {
  name: string;
  label: string;
  ruleText: string;
  before: boolean | null;
  after: boolean | null;
  /** The values the changed version of the criterion read. */
  evidence: CriterionResult['evidence'];
}

/** An open deal whose status changes between the two versions. */
export interface DealImpact {
  dealId: string;
  name: string | null;
  model: string;
  stage: string | null;
  before: ImpactStatus;
  after: ImpactStatus;
  criteria: CriterionChange[];
}

/**
 * An open deal whose criteria read an invalid stored value under one version
 * of the models, so it is left out of the counts and of `changed`.
 */
export interface ImpactProblem {
  dealId: string;
  name: string | null;
  model: string;
  stage: string | null;
  /**
   * The version whose criteria read the invalid value. The baseline is
   * evaluated first, so a value that both versions read names `baseline`.
   */
  version: 'baseline' | 'proposed';
  /** Object API name of the record that stores the value, such as `Opportunity`. */
  object: string;
  recordId: string;
  /** Field API name, or the path a criterion reads. */
  field: string;
  value: unknown;
  message: string;
  fix: string;
}

export interface CriteriaImpact {
  evaluatedAt: string;
  timeZone: string;
  /** Open deals read, those in `notEvaluated` included. */
  evaluated: number;
  metToUnmet: number;
  unmetToMet: number;
  /** Deals that change to or from `no-model` or `no-stage`. */
  otherChanges: number;
  /** Deals whose status is the same but some criterion results differ. */
  criteriaChangedOnly: number;
  /** Deals whose status changes. */
  changed: DealImpact[];
  /**
   * Deals whose status stays the same while some criterion results change,
   * such as a deal at the last open stage, which stays unmet until the won
   * stage's closing criteria hold, whatever its exit criteria give.
   */
  criteriaChanged: DealImpact[];
  notEvaluated: ImpactProblem[];
}

export interface CriteriaImpactInput {
  gateway: OrgGateway;
  /** The models the store runs now. */
  baseline: StageModels;
  /** The changed models, compiled against the same schema. */
  proposed: StageModels;
  env: EvaluationEnv;
  onDeal?: (evaluated: number) => void;
}

/**
 * Compares, deal by deal, the criteria of every open deal's current stage
 * under the baseline and the proposed models, in one stream of open deals
 * that reads the fields both versions need. A deal whose criteria read an
 * invalid stored value goes to `notEvaluated`, and the others are compared.
 */
// NOTE: a change to an earlier stage's exit criteria can also make a deal regressed; only the current stage's criteria are compared here.
export async function criteriaImpact(
  input: CriteriaImpactInput,
): Promise<CriteriaImpact> {
  const result: CriteriaImpact = {
    evaluatedAt: input.env.now.toISOString(),
    timeZone: input.env.timeZone,
    evaluated: 0,
    metToUnmet: 0,
    unmetToMet: 0,
    otherChanges: 0,
    criteriaChangedOnly: 0,
    changed: [],
    criteriaChanged: [],
    notEvaluated: [],
  };
  const plan = mergeDealPlans(
    buildDealQueryPlan(input.baseline),
    buildDealQueryPlan(input.proposed),
  );
  for await (const deal of input.gateway.streamOpenDeals(plan)) {
    result.evaluated += 1;
    const impact = compareDeal(deal, input);
    if ('problem' in impact) {
      result.notEvaluated.push(impact.problem);
      input.onDeal?.(result.evaluated);
      continue;
    }
    if (impact.before === 'met' && impact.after === 'unmet') {
      result.metToUnmet += 1;
    } else if (impact.before === 'unmet' && impact.after === 'met') {
      result.unmetToMet += 1;
    } else if (impact.before !== impact.after) {
      result.otherChanges += 1;
    } else if (impact.criteria.length > 0) {
      result.criteriaChangedOnly += 1;
      result.criteriaChanged.push(impact);
    }
    if (impact.before !== impact.after) result.changed.push(impact);
    input.onDeal?.(result.evaluated);
  }
  return result;
}

interface Evaluated {
  status: ImpactStatus;
  results: CriterionResult[];
}

function evaluateUnder(
  models: StageModels,
  deal: RecordData,
  env: EvaluationEnv,
): Evaluated {
  const model = models.get(dealModelName(deal));
  if (!model) return { status: 'no-model', results: [] };
  const stageValue = textField(deal, 'Cosell_Stage__c');
  // evaluateDeal shows the first stage for a stage it does not know, which
  // would compare a removed stage's deals against the wrong criteria.
  if (stageValue !== null && !currentStage(model, deal)) {
    return { status: 'no-stage', results: [] };
  }
  const { results } = evaluateDeal(model, deal, env);
  return {
    status: results.every((criterion) => criterion.met) ? 'met' : 'unmet',
    results,
  };
}

function compareDeal(
  deal: RecordData,
  input: CriteriaImpactInput,
): DealImpact | { problem: ImpactProblem } {
  const found = {
    dealId: String(deal['Id']),
    name: textField(deal, 'Name'),
    model: dealModelName(deal),
    stage: textField(deal, 'Cosell_Stage__c'),
  };
  const before = evaluateOrProblem(input.baseline, deal, input.env);
  if ('error' in before) {
    return { problem: impactProblem(found, 'baseline', before.error) };
  }
  const after = evaluateOrProblem(input.proposed, deal, input.env);
  if ('error' in after) {
    return { problem: impactProblem(found, 'proposed', after.error) };
  }
  return {
    ...found,
    before: before.status,
    after: after.status,
    criteria: changedCriteria(before.results, after.results),
  };
}

function evaluateOrProblem(
  models: StageModels,
  deal: RecordData,
  env: EvaluationEnv,
): Evaluated | { error: StoredValueError } {
  try {
    return evaluateUnder(models, deal, env);
  } catch (error) {
    if (error instanceof StoredValueError) return { error };
    throw error;
  }
}

function impactProblem(
  found: Pick<ImpactProblem, 'dealId' | 'name' | 'model' | 'stage'>,
  version: ImpactProblem['version'],
  error: StoredValueError,
): ImpactProblem {
  return {
    ...found,
    version,
    ...error.source,
    value: error.value,
    message: error.message,
    fix: error.fix,
  };
}

/** Criteria by name whose result differs, or that only one version has. */
function changedCriteria(
  before: CriterionResult[],
  after: CriterionResult[],
): CriterionChange[] {
  const beforeByName = new Map(before.map((result) => [result.name, result]));
  const afterByName = new Map(after.map((result) => [result.name, result]));
  const names = [...new Set([...beforeByName.keys(), ...afterByName.keys()])];
  const changes: CriterionChange[] = [];
  for (const name of names) {
    const old = beforeByName.get(name);
    const now = afterByName.get(name);
    if (old && now && old.met === now.met) continue;
    const shown = (now ?? old)!;
    changes.push({
      name,
      label: shown.label,
      ruleText: shown.ruleText,
      before: old ? old.met : null,
      after: now ? now.met : null,
      evidence: shown.evidence,
    });
  }
  return changes;
}

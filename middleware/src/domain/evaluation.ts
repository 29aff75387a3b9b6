import { RecordValueError } from './criteria/criteria-error.js';
import type { EvaluationEnv, FieldRead } from './criteria/types.js';
import type { RecordData } from './records.js';
import type {
  LoadedCriterion,
  LoadedModel,
  LoadedStage,
} from './stage-model.js';
import { CriterionValueError } from './stored-value.js';

/** An evaluation's environment, with the viewer's field visibility for error messages. */
export interface DealEvaluationEnv extends EvaluationEnv {
  /**
   * Tells whether the viewer may not see the value at a field path. An invalid
   * stored value's error then leaves that value out. Absent, every value shows.
   */
  hidesValue?: (path: string) => boolean;
}

/** One criterion's result with the values it read. */
export interface CriterionResult {
  name: string;
  label: string;
  kind: 'Exit' | 'Closing';
  /** The `Stage_Value__c` of the stage the criterion belongs to. */
  stage: string;
  ruleText: string;
  evidenceLabel: string;
  met: boolean;
  value: boolean | null;
  evidence: FieldRead[];
}

/**
 * Evaluates one criterion on the deal. A stored value that does not fit its
 * field's type fails with a `CriterionValueError` naming the deal, the field
 * and the criterion.
 */
export function evaluateCriterion(
  criterion: LoadedCriterion,
  stage: LoadedStage,
  deal: RecordData,
  env: DealEvaluationEnv,
): CriterionResult {
  let result;
  try {
    result = criterion.compiled.evaluate(deal, env);
  } catch (error) {
    if (error instanceof RecordValueError) {
      throw criterionValueError(error, criterion, deal, env);
    }
    throw error;
  }
  return {
    name: criterion.developerName,
    label: criterion.label,
    kind: criterion.kind,
    stage: stage.value,
    ruleText: criterion.ruleText,
    evidenceLabel: criterion.evidenceLabel,
    met: result.value === true,
    value: result.value,
    evidence: result.reads,
  };
}

function criterionValueError(
  error: RecordValueError,
  criterion: LoadedCriterion,
  deal: RecordData,
  env: DealEvaluationEnv,
): CriterionValueError {
  const dealField = dealFieldThroughLookup(criterion, error, deal);
  // A path whose first name the deal lacks reads a child record, such as a
  // field of SUM(Deal_Partners__r, Split_Percent__c), because child fields
  // resolve from the child object. Such a row may belong to another partner.
  // NOTE: a root field that the deal query did not select reads as a child
  // record's field too, because the record lacks it either way.
  const head = error.path.split('.')[0] ?? error.path;
  const childRecord = dealField === null && !Object.hasOwn(deal, head);
  const path = dealField ?? error.path;
  const hidesValue = env.hidesValue;
  const hideValue =
    hidesValue !== undefined && (childRecord || hidesValue(path));
  return new CriterionValueError(
    String(deal['Id']),
    path,
    error.value,
    error.expectedType,
    error.criterionName,
    { childRecord, hideValue },
  );
}

/**
 * Finds the deal's own field that a child record's path reads through the
 * child's lookup back to the deal, and returns null when there is none. For
 * `SUM(Deal_Approvals__r, Opportunity__r.Probability)` that is `Probability`
 * when the deal stores the invalid value itself. A lookup to another record of
 * the deal's object ends in the same field name, so the stored values must
 * match too.
 * NOTE: such another record that stores the same invalid value is named as
 * the deal's field.
 */
function dealFieldThroughLookup(
  criterion: LoadedCriterion,
  error: RecordValueError,
  deal: RecordData,
): string | null {
  const rootPaths = Object.values(criterion.compiled.aggregateRootPaths);
  for (const rootPath of rootPaths.flat()) {
    if (!error.path.endsWith(`.${rootPath}`)) continue;
    if (Object.is(readDealPath(deal, rootPath), error.value)) return rootPath;
  }
  return null;
}

/** Reads a dotted path such as `Account.Name` on a record, or undefined when it is absent. */
function readDealPath(record: RecordData, path: string): unknown {
  let current: unknown = record;
  for (const name of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

/** Reads the deal's current co-sell stage; null when it has none yet. */
export function currentStage(
  model: LoadedModel,
  deal: RecordData,
): LoadedStage | null {
  const value = deal['Cosell_Stage__c'];
  if (typeof value !== 'string' || value === '') return null;
  return model.stageByValue.get(value) ?? null;
}

/**
 * Returns the deal's stored `Cosell_Stage__c` when it is set but names no stage
 * of `model`, as after an admin removed that stage's record; null otherwise.
 */
export function stageNotInModel(
  model: LoadedModel,
  deal: RecordData,
): string | null {
  const value = deal['Cosell_Stage__c'];
  if (typeof value !== 'string' || value === '') return null;
  return model.stageByValue.has(value) ? null : value;
}

/** The stage an Advance from `from` goes to by default: the next open or won stage. */
export function nextStage(
  model: LoadedModel,
  from: LoadedStage | null,
): LoadedStage | null {
  if (from?.closed) return null;
  const index = from ? model.openStages.indexOf(from) : -1;
  return model.openStages[index + 1] ?? model.wonStage;
}

/**
 * The criteria a move must satisfy. An advance needs the exit criteria of the stage
 * it leaves and of every stage it skips, plus the closing criteria of a closed target;
 * a move into the lost stage needs that stage's closing criteria; a back move needs
 * none, only the other side's confirmation.
 */
export function criteriaForMove(
  model: LoadedModel,
  from: LoadedStage | null,
  to: LoadedStage,
): Array<{ stage: LoadedStage; criterion: LoadedCriterion }> {
  const required: Array<{ stage: LoadedStage; criterion: LoadedCriterion }> =
    [];
  if (to === model.lostStage) {
    for (const criterion of to.closingCriteria) {
      required.push({ stage: to, criterion });
    }
    return required;
  }
  const fromOrder = from?.order ?? 0;
  if (to.order <= fromOrder) return required;
  for (const stage of model.openStages) {
    if (stage.order >= fromOrder && stage.order < to.order) {
      for (const criterion of stage.exitCriteria) {
        required.push({ stage, criterion });
      }
    }
  }
  for (const criterion of to.closingCriteria) {
    required.push({ stage: to, criterion });
  }
  return required;
}

/** Evaluates every criterion a move needs. */
export function evaluateMove(
  model: LoadedModel,
  from: LoadedStage | null,
  to: LoadedStage,
  deal: RecordData,
  env: EvaluationEnv,
): CriterionResult[] {
  return criteriaForMove(model, from, to).map(({ stage, criterion }) =>
    evaluateCriterion(criterion, stage, deal, env),
  );
}

/**
 * The deal's criteria now: the exit criteria of its stage (of the first stage when it
 * has none yet), or the closing criteria of the closed stage it is in. When the next
 * Advance goes into the won stage, the results end with that stage's closing
 * criteria, because the move needs them too. Those results have `kind: 'Closing'`
 * and the won stage's value as `stage`.
 */
export function evaluateDeal(
  model: LoadedModel,
  deal: RecordData,
  env: DealEvaluationEnv,
): { stage: LoadedStage | null; results: CriterionResult[] } {
  const stage = currentStage(model, deal);
  const shown = stage ?? model.openStages[0] ?? null;
  if (!shown) return { stage, results: [] };
  const criteria = shown.closed ? shown.closingCriteria : shown.exitCriteria;
  const results = criteria.map((criterion) =>
    evaluateCriterion(criterion, shown, deal, env),
  );
  const next = nextStage(model, stage);
  if (next?.closed) {
    for (const criterion of next.closingCriteria) {
      results.push(evaluateCriterion(criterion, next, deal, env));
    }
  }
  return { stage, results };
}

/**
 * Checks of the stored values that the agenda reads outside the criteria: the
 * deal's model and stage entry time, and its pending request's times. A deal
 * with such a value gets an `EvaluationProblem`, so that the agenda lists it
 * under `notEvaluated` and still builds the rest.
 */
import type { StageRequest } from '../../domain/cosell.js';
import { storedInstant } from '../../domain/lifecycle/calendar.js';
import type {
  EvaluationProblem,
  LifecycleDeal,
} from '../../domain/lifecycle/index.js';
import type { StageModels } from '../../domain/stage-model.js';
import { StoredValueError } from '../../domain/stored-value.js';
import type { StoredField } from '../../domain/stored-value.js';

/** Describes an invalid stored value for the agenda's `notEvaluated` list. */
export function evaluationProblem(error: StoredValueError): EvaluationProblem {
  const { object, recordId, field } = error.source;
  return {
    object,
    recordId,
    field,
    ...(error.value !== undefined ? { value: error.value } : {}),
    message: error.message,
    fix: error.fix,
  };
}

/** Returns the problem of a malformed stored instant, or undefined when it is valid. */
function instantProblem(
  text: string,
  source: StoredField,
): EvaluationProblem | undefined {
  try {
    storedInstant(text, source);
    return undefined;
  } catch (error) {
    if (!(error instanceof StoredValueError)) throw error;
    return evaluationProblem(error);
  }
}

/**
 * Finds, for each deal, the first invalid stored value the agenda reads
 * outside the criteria: an unknown `Cosell_Model__c`, a malformed
 * `Cosell_Stage_Entered_At__c`, or a malformed `CreatedDate` or
 * `Expires_At__c` of the deal's pending request. The problems keep the value
 * for partner users too: no model may list the two deal fields as vendor-only,
 * and a partner user who may read the deal reads its requests' times.
 */
export function storedValueProblems(
  models: StageModels,
  deals: Iterable<LifecycleDeal>,
  pending: ReadonlyMap<string, StageRequest>,
): Map<string, EvaluationProblem> {
  const problems = new Map<string, EvaluationProblem>();
  for (const deal of deals) {
    const problem = dealProblem(models, deal, pending.get(deal.id));
    if (problem) problems.set(deal.id, problem);
  }
  return problems;
}

function dealProblem(
  models: StageModels,
  deal: LifecycleDeal,
  request: StageRequest | undefined,
): EvaluationProblem | undefined {
  // NOTE: only the first invalid value of a deal is listed, so the next one,
  // such as a criterion's, shows once that one is corrected.
  if (!models.has(deal.model)) return unknownModelProblem(models, deal);
  const stageEntered =
    deal.stageEnteredAt === null
      ? undefined
      : instantProblem(deal.stageEnteredAt, {
          object: 'Opportunity',
          recordId: deal.id,
          field: 'Cosell_Stage_Entered_At__c',
        });
  if (stageEntered || !request) return stageEntered;
  const stageRequest = (field: string) => ({
    object: 'Stage_Request__c',
    recordId: request.id,
    field,
  });
  return (
    instantProblem(request.createdAt, stageRequest('CreatedDate')) ??
    instantProblem(request.expiresAt, stageRequest('Expires_At__c'))
  );
}

/** Describes a `Cosell_Model__c` that names no loaded model. */
function unknownModelProblem(
  models: StageModels,
  deal: LifecycleDeal,
): EvaluationProblem {
  const names = [...models.keys()].sort().join(', ');
  return evaluationProblem(
    new StoredValueError(
      { object: 'Opportunity', recordId: deal.id, field: 'Cosell_Model__c' },
      deal.model,
      `the name of a loaded model (${names})`,
      `Set Cosell_Model__c on Opportunity ${deal.id} to one of ${names} in Salesforce, or in the local store when it is the source, or load the model it names, then try again.`,
    ),
  );
}

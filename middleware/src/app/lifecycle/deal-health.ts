import type { StageTransition } from '../../domain/cosell.js';
import type { CriterionResult } from '../../domain/evaluation.js';
import { evaluateCriterion } from '../../domain/evaluation.js';
import type { EvaluationEnv } from '../../domain/criteria/types.js';
import {
  daysInStage,
  entryTransition,
  isStalled,
  stagesToHold,
  storedInstant,
} from '../../domain/lifecycle/index.js';
import type { ModelStages } from '../../domain/lifecycle/index.js';
import type { RecordData } from '../../domain/records.js';
import type { LoadedModel } from '../../domain/stage-model.js';

/** Days in stage, stall and regression of a deal, in the org's time zone. */
export interface DealHealth {
  /** Calendar days since the deal entered its stage; null without a stage. */
  daysInStage: number | null;
  /** More days in the stage than its `Stall_Days__c`. */
  stalled: boolean;
  /** An exit criterion that let the deal into its stage no longer holds. */
  regressed: boolean;
  /** The criteria that no longer hold. */
  regressedCriteria: CriterionResult[];
}

/** Converts a loaded model to the stage lookup that `stagesToHold` reads. */
export function modelStages(model: LoadedModel): ModelStages {
  return {
    model: model.developerName,
    stages: model.stages,
    open: model.openStages,
    byValue: model.stageByValue,
  };
}

/**
 * Evaluates, now, the exit criteria that let the deal into its current stage:
 * those of the stage it left and of any stage it skipped on the move that put
 * it there. A deal that came back by a Back move has none.
 */
export function heldCriteria(
  model: LoadedModel,
  deal: RecordData,
  entry: { fromStage: string | null } | undefined,
  env: EvaluationEnv,
): CriterionResult[] {
  const current = deal['Cosell_Stage__c'];
  if (typeof current !== 'string' || !entry) return [];
  return stagesToHold(modelStages(model), entry.fromStage, current).flatMap(
    (stage) => {
      const loaded = model.stageByValue.get(stage.value)!;
      return loaded.exitCriteria.map((criterion) =>
        evaluateCriterion(criterion, loaded, deal, env),
      );
    },
  );
}

/** Days in stage, stall and regression of one deal read with its transitions. */
export function dealHealth(
  model: LoadedModel,
  deal: RecordData,
  transitions: readonly StageTransition[],
  env: EvaluationEnv,
): DealHealth {
  const value = deal['Cosell_Stage__c'];
  const stage =
    typeof value === 'string' ? model.stageByValue.get(value) : undefined;
  const enteredAt = deal['Cosell_Stage_Entered_At__c'];
  const health: DealHealth = {
    daysInStage: null,
    stalled: false,
    regressed: false,
    regressedCriteria: [],
  };
  if (!stage) return health;
  if (typeof enteredAt === 'string' && enteredAt !== '') {
    // A malformed stored value is a data error that names the deal, not an
    // invalid request.
    const entered = storedInstant(enteredAt, {
      object: 'Opportunity',
      recordId: String(deal['Id']),
      field: 'Cosell_Stage_Entered_At__c',
    });
    const days = daysInStage(entered, env.now.toISOString(), env.timeZone);
    health.daysInStage = days;
    health.stalled = !stage.closed && isStalled(stage.stallDays, days);
  }
  if (stage.closed) return health;
  const entry = entryTransition(
    transitions.map((transition) => ({
      dealId: transition.dealId,
      fromStage: transition.fromStage,
      toStage: transition.toStage,
      at: transition.at,
      oneSided: transition.oneSided,
    })),
    String(deal['Id']),
    stage.value,
  );
  health.regressedCriteria = heldCriteria(model, deal, entry, env).filter(
    (result) => !result.met,
  );
  health.regressed = health.regressedCriteria.length > 0;
  return health;
}

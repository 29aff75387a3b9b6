import type {
  CurrencyRates,
  FiscalCalendar,
} from '../../domain/lifecycle/index.js';
import type { LifecycleStage } from '../../domain/lifecycle/index.js';
import type { LoadedModel } from '../../domain/stage-model.js';
import { DomainError } from '../../domain/domain-error.js';
import type { LifecycleStore } from '../../org/lifecycle-store.js';
import type { CosellContext } from '../cosell-context.js';
import { DEFAULT_MODEL_NAME } from '../deal-model-name.js';

/**
 * The fiscal calendar and currencies the forecast, backtest and scorecard use, and
 * the `StageName` of a deal made from an approved registration.
 */
export interface LifecycleSettings {
  fiscal: FiscalCalendar;
  currency: CurrencyRates;
  newDealStageName: string;
}

/** The store, settings and co-sell context of every lifecycle use case. */
export interface LifecycleContext {
  cosell: CosellContext;
  store: LifecycleStore;
  settings: LifecycleSettings;
  /**
   * Currencies other than the corporate one that a calculation converted,
   * collected when set, so a report can name them.
   */
  convertedCurrencies?: Set<string>;
}

/** The model a new registration and its deal use. */
export const REGISTRATION_MODEL = 'Default';

/** Returns the model registrations use, or fails naming the loaded ones. */
export function registrationModel(ctx: CosellContext): LoadedModel {
  const model = ctx.models.get(REGISTRATION_MODEL);
  if (!model) {
    throw new DomainError(
      'unknown_model',
      `Registrations use model ${REGISTRATION_MODEL}, which is not a loaded Cosell_Model__mdt record.`,
      `Deploy the ${REGISTRATION_MODEL} model; loaded: ${[...ctx.models.keys()].join(', ')}.`,
      { value: REGISTRATION_MODEL },
    );
  }
  return model;
}

/**
 * Returns true when the deal sits at a closed co-sell stage. A Close Lost move
 * leaves the standard `StageName` and `IsClosed` to the direct-sales view, so
 * `IsClosed` alone still calls such a deal open.
 */
export function isClosedInCosell(
  ctx: CosellContext,
  deal: { model: string | null; stage: string | null },
): boolean {
  if (deal.stage === null) return false;
  const model = ctx.models.get(deal.model ?? DEFAULT_MODEL_NAME);
  return model?.stageByValue.get(deal.stage)?.closed === true;
}

/** Lists the stage settings of one loaded model, without its compiled criteria. */
export function lifecycleStagesOf(model: LoadedModel): LifecycleStage[] {
  return model.stages.map((stage) => ({
    model: stage.model,
    value: stage.value,
    label: stage.label,
    order: stage.order,
    probability: stage.probability,
    forecastCategory: stage.forecastCategory,
    stallDays: stage.stallDays,
    closed: stage.closed,
    won: stage.won,
  }));
}

/** Lists the stage settings of every loaded model. */
export function lifecycleStages(ctx: CosellContext): LifecycleStage[] {
  return [...ctx.models.values()].flatMap(lifecycleStagesOf);
}

/**
 * Stage-to-won probabilities calibrated from transition history.
 *
 * A deal in open stage S is won when it gets through S and every later open
 * stage, so P(won | S) is the product of the step probabilities q_T of the open
 * stages T from S on, where q_T is the chance that a deal leaving T moves forward
 * rather than to the lost stage. Each step is estimated from the moves out of T:
 * a move to a later stage is a step forward for T and for every stage it skips,
 * and a move to the lost stage is a step that failed. Counting steps uses deals
 * still open too (a deal now in Negotiating has passed Validating), so the
 * estimate is not pulled toward fast losses as "closed deals only" would be.
 *
 * Each q_T has a Beta posterior whose prior is the step probability the
 * configured stage probabilities imply, q0_T = p_T / p_next (1 after the last
 * open stage), worth `pseudoCount` moves: mean (forward + k * q0) / (moves + k).
 * With k = 20, a step's history outweighs its configured value after more than
 * 20 moves out of the stage. Back moves and moves out of closed stages are
 * not counted.
 */
import { Decimal } from 'decimal.js';
import { canonicalInstant } from './calendar.js';
import type { ModelStages, StageCatalog } from './stage-catalog.js';

export const DEFAULT_PSEUDO_COUNT = 20;

/** The Beta posterior of one step: leaving a stage forward. */
export interface StepPosterior {
  alpha: number;
  beta: number;
}

export interface StageWinRate {
  model: string;
  stage: string;
  /** The stage's configured probability, 0 to 1. */
  configured: number;
  /** Moves out of the stage to a later stage, skips included. */
  forward: number;
  /** Moves out of the stage to the lost stage. */
  lost: number;
  /** Posterior of this stage's step; `steps` contains it and the later stages' steps. */
  step: StepPosterior;
  steps: StepPosterior[];
  /** Posterior mean of P(won | in this stage), 0 to 1. */
  probability: number;
}

/** Calibrated rates keyed by model, then stage value; open stages only. */
export type WinRateTable = Map<string, Map<string, StageWinRate>>;

export interface CalibrationOptions {
  /** Weight of the configured probabilities, in moves; 20 when absent. */
  pseudoCount?: number;
  /** Only transitions before this instant count (a backtest's forecast date). */
  before?: string;
}

export interface Calibration {
  rates: WinRateTable;
  /** Moves counted as forward or lost steps. */
  movesUsed: number;
  /** Transitions of deals whose model the caller did not know. */
  movesSkipped: number;
}

function clampProbability(value: number): number {
  return Math.min(0.999, Math.max(0.001, value));
}

/** Returns the posterior mean of a step. */
export function stepMean(step: StepPosterior): number {
  const total = step.alpha + step.beta;
  return total > 0 ? step.alpha / total : 0;
}

/** Returns P(won) of a stage as an exact decimal: the product of its steps' means. */
export function winProbability(rate: StageWinRate): Decimal {
  let product = new Decimal(1);
  for (const step of rate.steps) {
    product = product.times(
      new Decimal(step.alpha).div(step.alpha + step.beta),
    );
  }
  return product;
}

/**
 * Builds the rates of one model's open stages from step counts, by stage value.
 * Missing counts are zero, so with no history the rates are the configured ones.
 */
export function buildWinRates(
  model: string,
  stages: ModelStages,
  counts: ReadonlyMap<string, { forward: number; lost: number }>,
  pseudoCount: number,
): Map<string, StageWinRate> {
  const open = stages.open;
  const rates = new Map<string, StageWinRate>();
  let later: StepPosterior[] = [];
  for (let index = open.length - 1; index >= 0; index--) {
    const stage = open[index]!;
    const next = open[index + 1];
    const configured = Math.min(1, Math.max(0, stage.probability / 100));
    const nextConfigured = next ? Math.max(0, next.probability / 100) : 1;
    const prior = clampProbability(
      nextConfigured > 0 ? configured / nextConfigured : configured,
    );
    const count = counts.get(stage.value) ?? { forward: 0, lost: 0 };
    const step = {
      alpha: count.forward + pseudoCount * prior,
      beta: count.lost + pseudoCount * (1 - prior),
    };
    later = [step, ...later];
    const rate: StageWinRate = {
      model,
      stage: stage.value,
      configured,
      forward: count.forward,
      lost: count.lost,
      step,
      steps: later,
      probability: 0,
    };
    rate.probability = later.reduce((product, s) => product * stepMean(s), 1);
    rates.set(stage.value, rate);
  }
  return rates;
}

/**
 * Calibrates win rates from transitions. `modelOf` returns a deal's
 * `Cosell_Model__c`, or undefined for a deal the caller does not know.
 */
export function calibrateWinRates(
  transitions: Iterable<{
    dealId: string;
    fromStage: string | null;
    toStage: string;
    at: string;
  }>,
  modelOf: (dealId: string) => string | undefined,
  catalog: StageCatalog,
  options: CalibrationOptions = {},
): Calibration {
  const pseudoCount = options.pseudoCount ?? DEFAULT_PSEUDO_COUNT;
  const before =
    options.before === undefined
      ? undefined
      : canonicalInstant(options.before, 'before');
  const counts = new Map<
    string,
    Map<string, { forward: number; lost: number }>
  >();
  for (const [model, stages] of catalog) {
    counts.set(
      model,
      new Map(
        stages.open.map((stage) => [stage.value, { forward: 0, lost: 0 }]),
      ),
    );
  }
  let movesUsed = 0;
  let movesSkipped = 0;
  for (const transition of transitions) {
    if (transition.fromStage === null) continue;
    if (
      before !== undefined &&
      canonicalInstant(transition.at, 'Transitioned_At__c') >= before
    )
      continue;
    const model = modelOf(transition.dealId);
    const stages = model === undefined ? undefined : catalog.get(model);
    const modelCounts = model === undefined ? undefined : counts.get(model);
    if (!stages || !modelCounts) {
      movesSkipped++;
      continue;
    }
    const from = stages.byValue.get(transition.fromStage);
    const to = stages.byValue.get(transition.toStage);
    if (!from || !to || from.closed) continue;
    if (to.closed && !to.won) {
      modelCounts.get(from.value)!.lost++;
      movesUsed++;
      continue;
    }
    if (to.order <= from.order) continue;
    movesUsed++;
    for (const stage of stages.open) {
      if (stage.order >= from.order && stage.order < to.order)
        modelCounts.get(stage.value)!.forward++;
    }
  }
  const rates: WinRateTable = new Map();
  for (const [model, stages] of catalog) {
    rates.set(
      model,
      buildWinRates(model, stages, counts.get(model)!, pseudoCount),
    );
  }
  return { rates, movesUsed, movesSkipped };
}

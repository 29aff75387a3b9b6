/**
 * Stage-to-won probabilities calibrated from transition history.
 *
 * For each open stage S, `reached` counts the deals that were ever in S and have
 * since closed, and `won` those of them that closed as won. Deals still open are
 * left out, because their outcome is unknown. The estimate is the mean of a Beta
 * posterior whose prior is the stage's configured probability p0 worth
 * `pseudoCount` deals: (won + k * p0) / (reached + k). With k = 20 the history
 * outweighs the configured value once a stage has more than 20 closed deals.
 */
// NOTE: leaving out open deals favours fast outcomes, which are more often losses; with a long sales cycle the first quarters of history read low.
import { canonicalInstant } from './calendar.js';
import type { StageCatalog } from './stage-catalog.js';

export const DEFAULT_PSEUDO_COUNT = 20;

export interface StageWinRate {
  model: string;
  stage: string;
  /** The stage's configured probability, 0 to 1. */
  configured: number;
  /** Closed deals that were ever in the stage. */
  reached: number;
  /** Of those, the deals that closed as won. */
  won: number;
  /** Beta posterior parameters: won + k * p0 and reached - won + k * (1 - p0). */
  alpha: number;
  beta: number;
  /** Posterior mean, 0 to 1. */
  probability: number;
}

/** Calibrated rates keyed by `model` then stage value; open stages only. */
export type WinRateTable = Map<string, Map<string, StageWinRate>>;

export interface CalibrationOptions {
  /** Weight of the configured probability, in deals; 20 when absent. */
  pseudoCount?: number;
  /** Only transitions before this instant count (a backtest's forecast date). */
  before?: string;
}

export interface Calibration {
  rates: WinRateTable;
  /** Closed deals whose history was used. */
  dealsUsed: number;
  /** Deals in the history whose model or final stage is unknown. */
  dealsSkipped: number;
}

interface DealTrail {
  visited: string[];
  lastAt: string;
  last: string;
}

/** Builds the posterior for one stage from its counts. */
export function stageWinRate(
  model: string,
  stage: string,
  configuredPercent: number,
  reached: number,
  won: number,
  pseudoCount: number,
): StageWinRate {
  const configured = Math.min(1, Math.max(0, configuredPercent / 100));
  const alpha = won + pseudoCount * configured;
  const beta = reached - won + pseudoCount * (1 - configured);
  const total = alpha + beta;
  return {
    model,
    stage,
    configured,
    reached,
    won,
    alpha,
    beta,
    probability: total > 0 ? alpha / total : configured,
  };
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
  const trails = new Map<string, DealTrail>();
  for (const transition of transitions) {
    const at = canonicalInstant(transition.at, 'Transitioned_At__c');
    if (before !== undefined && at >= before) continue;
    let trail = trails.get(transition.dealId);
    if (!trail) {
      trail = { visited: [], lastAt: at, last: transition.toStage };
      trails.set(transition.dealId, trail);
    } else if (at >= trail.lastAt) {
      trail.lastAt = at;
      trail.last = transition.toStage;
    }
    const { fromStage, toStage } = transition;
    if (fromStage !== null && !trail.visited.includes(fromStage)) {
      trail.visited.push(fromStage);
    }
    if (!trail.visited.includes(toStage)) trail.visited.push(toStage);
  }

  const counts = new Map<
    string,
    Map<string, { reached: number; won: number }>
  >();
  for (const [model, stages] of catalog) {
    counts.set(
      model,
      new Map(
        stages.open.map((stage) => [stage.value, { reached: 0, won: 0 }]),
      ),
    );
  }
  let dealsUsed = 0;
  let dealsSkipped = 0;
  for (const [dealId, trail] of trails) {
    const model = modelOf(dealId);
    const stages = model === undefined ? undefined : catalog.get(model);
    const last = stages?.byValue.get(trail.last);
    const modelCounts = model === undefined ? undefined : counts.get(model);
    if (!last || !modelCounts) {
      dealsSkipped++;
      continue;
    }
    if (!last.closed) continue;
    dealsUsed++;
    for (const value of trail.visited) {
      const count = modelCounts.get(value);
      if (!count) continue;
      count.reached++;
      if (last.won) count.won++;
    }
  }

  const rates: WinRateTable = new Map();
  for (const [model, stages] of catalog) {
    const modelRates = new Map<string, StageWinRate>();
    for (const stage of stages.open) {
      const count = counts.get(model)?.get(stage.value) ?? {
        reached: 0,
        won: 0,
      };
      modelRates.set(
        stage.value,
        stageWinRate(
          model,
          stage.value,
          stage.probability,
          count.reached,
          count.won,
          pseudoCount,
        ),
      );
    }
    rates.set(model, modelRates);
  }
  return { rates, dealsUsed, dealsSkipped };
}

/**
 * Projects the won amount of a set of open deals from calibrated stage win
 * rates: the exact expected amount in decimal, a P10/P50/P90 band from
 * `simulateBand`, and the totals by stage and forecast category. Shared by the
 * forecast and the backtest.
 */
import { Decimal } from 'decimal.js';
import type { ForecastCategory } from '../model.js';
import { DomainError } from '../domain-error.js';
import { FORECAST_CATEGORIES } from '../model.js';
import type { CurrencyConverter } from './money.js';
import { simulateBand } from './outcome-band.js';
import type { BandGroup, BandOptions } from './outcome-band.js';
import type { LifecycleStage } from './types.js';
import type { StageWinRate, StepPosterior, WinRateTable } from './win-rates.js';
import { winProbability } from './win-rates.js';

/** An open deal with its stage and its amount in the corporate currency. */
export interface ProjectableDeal {
  stage: LifecycleStage;
  amount: Decimal;
}

export interface StageLine {
  model: string;
  stage: string;
  label: string;
  forecastCategory: ForecastCategory;
  dealCount: number;
  amount: string;
  /** Calibrated probability, 0 to 1, rounded to four places. */
  probability: number;
  /** Configured probability, 0 to 1. */
  configuredProbability: number;
  /** Moves out of the stage in the history: forward (skips included) and to lost. */
  forward: number;
  lost: number;
  expected: string;
}

export interface CategoryLine {
  category: ForecastCategory;
  dealCount: number;
  amount: string;
}

export interface Projection {
  dealCount: number;
  /** Unweighted open amount, Omitted deals excluded. */
  openAmount: Decimal;
  expected: Decimal;
  /** Band of the open deals alone, in minor units. */
  band: { p10: number; p50: number; p90: number };
  stages: StageLine[];
  categories: Map<ForecastCategory, { dealCount: number; amount: Decimal }>;
}

interface StageBucket {
  stage: LifecycleStage;
  rate: StageWinRate;
  group: number;
  dealCount: number;
  amount: Decimal;
}

/**
 * Projects open deals. Deals in a stage whose forecast category is Omitted are
 * counted in their category and left out of the expected amount and the band.
 */
export function projectDeals(
  deals: readonly ProjectableDeal[],
  rates: WinRateTable,
  converter: CurrencyConverter,
  band: BandOptions,
): Projection {
  const buckets = new Map<LifecycleStage, StageBucket>();
  const categories = new Map<
    ForecastCategory,
    { dealCount: number; amount: Decimal }
  >(
    FORECAST_CATEGORIES.map((category) => [
      category,
      { dealCount: 0, amount: new Decimal(0) },
    ]),
  );
  const groups: BandGroup[] = [];
  const steps: StepPosterior[] = [];
  const stepIndex = new Map<StepPosterior, number>();
  const indexOfStep = (step: StepPosterior): number => {
    let index = stepIndex.get(step);
    if (index === undefined) {
      index = steps.length;
      steps.push(step);
      stepIndex.set(step, index);
    }
    return index;
  };
  const included: Array<{ units: number; group: number }> = [];
  for (const deal of deals) {
    const category = categories.get(deal.stage.forecastCategory)!;
    category.dealCount++;
    category.amount = category.amount.plus(deal.amount);
    if (deal.stage.forecastCategory === 'Omitted') continue;
    let bucket = buckets.get(deal.stage);
    if (!bucket) {
      const rate = rates.get(deal.stage.model)?.get(deal.stage.value);
      if (!rate) {
        throw new DomainError(
          'invalid_request',
          `No win rate for stage ${deal.stage.value} of model ${deal.stage.model}.`,
          'Calibrate the win rates with the same stages the deals use.',
          { value: deal.stage.value },
        );
      }
      bucket = {
        stage: deal.stage,
        rate,
        group: groups.length,
        dealCount: 0,
        amount: new Decimal(0),
      };
      groups.push({ steps: rate.steps.map(indexOfStep) });
      buckets.set(deal.stage, bucket);
    }
    bucket.dealCount++;
    bucket.amount = bucket.amount.plus(deal.amount);
    included.push({
      units: converter.toMinorUnits(deal.amount),
      group: bucket.group,
    });
  }

  const units = Float64Array.from(included, (deal) => deal.units);
  const groupOf = Int32Array.from(included, (deal) => deal.group);
  const simulated = simulateBand(units, groupOf, groups, steps, band);

  let expected = new Decimal(0);
  let openAmount = new Decimal(0);
  const stages: StageLine[] = [];
  const ordered = [...buckets.values()].sort(
    (a, b) =>
      a.stage.model.localeCompare(b.stage.model) ||
      a.stage.order - b.stage.order,
  );
  for (const bucket of ordered) {
    const probability = winProbability(bucket.rate);
    const stageExpected = converter.round(bucket.amount.times(probability));
    expected = expected.plus(stageExpected);
    openAmount = openAmount.plus(bucket.amount);
    stages.push({
      model: bucket.stage.model,
      stage: bucket.stage.value,
      label: bucket.stage.label,
      forecastCategory: bucket.stage.forecastCategory,
      dealCount: bucket.dealCount,
      amount: converter.format(bucket.amount),
      probability: probability.toDecimalPlaces(4).toNumber(),
      configuredProbability: bucket.rate.configured,
      forward: bucket.rate.forward,
      lost: bucket.rate.lost,
      expected: converter.format(stageExpected),
    });
  }
  return {
    dealCount: included.length,
    openAmount,
    expected,
    band: { p10: simulated.p10, p50: simulated.p50, p90: simulated.p90 },
    stages,
    categories,
  };
}

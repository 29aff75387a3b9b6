/**
 * The distribution of a forecast's won amount: a sum of independent deals, each
 * won with its stage's probability and worth its amount.
 *
 * Method: a seeded Monte Carlo over the deals that carry most of the variance,
 * with the rest as one normal term. The `heavyDeals` deals with the largest
 * amount^2 * p * (1 - p) are drawn one by one, so a few large deals give the
 * lumpy, skewed shape they really have. The many small deals left are summed as
 * a normal variable with their exact mean and variance. By the central limit
 * theorem that is accurate when they are many, and when they are few their share
 * of the variance is small. Each trial also draws every step probability from
 * its Beta posterior and multiplies them into the stages' win probabilities, so
 * the band widens where history is thin and deals of a stage move together, as
 * they do when a stage's true rate differs from the estimate. A trial costs
 * O(heavyDeals + stages), so 100,000 deals cost one pass plus a sort, instead of
 * trials * deals draws.
 */
import { createRandom } from './random.js';
import type { StepPosterior } from './win-rates.js';
import { stepMean } from './win-rates.js';

/** A stage: its win probability is the product of these steps' probabilities. */
export interface BandGroup {
  /** Indices into the step list passed with the groups. */
  steps: number[];
}

export interface BandOptions {
  /** Monte Carlo trials; 10,000 when absent. */
  trials?: number;
  /** Deals drawn one by one; 256 when absent. */
  heavyDeals?: number;
  seed?: number;
  /** Draw stage probabilities from their posteriors; true when absent. */
  parameterUncertainty?: boolean;
}

export interface Band {
  /** Amounts in minor units of the corporate currency. */
  p10: number;
  p50: number;
  p90: number;
  mean: number;
}

function groupProbability(
  group: BandGroup,
  stepProbability: ArrayLike<number>,
): number {
  let product = 1;
  for (const step of group.steps) product *= stepProbability[step]!;
  return product;
}

function sampleStep(
  step: StepPosterior,
  random: ReturnType<typeof createRandom>,
): number {
  if (step.alpha <= 0 || step.beta <= 0) return stepMean(step);
  return random.beta(step.alpha, step.beta);
}

/** Picks the indices of the `count` deals with the largest variance. */
function heaviest(variance: Float64Array, count: number): Int32Array {
  if (count >= variance.length) {
    return Int32Array.from(variance, (_value, index) => index);
  }
  const threshold =
    Float64Array.from(variance).sort()[variance.length - count]!;
  const picked = new Int32Array(count);
  let taken = 0;
  for (let i = 0; i < variance.length && taken < count; i++) {
    if (variance[i]! > threshold) picked[taken++] = i;
  }
  for (let i = 0; i < variance.length && taken < count; i++) {
    if (variance[i] === threshold) picked[taken++] = i;
  }
  return picked;
}

/** Returns the value at quantile `q` of sorted values, interpolating linearly. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const weight = position - below;
  return sorted[below]! * (1 - weight) + sorted[above]! * weight;
}

/**
 * Simulates the won amount of deals with amounts `units` (minor units) whose
 * stages are `groupOf[i]`, an index into `groups`. Returns the P10, P50 and P90
 * of the simulated amounts and the mean, all rounded to whole units.
 */
export function simulateBand(
  units: Float64Array,
  groupOf: Int32Array,
  groups: readonly BandGroup[],
  steps: readonly StepPosterior[],
  options: BandOptions = {},
): Band {
  const trials = options.trials ?? 10_000;
  const heavyCount = Math.min(units.length, options.heavyDeals ?? 256);
  const uncertain = options.parameterUncertainty ?? true;
  const random = createRandom(options.seed ?? 1);
  const stepMeans = steps.map(stepMean);
  const means = groups.map((group) => groupProbability(group, stepMeans));

  const variance = new Float64Array(units.length);
  let mean = 0;
  for (let i = 0; i < units.length; i++) {
    const p = means[groupOf[i]!]!;
    const amount = units[i]!;
    mean += amount * p;
    variance[i] = amount * amount * p * (1 - p);
  }
  const heavy = heaviest(variance, heavyCount);
  const isHeavy = new Uint8Array(units.length);
  for (const index of heavy) isHeavy[index] = 1;

  // Light deals per stage: the sum of amounts and of squared amounts.
  const lightSum = new Float64Array(groups.length);
  const lightSquares = new Float64Array(groups.length);
  let lightTotal = 0;
  for (let i = 0; i < units.length; i++) {
    if (isHeavy[i]) continue;
    const amount = units[i]!;
    lightSum[groupOf[i]!]! += amount;
    lightSquares[groupOf[i]!]! += amount * amount;
    lightTotal += amount;
  }
  const heavyUnits = Float64Array.from(heavy, (index) => units[index]!);
  const heavyGroup = Int32Array.from(heavy, (index) => groupOf[index]!);

  const p = Float64Array.from(means);
  const q = new Float64Array(steps.length);
  const outcomes = new Float64Array(trials);
  for (let trial = 0; trial < trials; trial++) {
    if (uncertain) {
      for (let s = 0; s < steps.length; s++)
        q[s] = sampleStep(steps[s]!, random);
      for (let g = 0; g < groups.length; g++)
        p[g] = groupProbability(groups[g]!, q);
    }
    let total = 0;
    for (let h = 0; h < heavyUnits.length; h++) {
      if (random.next() < p[heavyGroup[h]!]!) total += heavyUnits[h]!;
    }
    if (lightTotal > 0) {
      let lightMean = 0;
      let lightVariance = 0;
      for (let g = 0; g < groups.length; g++) {
        const pg = p[g]!;
        lightMean += pg * lightSum[g]!;
        lightVariance += pg * (1 - pg) * lightSquares[g]!;
      }
      const light = lightMean + Math.sqrt(lightVariance) * random.normal();
      total += Math.min(lightTotal, Math.max(0, light));
    }
    outcomes[trial] = total;
  }
  outcomes.sort();
  return {
    p10: Math.round(quantile(outcomes, 0.1)),
    p50: Math.round(quantile(outcomes, 0.5)),
    p90: Math.round(quantile(outcomes, 0.9)),
    mean: Math.round(mean),
  };
}

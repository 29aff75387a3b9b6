/**
 * The distribution of a forecast's won amount: a sum of independent deals, each
 * won with its stage's probability and worth its amount.
 *
 * Method: a seeded Monte Carlo over the deals that carry most of the variance,
 * with the rest as one normal term. The `heavyDeals` deals with the largest
 * amount^2 * p * (1 - p) are drawn one by one, so a few large deals give the
 * lumpy, skewed shape they really have. The many small deals left are summed as
 * a normal variable with their exact mean and variance; by the central limit
 * theorem that is accurate when they are many, and when they are few their share
 * of the variance is small. Each trial also draws every stage's probability from
 * its Beta posterior, so the band widens where history is thin and deals of a
 * stage move together, as they do when a stage's true rate differs from the
 * estimate. A trial costs O(heavyDeals + stages), so 100,000 deals cost one pass
 * plus a sort, instead of trials * deals draws.
 */
import { createRandom } from './random.js';

/** A stage's posterior, shared by its deals. */
export interface BandGroup {
  alpha: number;
  beta: number;
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

function posteriorMean(group: BandGroup): number {
  if (group.alpha <= 0) return 0;
  if (group.beta <= 0) return 1;
  return group.alpha / (group.alpha + group.beta);
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
 * of the simulated amounts and the exact mean, all rounded to whole units.
 */
export function simulateBand(
  units: Float64Array,
  groupOf: Int32Array,
  groups: readonly BandGroup[],
  options: BandOptions = {},
): Band {
  const trials = options.trials ?? 10_000;
  const heavyCount = Math.min(units.length, options.heavyDeals ?? 256);
  const uncertain = options.parameterUncertainty ?? true;
  const random = createRandom(options.seed ?? 1);
  const means = groups.map(posteriorMean);

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

  const p = new Float64Array(groups.length);
  const outcomes = new Float64Array(trials);
  for (let trial = 0; trial < trials; trial++) {
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      p[g] =
        uncertain && group.alpha > 0 && group.beta > 0
          ? random.beta(group.alpha, group.beta)
          : means[g]!;
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

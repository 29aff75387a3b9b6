/**
 * Time and memory of a forecast with its P10-P90 band over 100,000 open deals
 * and 1,000,000 historical transitions, with the data already in memory. Time is
 * reported as a multiple of one plain pass over the same open deals, which parses
 * each amount, converts it to the corporate currency and adds it up. That is the
 * least a forecast must do, and the target is at most 20 times that pass.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { forecastPeriod } from '../../middleware/src/domain/lifecycle/forecast.js';
import type { ForecastSettings } from '../../middleware/src/domain/lifecycle/forecast.js';
import { generateHistory } from '../../middleware/src/domain/lifecycle/history-generator.js';
import {
  CurrencyConverter,
  parseAmount,
} from '../../middleware/src/domain/lifecycle/money.js';
import { createRandom } from '../../middleware/src/domain/lifecycle/random.js';
import type {
  LifecycleDeal,
  LifecycleStage,
} from '../../middleware/src/domain/lifecycle/types.js';
import { readModelSource } from '../../middleware/src/org/force-app/index.js';

const PACKAGE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../force-app',
);

export interface ForecastBenchOptions {
  openDeals?: number;
  transitions?: number;
  /** Timed runs of each side; the median is reported. */
  runs?: number;
  seed?: number;
}

export interface ForecastBenchResult {
  openDeals: number;
  transitions: number;
  runs: number;
  plainPassMs: number;
  forecastMs: number;
  /** forecastMs / plainPassMs. */
  ratio: number;
  target: number;
  withinTarget: boolean;
  /** Peak resident set size of the process, in MiB, data generation included. */
  peakRssMiB: number;
  /** Resident set size once the data is in memory, before any forecast, in MiB. */
  dataRssMiB: number;
  /** Peak RSS growth over `dataRssMiB` while forecasting, in MiB. */
  forecastRssGrowthMiB: number;
  expected: string;
  band: { p10: string; p50: string; p90: string };
}

const SETTINGS: ForecastSettings = {
  zone: 'America/New_York',
  fiscal: { startMonth: 2, yearBasedOn: 'ending' },
  currency: { corporate: 'USD', rates: { EUR: '1.08', GBP: '1.27' } },
};
const PERIOD = 'FY2028-Q1';
const AS_OF = '2027-01-15T12:00:00Z';
const MIB = 1024 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function openPipeline(
  stages: readonly LifecycleStage[],
  count: number,
  seed: number,
): LifecycleDeal[] {
  const open = stages.filter((stage) => !stage.closed);
  const random = createRandom(seed);
  const currencies = ['USD', 'USD', 'USD', 'EUR', 'GBP'];
  return Array.from({ length: count }, (_, index) => ({
    id: `open${index}`,
    name: `Open deal ${index}`,
    partnerAccountId: `partner${index % 12}`,
    model: 'Default',
    stage: open[random.integer(open.length)]!.value,
    stageEnteredAt: '2027-01-02T10:00:00.000Z',
    amount: (
      Math.round(40_000 * Math.exp(0.9 * random.normal())) + 0.5
    ).toFixed(2),
    currencyIsoCode: currencies[random.integer(currencies.length)]!,
    // Inside FY2028-Q1 (February to April 2027) with a February fiscal start.
    closeDate: `2027-0${2 + random.integer(3)}-${String(1 + random.integer(28)).padStart(2, '0')}`,
  }));
}

/** Parses, converts and adds every open amount: the plain pass. */
function sumOpenAmounts(
  deals: readonly LifecycleDeal[],
  converter: CurrencyConverter,
): Decimal {
  let total = new Decimal(0);
  for (const deal of deals) {
    if (deal.amount === null) continue;
    total = total.plus(
      converter.convert(
        parseAmount(deal.amount, 'Amount'),
        deal.currencyIsoCode,
      ),
    );
  }
  return total;
}

export async function runForecastBench(
  opts: ForecastBenchOptions = {},
): Promise<ForecastBenchResult> {
  const openCount = opts.openDeals ?? 100_000;
  const transitionCount = opts.transitions ?? 1_000_000;
  const runs = opts.runs ?? 3;
  const seed = opts.seed ?? 1;

  const stages = (await readModelSource(PACKAGE_DIR)).stages.filter(
    (stage) => stage.model === 'Default',
  );
  // The generated history has about 2.6 transitions per registration.
  const history = generateHistory({
    stages,
    end: '2027-01-14',
    seed,
    quarters: 10,
    registrationsPerQuarter: Math.ceil(transitionCount / 2.4 / 10),
  });
  const transitions = history.transitions.slice(0, transitionCount);
  if (transitions.length < transitionCount) {
    throw new Error(
      `The generated history has ${transitions.length} transitions, fewer than ${transitionCount}; raise registrationsPerQuarter.`,
    );
  }
  const pipeline = openPipeline(stages, openCount, seed + 1);
  const data = {
    stages,
    deals: [...history.deals, ...pipeline],
    transitions,
  };
  const converter = new CurrencyConverter(SETTINGS.currency);
  const dataRss = process.memoryUsage().rss;

  const plain: number[] = [];
  const timed: number[] = [];
  let forecast = forecastPeriod(data, PERIOD, AS_OF, SETTINGS);
  for (let run = 0; run < runs; run++) {
    let start = performance.now();
    sumOpenAmounts(pipeline, converter);
    plain.push(performance.now() - start);
    start = performance.now();
    forecast = forecastPeriod(data, PERIOD, AS_OF, SETTINGS);
    timed.push(performance.now() - start);
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const plainPassMs = median(plain);
  const forecastMs = median(timed);
  const ratio = forecastMs / plainPassMs;
  return {
    openDeals: openCount,
    transitions: transitions.length,
    runs,
    plainPassMs: Math.round(plainPassMs * 10) / 10,
    forecastMs: Math.round(forecastMs * 10) / 10,
    ratio: Math.round(ratio * 10) / 10,
    target: 20,
    withinTarget: ratio <= 20,
    peakRssMiB: Math.round(peakRss / MIB),
    dataRssMiB: Math.round(dataRss / MIB),
    forecastRssGrowthMiB: Math.round(Math.max(0, peakRss - dataRss) / MIB),
    expected: forecast.expected,
    band: forecast.band,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runForecastBench();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

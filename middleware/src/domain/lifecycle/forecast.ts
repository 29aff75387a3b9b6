/**
 * The forecast of a fiscal period: the open deals whose close date falls in the
 * period, projected with stage win rates calibrated from the transition
 * history, plus what has already been won in it. Amounts are converted once to
 * the corporate currency and returned as decimal text.
 *
 * Totals follow Salesforce's forecast categories: `commit` is Closed + Commit
 * and `bestCase` is Closed + Commit + Best Case, all unweighted.
 */
// NOTE: a deal counts in the period of its current CloseDate at its probability of ever being won; slipping past the period is not modelled.
import { Decimal } from 'decimal.js';
import { DomainError } from '../domain-error.js';
import { StoredValueError } from '../stored-value.js';
import type { ForecastCategory } from '../model.js';
import { canonicalInstant, requireTimeZone } from './calendar.js';
import type { FiscalCalendar, FiscalPeriod } from './fiscal.js';
import { parseFiscalPeriod } from './fiscal.js';
import { CurrencyConverter, parseDealAmount } from './money.js';
import type { CurrencyRates } from './money.js';
import type { BandOptions } from './outcome-band.js';
import { projectDeals } from './projection.js';
import type { CategoryLine, ProjectableDeal, StageLine } from './projection.js';
import { buildStageCatalog, findStage } from './stage-catalog.js';
import type { StageCatalog } from './stage-catalog.js';
import type {
  LifecycleDeal,
  LifecycleStage,
  LifecycleTransition,
} from './types.js';
import { DEFAULT_PSEUDO_COUNT, calibrateWinRates } from './win-rates.js';

export interface ForecastSettings {
  /** IANA time zone of the org, for period boundaries. */
  zone: string;
  fiscal: FiscalCalendar;
  currency: CurrencyRates;
  /** Weight of each stage's configured probability, in deals; 20 when absent. */
  pseudoCount?: number;
  band?: BandOptions;
}

export interface ForecastData {
  stages: readonly LifecycleStage[];
  /** Every deal the history mentions, open and closed, so each has its model. */
  deals: readonly LifecycleDeal[];
  transitions: Iterable<LifecycleTransition>;
}

export interface MoneyBand {
  p10: string;
  p50: string;
  p90: string;
}

export interface Forecast {
  period: FiscalPeriod;
  asOf: string;
  currency: string;
  /** Open deals forecast (Omitted excluded). */
  dealCount: number;
  openAmount: string;
  /** Won deals with a close date in the period. */
  wonAmount: string;
  /** Won amount plus the probability-weighted open amount. */
  expected: string;
  /** Won amount plus the band of the open deals. */
  band: MoneyBand;
  commit: string;
  bestCase: string;
  byCategory: CategoryLine[];
  stages: StageLine[];
  /** Moves of the history the win rates were calibrated from. */
  calibration: { pseudoCount: number; movesUsed: number };
  /** Deals with a close date in the period that could not be forecast. */
  skipped: { unknownStage: number; noAmount: number };
}

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/** Fails with a `StoredValueError` unless a deal's close date is `YYYY-MM-DD` text. */
export function requireCloseDate(deal: LifecycleDeal): string | null {
  const date = deal.closeDate;
  if (date !== null && !DATE_TEXT.test(date)) {
    throw new StoredValueError(
      { object: 'Opportunity', recordId: deal.id, field: 'CloseDate' },
      date,
      'a YYYY-MM-DD date',
    );
  }
  return date;
}

/** Checks the numeric settings and returns the pseudo-count. */
export function checkForecastSettings(settings: ForecastSettings): number {
  requireTimeZone(settings.zone);
  const pseudoCount = settings.pseudoCount ?? DEFAULT_PSEUDO_COUNT;
  if (!(pseudoCount >= 0 && Number.isFinite(pseudoCount))) {
    throw new DomainError(
      'invalid_request',
      `Pseudo-count ${pseudoCount} is not a number of 0 or more.`,
      'Set pseudoCount to the weight, in deals, of the configured stage probability (20 by default).',
      { value: pseudoCount },
    );
  }
  const trials = settings.band?.trials ?? 10_000;
  if (!Number.isInteger(trials) || trials < 100 || trials > 1_000_000) {
    throw new DomainError(
      'invalid_request',
      `Band trials ${trials} is not a whole number from 100 to 1,000,000.`,
      'Set band.trials to a whole number such as 10000.',
      { value: trials },
    );
  }
  const heavyDeals = settings.band?.heavyDeals ?? 256;
  if (!Number.isInteger(heavyDeals) || heavyDeals < 0) {
    throw new DomainError(
      'invalid_request',
      `Band heavyDeals ${heavyDeals} is not a whole number of 0 or more.`,
      'Set band.heavyDeals to the number of deals to draw one by one, such as 256.',
      { value: heavyDeals },
    );
  }
  return pseudoCount;
}

/** Puts the won amount on top of a projection and formats the result. */
export function summarizeProjection(
  projection: ReturnType<typeof projectDeals>,
  won: { dealCount: number; amount: Decimal },
  converter: CurrencyConverter,
) {
  // The won amount is exact, so it is added to the simulated band as a decimal.
  const withWon = (units: number) =>
    converter.format(won.amount.plus(converter.minorUnitsToAmount(units)));
  const closed = projection.categories.get('Closed')!;
  closed.dealCount += won.dealCount;
  closed.amount = closed.amount.plus(won.amount);
  const amountOf = (category: ForecastCategory) =>
    projection.categories.get(category)!.amount;
  return {
    expected: converter.format(won.amount.plus(projection.expected)),
    band: {
      p10: withWon(projection.band.p10),
      p50: withWon(projection.band.p50),
      p90: withWon(projection.band.p90),
    },
    commit: converter.format(amountOf('Closed').plus(amountOf('Commit'))),
    bestCase: converter.format(
      amountOf('Closed').plus(amountOf('Commit')).plus(amountOf('Best Case')),
    ),
    byCategory: [...projection.categories].map(([category, line]) => ({
      category,
      dealCount: line.dealCount,
      amount: converter.format(line.amount),
    })),
  };
}

/** Sorts a period's deals into open deals to project and won ones. */
function selectPeriodDeals(
  deals: readonly LifecycleDeal[],
  period: FiscalPeriod,
  catalog: StageCatalog,
  converter: CurrencyConverter,
) {
  const open: ProjectableDeal[] = [];
  const won = { dealCount: 0, amount: new Decimal(0) };
  const skipped = { unknownStage: 0, noAmount: 0 };
  for (const deal of deals) {
    const closeDate = requireCloseDate(deal);
    if (
      closeDate === null ||
      closeDate < period.start ||
      closeDate > period.end
    ) {
      continue;
    }
    const stage = findStage(catalog, deal.model, deal.stage);
    if (!stage) {
      skipped.unknownStage++;
      continue;
    }
    if (stage.closed && !stage.won) continue;
    if (deal.amount === null) {
      skipped.noAmount++;
      continue;
    }
    const amount = converter.convert(
      parseDealAmount(deal.id, deal.amount),
      deal.currencyIsoCode,
    );
    if (stage.won) {
      won.dealCount++;
      won.amount = won.amount.plus(amount);
    } else {
      open.push({ stage, amount });
    }
  }
  return { open, won, skipped };
}

/**
 * Forecasts a fiscal period (a label such as `FY2027-Q1`, or a parsed period) as
 * of `asOf`, using only transitions before `asOf`.
 */
export function forecastPeriod(
  data: ForecastData,
  period: string | FiscalPeriod,
  asOf: string,
  settings: ForecastSettings,
): Forecast {
  const pseudoCount = checkForecastSettings(settings);
  const at = canonicalInstant(asOf, 'asOf');
  const target =
    typeof period === 'string'
      ? parseFiscalPeriod(period, settings.fiscal)
      : period;
  const catalog = buildStageCatalog(data.stages);
  const converter = new CurrencyConverter(settings.currency);

  const models = new Map(data.deals.map((deal) => [deal.id, deal.model]));
  const calibration = calibrateWinRates(
    data.transitions,
    (dealId) => models.get(dealId),
    catalog,
    { pseudoCount, before: at },
  );
  const selected = selectPeriodDeals(data.deals, target, catalog, converter);
  const projection = projectDeals(selected.open, calibration.rates, converter, {
    ...settings.band,
  });
  return {
    period: target,
    asOf: at,
    currency: converter.corporate,
    dealCount: projection.dealCount,
    openAmount: converter.format(projection.openAmount),
    wonAmount: converter.format(selected.won.amount),
    ...summarizeProjection(projection, selected.won, converter),
    stages: projection.stages,
    calibration: { pseudoCount, movesUsed: calibration.movesUsed },
    skipped: selected.skipped,
  };
}

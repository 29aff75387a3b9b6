/**
 * Backtest of the forecast: for each of the last `periods` fiscal quarters
 * before `asOf`, the forecast as it would have been made at the quarter's start
 * (win rates from transitions before that instant, and the deals open then,
 * replayed from their transitions) against the amount of those deals won by the
 * quarter's end. Reported per quarter and per partner, with the share of
 * quarters whose actual fell inside the P10-P90 band and the mean errors.
 */
// NOTE: past close dates are not stored, so a deal is placed by today's CloseDate and a date moved after the forecast leaks into the backtest.
import { Decimal } from 'decimal.js';
import { DomainError } from '../domain-error.js';
import { canonicalInstant } from './calendar.js';
import {
  buildDealTimelines,
  enteredBetween,
  stageBefore,
} from './deal-timelines.js';
import type { FiscalPeriod } from './fiscal.js';
import { fiscalQuarterOf, periodInstants, shiftQuarter } from './fiscal.js';
import { checkForecastSettings, requireCloseDate } from './forecast.js';
import type { ForecastData, ForecastSettings, MoneyBand } from './forecast.js';
import { CurrencyConverter, parseDealAmount } from './money.js';
import { projectDeals } from './projection.js';
import type { ProjectableDeal } from './projection.js';
import { buildStageCatalog, findStage } from './stage-catalog.js';
import { calibrateWinRates } from './win-rates.js';

export interface Accuracy {
  dealCount: number;
  expected: string;
  band: MoneyBand;
  actual: string;
  /** Whether the actual amount lies within P10 to P90, ends included. */
  hit: boolean;
  absoluteError: string;
  /** |expected - actual| / actual in percent, one decimal; null when actual is 0. */
  percentageError: number | null;
}

export interface BacktestPeriod extends Accuracy {
  period: FiscalPeriod;
  /** The instant the forecast is made: the quarter's first local midnight. */
  forecastAt: string;
  partners: Array<Accuracy & { partnerAccountId: string }>;
}

export interface AccuracySummary {
  /** Quarters with at least one deal forecast; the others are left out. */
  periods: number;
  /** Share of those quarters, 0 to 1, whose actual fell inside the band. */
  hitRate: number | null;
  meanAbsoluteError: string;
  meanAbsolutePercentageError: number | null;
}

export interface Backtest {
  asOf: string;
  currency: string;
  periods: BacktestPeriod[];
  overall: AccuracySummary;
  byPartner: Array<AccuracySummary & { partnerAccountId: string }>;
}

interface Candidate extends ProjectableDeal {
  partnerAccountId: string | null;
  won: boolean;
}

function measure(
  deals: readonly Candidate[],
  projection: ReturnType<typeof projectDeals>,
  converter: CurrencyConverter,
): Accuracy {
  const actual = deals.reduce(
    (sum, deal) => (deal.won ? sum.plus(deal.amount) : sum),
    new Decimal(0),
  );
  const expected = converter.round(projection.expected);
  const error = expected.minus(actual).abs();
  const actualUnits = converter.toMinorUnits(actual);
  return {
    dealCount: projection.dealCount,
    expected: converter.format(expected),
    band: {
      p10: converter.fromMinorUnits(projection.band.p10),
      p50: converter.fromMinorUnits(projection.band.p50),
      p90: converter.fromMinorUnits(projection.band.p90),
    },
    actual: converter.format(actual),
    hit:
      actualUnits >= projection.band.p10 && actualUnits <= projection.band.p90,
    absoluteError: converter.format(error),
    percentageError: actual.isZero()
      ? null
      : error.div(actual).times(100).toDecimalPlaces(1).toNumber(),
  };
}

/** Averages the accuracy of the quarters that had deals. */
export function summarizeAccuracy(
  results: readonly Accuracy[],
  converter: CurrencyConverter,
): AccuracySummary {
  const used = results.filter((result) => result.dealCount > 0);
  const percentages = used
    .map((result) => result.percentageError)
    .filter((value): value is number => value !== null);
  const errorTotal = used.reduce(
    (sum, result) => sum.plus(result.absoluteError),
    new Decimal(0),
  );
  return {
    periods: used.length,
    hitRate:
      used.length === 0
        ? null
        : used.filter((result) => result.hit).length / used.length,
    meanAbsoluteError: converter.format(
      used.length === 0 ? errorTotal : errorTotal.div(used.length),
    ),
    meanAbsolutePercentageError:
      percentages.length === 0
        ? null
        : Math.round(
            (percentages.reduce((sum, value) => sum + value, 0) /
              percentages.length) *
              10,
          ) / 10,
  };
}

/** Runs the backtest over the `periods` whole quarters before the one containing `asOf`. */
export function backtestForecast(
  data: ForecastData,
  periods: number,
  asOf: string,
  settings: ForecastSettings,
): Backtest {
  const pseudoCount = checkForecastSettings(settings);
  if (!Number.isInteger(periods) || periods < 1 || periods > 40) {
    throw new DomainError(
      'invalid_request',
      `Backtest periods ${periods} is not a whole number from 1 to 40.`,
      'Ask for the number of past quarters to test, such as 8.',
      { value: periods },
    );
  }
  const at = canonicalInstant(asOf, 'asOf');
  const catalog = buildStageCatalog(data.stages);
  const converter = new CurrencyConverter(settings.currency);
  const transitions = [...data.transitions];
  const timelines = buildDealTimelines(transitions);
  const models = new Map(data.deals.map((deal) => [deal.id, deal.model]));
  const wonValues = new Map(
    [...catalog].map(([model, stages]) => [
      model,
      new Set(
        stages.stages.filter((stage) => stage.won).map((stage) => stage.value),
      ),
    ]),
  );
  const current = fiscalQuarterOf(at.slice(0, 10), settings.fiscal);
  const amounts = new Map<string, Decimal>();
  const results: BacktestPeriod[] = [];

  for (let offset = periods; offset >= 1; offset--) {
    const period = shiftQuarter(current, -offset, settings.fiscal);
    const bounds = periodInstants(period, settings.zone);
    const calibration = calibrateWinRates(
      transitions,
      (dealId) => models.get(dealId),
      catalog,
      {
        pseudoCount,
        before: bounds.start,
      },
    );
    const candidates: Candidate[] = [];
    for (const deal of data.deals) {
      const closeDate = requireCloseDate(deal);
      if (
        closeDate === null ||
        closeDate < period.start ||
        closeDate > period.end
      )
        continue;
      const timeline = timelines.get(deal.id);
      const stage = findStage(
        catalog,
        deal.model,
        stageBefore(timeline, bounds.start),
      );
      if (!stage || stage.closed || deal.amount === null) continue;
      let amount = amounts.get(deal.id);
      if (!amount) {
        amount = converter.convert(
          parseDealAmount(deal.id, deal.amount),
          deal.currencyIsoCode,
        );
        amounts.set(deal.id, amount);
      }
      const won = enteredBetween(
        timeline,
        wonValues.get(deal.model)!,
        bounds.start,
        bounds.end,
      );
      candidates.push({
        stage,
        amount,
        partnerAccountId: deal.partnerAccountId,
        won,
      });
    }
    const band = {
      ...settings.band,
      seed: (settings.band?.seed ?? 1) + offset * 7919,
    };
    const overall = measure(
      candidates,
      projectDeals(candidates, calibration.rates, converter, band),
      converter,
    );
    const byPartner = new Map<string, Candidate[]>();
    for (const candidate of candidates) {
      if (candidate.partnerAccountId === null) continue;
      const list = byPartner.get(candidate.partnerAccountId) ?? [];
      list.push(candidate);
      byPartner.set(candidate.partnerAccountId, list);
    }
    const partners = [...byPartner]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([partnerAccountId, deals], index) => ({
        partnerAccountId,
        ...measure(
          deals,
          projectDeals(deals, calibration.rates, converter, {
            ...band,
            seed: band.seed + index + 1,
          }),
          converter,
        ),
      }));
    results.push({ period, forecastAt: bounds.start, ...overall, partners });
  }

  const partnerIds = [
    ...new Set(
      results.flatMap((result) =>
        result.partners.map((p) => p.partnerAccountId),
      ),
    ),
  ].sort();
  return {
    asOf: at,
    currency: converter.corporate,
    periods: results,
    overall: summarizeAccuracy(results, converter),
    byPartner: partnerIds.map((partnerAccountId) => ({
      partnerAccountId,
      ...summarizeAccuracy(
        results.flatMap((result) =>
          result.partners.filter(
            (p) => p.partnerAccountId === partnerAccountId,
          ),
        ),
        converter,
      ),
    })),
  };
}

import {
  backtestForecast,
  fiscalQuarterOf,
  forecastPeriod,
  localDate,
  parseFiscalPeriod,
  shiftQuarter,
} from '../../domain/lifecycle/index.js';
import type {
  Backtest,
  FiscalPeriod,
  Forecast,
  ForecastSettings,
} from '../../domain/lifecycle/index.js';
import type { Actor } from '../cosell-context.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { loadForecastData, requireCurrencyRates } from './lifecycle-data.js';
import { requireVendorViewer, resolveViewer } from './lifecycle-viewer.js';

/** The quarters a backtest covers when none is asked for. */
export const DEFAULT_BACKTEST_PERIODS = 8;

/**
 * Monte Carlo trials per band in the backtest. It draws one band per quarter
 * and per partner, so it uses fewer trials than a forecast (10,000). The P10
 * and P90 of 2,000 trials are within about 0.7 percentile points of the true
 * ones (binomial standard error), which is enough to call a quarter a hit.
 */
const BACKTEST_TRIALS = 2_000;

function forecastSettings(lc: LifecycleContext): ForecastSettings {
  return {
    zone: lc.cosell.timeZone,
    fiscal: lc.settings.fiscal,
    currency: lc.settings.currency,
  };
}

/** Returns the fiscal quarter that contains today in the org's time zone. */
export function currentQuarter(lc: LifecycleContext): FiscalPeriod {
  const today = localDate(lc.cosell.now().toISOString(), lc.cosell.timeZone);
  return fiscalQuarterOf(today, lc.settings.fiscal);
}

/**
 * Forecasts a fiscal quarter or year (the current quarter when `period` is
 * absent) from the open deals whose close date falls in it. Only the vendor
 * side may see it.
 */
export async function getForecast(
  lc: LifecycleContext,
  actor: Actor,
  period: string | undefined,
): Promise<Forecast> {
  const viewer = await resolveViewer(lc.cosell, actor);
  requireVendorViewer(viewer, 'the forecast');
  const target = period
    ? parseFiscalPeriod(period, lc.settings.fiscal)
    : currentQuarter(lc);
  const [forecast] = await forecastPeriods(lc, [target]);
  return forecast!;
}

/**
 * Forecasts each fiscal period from one read of the deals and transitions,
 * without an access check: for callers that checked access already and for
 * internal ops exports.
 */
export async function forecastPeriods(
  lc: LifecycleContext,
  periods: readonly FiscalPeriod[],
): Promise<Forecast[]> {
  const data = await loadForecastData(lc);
  const asOf = lc.cosell.now().toISOString();
  return periods.map((target) => {
    requireCurrencyRates(lc, data.deals, target);
    return forecastPeriod(data, target, asOf, forecastSettings(lc));
  });
}

/**
 * Replays the forecast for each of the last `periods` quarters as it would
 * have been made at the quarter's start, and compares it with what was won.
 * Only the vendor side may see it.
 */
export async function getBacktest(
  lc: LifecycleContext,
  actor: Actor,
  periods: number,
): Promise<Backtest> {
  const viewer = await resolveViewer(lc.cosell, actor);
  requireVendorViewer(viewer, 'the forecast backtest');
  return runBacktest(lc, periods);
}

/** Runs the backtest without an access check, for the scorecard. */
export async function runBacktest(
  lc: LifecycleContext,
  periods: number,
  loaded?: Awaited<ReturnType<typeof loadForecastData>>,
): Promise<Backtest> {
  const data = loaded ?? (await loadForecastData(lc));
  const now = lc.cosell.now().toISOString();
  const current = currentQuarter(lc);
  const first = shiftQuarter(
    current,
    -Math.max(1, periods),
    lc.settings.fiscal,
  );
  const window = { start: first.start, end: current.start };
  requireCurrencyRates(lc, data.deals, window);
  return backtestForecast(data, periods, now, {
    ...forecastSettings(lc),
    band: { trials: BACKTEST_TRIALS },
  });
}

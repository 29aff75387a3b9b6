import { DomainError } from '../../domain/domain-error.js';
import type {
  ForecastData,
  LifecycleDeal,
  LifecycleTransition,
} from '../../domain/lifecycle/index.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { lifecycleStages } from './lifecycle-context.js';

/** Reads every deal and transition, with the stages of every model. */
export async function loadForecastData(
  lc: LifecycleContext,
): Promise<ForecastData & { deals: LifecycleDeal[] }> {
  const deals: LifecycleDeal[] = [];
  const transitions: LifecycleTransition[] = [];
  const readDeals = async () => {
    for await (const deal of lc.store.streamDeals()) deals.push(deal);
  };
  const readTransitions = async () => {
    for await (const transition of lc.store.streamTransitions()) {
      transitions.push(transition);
    }
  };
  await Promise.all([readDeals(), readTransitions()]);
  return { stages: lifecycleStages(lc.cosell), deals, transitions };
}

/**
 * Fails when a deal the calculation converts has a currency without a rate,
 * naming the deal and the variable to set. `window` limits the check to deals
 * whose close date falls in it; without one every deal with an amount counts.
 * Adds each converted currency to `lc.convertedCurrencies` when it is set.
 */
export function requireCurrencyRates(
  lc: LifecycleContext,
  deals: readonly LifecycleDeal[],
  window?: { start: string; end: string },
): void {
  const { corporate, rates } = lc.settings.currency;
  for (const deal of deals) {
    if (deal.amount === null) continue;
    const code = deal.currencyIsoCode;
    if (code === corporate) continue;
    if (
      window &&
      (deal.closeDate === null ||
        deal.closeDate < window.start ||
        deal.closeDate > window.end)
    ) {
      continue;
    }
    if (rates[code] !== undefined) {
      lc.convertedCurrencies?.add(code);
      continue;
    }
    throw new DomainError(
      'currency_rate_missing',
      `Deal ${deal.id} is in ${code}, and COSELL_CURRENCY_RATES has no rate from ${code} to ${corporate}.`,
      `Add ${code}=<value of one ${code} in ${corporate}> to COSELL_CURRENCY_RATES (such as EUR=1.08,GBP=1.27) and restart the middleware.`,
      { value: code },
    );
  }
}

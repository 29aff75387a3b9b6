import { buildScorecards } from '../../domain/lifecycle/index.js';
import type {
  AccuracySummary,
  Scorecard,
} from '../../domain/lifecycle/index.js';
import type { StageModels } from '../../domain/stage-model.js';
import type { Actor } from '../cosell-context.js';
import { isHiddenPath } from '../redaction.js';
import { DEFAULT_BACKTEST_PERIODS, runBacktest } from './forecast-views.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { loadForecastData, requireCurrencyRates } from './lifecycle-data.js';
import { resolvePartnerScope, resolveViewer } from './lifecycle-viewer.js';

/**
 * Builds the scorecards of every partner, or of one: registrations and approval rate,
 * stage conversion, win rate, days per stage, attributed revenue and the
 * accuracy of the partner's forecast over the last eight quarters. A partner
 * user gets only their own account's scorecard.
 */
export async function getScorecards(
  lc: LifecycleContext,
  actor: Actor,
  requestedPartner: string | undefined,
): Promise<{ partners: Array<Scorecard | PartnerScorecardView> }> {
  const viewer = await resolveViewer(lc.cosell, actor);
  const scope = await resolvePartnerScope(lc, viewer, requestedPartner);
  const cards = await buildPartnerScorecards(lc, scope);
  if (viewer.side === 'Vendor' || !amountHidden(lc.cosell.models)) {
    return { partners: cards };
  }
  return { partners: cards.map(withoutAmounts) };
}

/** A scorecard as a partner user receives it when amounts are vendor-only. */
export type PartnerScorecardView = Omit<
  Scorecard,
  'sourcedRevenue' | 'influencedRevenue' | 'forecastAccuracy'
> & {
  sourcedRevenue: string | null;
  influencedRevenue: string | null;
  forecastAccuracy:
    | (Omit<AccuracySummary, 'meanAbsoluteError'> & {
        meanAbsoluteError: string | null;
      })
    | null;
  redacted?: true;
};

/**
 * Checks whether any stage model lists `Amount` as vendor-only. The revenue sums
 * cover every model's deals, so one such model hides them from partners.
 */
function amountHidden(models: StageModels): boolean {
  for (const model of models.values()) {
    if (isHiddenPath('Amount', new Set(model.vendorOnlyFields))) return true;
  }
  return false;
}

/** Blanks the sums of deal amounts in a scorecard, keeping counts and rates. */
function withoutAmounts(card: Scorecard): PartnerScorecardView {
  return {
    ...card,
    sourcedRevenue: null,
    influencedRevenue: null,
    forecastAccuracy: card.forecastAccuracy && {
      ...card.forecastAccuracy,
      meanAbsoluteError: null,
    },
    redacted: true,
  };
}

/**
 * Builds the scorecards of every partner, or of the partner account `scope`
 * names, without an access check: for callers that checked access already
 * and for internal ops exports.
 */
export async function buildPartnerScorecards(
  lc: LifecycleContext,
  scope: string | null,
): Promise<Scorecard[]> {
  const data = await loadForecastData(lc);
  requireCurrencyRates(lc, data.deals);
  const [registrations, dealPartners, backtest] = await Promise.all([
    lc.store.listRegistrations(scope ?? undefined),
    lc.store.listDealPartners(),
    runBacktest(lc, DEFAULT_BACKTEST_PERIODS, data),
  ]);
  const partnerIds = new Set<string>([
    ...registrations.map((registration) => registration.partnerAccountId),
    ...dealPartners.map((row) => row.partnerAccountId),
    ...data.deals.flatMap((deal) =>
      deal.partnerAccountId ? [deal.partnerAccountId] : [],
    ),
  ]);
  if (scope) partnerIds.add(scope);
  const partners = await lc.store.listAccounts([...partnerIds]);
  const scorecards = buildScorecards(
    {
      stages: data.stages,
      deals: data.deals,
      transitions: data.transitions,
      registrations,
      dealPartners,
      partners,
      backtest,
    },
    { zone: lc.cosell.timeZone, currency: lc.settings.currency },
  );
  return scope
    ? scorecards.filter((card) => card.partnerAccount.id === scope)
    : scorecards;
}

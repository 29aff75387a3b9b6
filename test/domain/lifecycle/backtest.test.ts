import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { backtestForecast } from '../../../middleware/src/domain/lifecycle/backtest.js';
import type { ForecastSettings } from '../../../middleware/src/domain/lifecycle/forecast.js';
import { periodInstants } from '../../../middleware/src/domain/lifecycle/fiscal.js';
import { generateHistory } from '../../../middleware/src/domain/lifecycle/history-generator.js';
import { DEFAULT_STAGES } from './default-stages.js';

const SETTINGS: ForecastSettings = {
  zone: 'Europe/Berlin',
  fiscal: { startMonth: 4, yearBasedOn: 'ending' },
  currency: { corporate: 'USD', rates: { EUR: '1.08', GBP: '1.27' } },
  band: { trials: 2000 },
};
const AS_OF = '2026-12-15T09:00:00Z';
const history = generateHistory({
  stages: DEFAULT_STAGES,
  end: '2026-12-14',
  seed: 21,
  registrationsPerQuarter: 120,
});

describe('backtestForecast', () => {
  const backtest = backtestForecast(history, 8, AS_OF, SETTINGS);

  it('tests the eight quarters before now', () => {
    expect(backtest.periods.map((period) => period.period.label)).toEqual([
      'FY2025-Q3',
      'FY2025-Q4',
      'FY2026-Q1',
      'FY2026-Q2',
      'FY2026-Q3',
      'FY2026-Q4',
      'FY2027-Q1',
      'FY2027-Q2',
    ]);
    const first = backtest.periods[0]!;
    expect(first.forecastAt).toBe(
      periodInstants(first.period, 'Europe/Berlin').start,
    );
  });

  it('compares with the deals won in the quarter', () => {
    const period = backtest.periods[5]!;
    const bounds = periodInstants(period.period, SETTINGS.zone);
    const rates: Record<string, string> = {
      USD: '1',
      EUR: '1.08',
      GBP: '1.27',
    };
    let actual = new Decimal(0);
    let count = 0;
    for (const deal of history.deals) {
      if (
        deal.closeDate! < period.period.start ||
        deal.closeDate! > period.period.end
      )
        continue;
      const moves = history.transitions
        .filter((transition) => transition.dealId === deal.id)
        .sort((a, b) => a.at.localeCompare(b.at));
      const before = moves.filter((move) => move.at < bounds.start);
      const stage = before[before.length - 1]?.toStage;
      if (!stage || stage.startsWith('Closed')) continue;
      count++;
      const won = moves.some(
        (move) =>
          move.toStage === 'Closed_Attributed' &&
          move.at >= bounds.start &&
          move.at < bounds.end,
      );
      if (won) {
        actual = actual.plus(
          new Decimal(deal.amount!)
            .times(rates[deal.currencyIsoCode]!)
            .toDecimalPlaces(2),
        );
      }
    }
    expect(count).toBeGreaterThan(0);
    expect(period.dealCount).toBe(count);
    expect(period.actual).toBe(actual.toFixed(2));
  });

  it('hits the band in most quarters', () => {
    expect(backtest.overall.periods).toBe(8);
    expect(backtest.overall.hitRate).toBeGreaterThanOrEqual(0.5);
    expect(backtest.overall.meanAbsolutePercentageError).not.toBeNull();
  });

  it('reports every partner', () => {
    expect(backtest.byPartner.map((entry) => entry.partnerAccountId)).toEqual(
      history.partners.map((partner) => partner.id).sort(),
    );
    for (const period of backtest.periods) {
      const total = period.partners.reduce(
        (sum, partner) => sum.plus(partner.actual),
        new Decimal(0),
      );
      expect(total.toFixed(2)).toBe(period.actual);
    }
  });

  it('uses nothing after the forecast date', () => {
    const period = backtest.periods[3]!;
    const cut = period.forecastAt;
    // Moves after the forecast date that are not outcomes of the quarter's
    // candidates are dropped; the forecast must not change.
    const trimmed = backtestForecast(
      {
        ...history,
        transitions: history.transitions.filter(
          (transition) => transition.at < cut || transition.at >= '2026-01-01',
        ),
      },
      8,
      AS_OF,
      SETTINGS,
    ).periods[3]!;
    expect(trimmed.expected).toBe(period.expected);
    expect(trimmed.band).toEqual(period.band);
  });

  it('rejects a bad number of periods', () => {
    expect(() => backtestForecast(history, 0, AS_OF, SETTINGS)).toThrow(
      /Backtest periods 0/,
    );
  });
});

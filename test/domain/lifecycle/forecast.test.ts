import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { forecastPeriod } from '../../../middleware/src/domain/lifecycle/forecast.js';
import type { ForecastSettings } from '../../../middleware/src/domain/lifecycle/forecast.js';
import { generateHistory } from '../../../middleware/src/domain/lifecycle/history-generator.js';
import { simulateBand } from '../../../middleware/src/domain/lifecycle/outcome-band.js';
import { createRandom } from '../../../middleware/src/domain/lifecycle/random.js';
import { buildStageCatalog } from '../../../middleware/src/domain/lifecycle/stage-catalog.js';
import type { LifecycleDeal } from '../../../middleware/src/domain/lifecycle/types.js';
import { calibrateWinRates } from '../../../middleware/src/domain/lifecycle/win-rates.js';
import { DEFAULT_STAGES } from './default-stages.js';

const SETTINGS: ForecastSettings = {
  zone: 'America/New_York',
  fiscal: { startMonth: 1, yearBasedOn: 'ending' },
  currency: { corporate: 'USD', rates: { EUR: '1.08', GBP: '1.27' } },
};
const OPEN_STAGES = [
  'Registered',
  'Jointly_Qualified',
  'Validating',
  'Negotiating',
];
const AS_OF = '2026-12-31T12:00:00Z';

function openDeal(
  id: string,
  stage: string,
  amount: string,
  currencyIsoCode = 'USD',
  closeDate = '2027-02-15',
): LifecycleDeal {
  return {
    id,
    name: `Deal ${id}`,
    partnerAccountId: 'P1',
    model: 'Default',
    stage,
    stageEnteredAt: '2026-12-01T00:00:00Z',
    amount,
    currencyIsoCode,
    closeDate,
  };
}

describe('forecastPeriod', () => {
  it('converts and totals by category', () => {
    const deals = [
      openDeal('a', 'Registered', '1000.10'),
      openDeal('b', 'Validating', '2000', 'EUR'),
      openDeal('c', 'Negotiating', '333.33', 'GBP'),
      openDeal('d', 'Closed_Attributed', '500', 'EUR'),
      openDeal('e', 'Closed_Lost', '900'),
      openDeal('f', 'Negotiating', '999', 'USD', '2027-04-01'),
      { ...openDeal('g', 'Negotiating', '1'), amount: null },
      openDeal('h', 'Unknown_Stage', '1'),
    ];
    const forecast = forecastPeriod(
      { stages: DEFAULT_STAGES, deals, transitions: [] },
      'FY2027-Q1',
      AS_OF,
      SETTINGS,
    );
    expect(forecast.period.start).toBe('2027-01-01');
    expect(forecast.dealCount).toBe(3);
    // 1000.10 + 2000 * 1.08 + 333.33 * 1.27 = 1000.10 + 2160.00 + 423.33
    expect(forecast.openAmount).toBe('3583.43');
    expect(forecast.wonAmount).toBe('540.00');
    // Without history every probability is the configured one.
    // 540 + 1000.10 * 0.10 + 2160 * 0.50 + 423.33 * 0.75 = 540 + 100.01 + 1080 + 317.50 (half up)
    expect(forecast.expected).toBe('2037.51');
    expect(forecast.commit).toBe('963.33');
    expect(forecast.bestCase).toBe('3123.33');
    expect(forecast.byCategory).toContainEqual({
      category: 'Pipeline',
      dealCount: 1,
      amount: '1000.10',
    });
    expect(forecast.skipped).toEqual({ unknownStage: 1, noAmount: 1 });
    expect(forecast.stages.map((line) => line.stage)).toEqual([
      'Registered',
      'Validating',
      'Negotiating',
    ]);
  });

  it('orders the band around the expected amount', () => {
    const deals = Array.from({ length: 200 }, (_, index) =>
      openDeal(`d${index}`, OPEN_STAGES[index % 4]!, String(1000 + index * 37)),
    );
    const forecast = forecastPeriod(
      { stages: DEFAULT_STAGES, deals, transitions: [] },
      'FY2027-Q1',
      AS_OF,
      SETTINGS,
    );
    const p10 = new Decimal(forecast.band.p10);
    const p50 = new Decimal(forecast.band.p50);
    const p90 = new Decimal(forecast.band.p90);
    expect(p10.lt(p50)).toBe(true);
    expect(p50.lt(p90)).toBe(true);
    expect(
      new Decimal(forecast.expected).minus(p50).abs().lt(p90.minus(p10).div(4)),
    ).toBe(true);
  });

  it('repeats the band for the same seed', () => {
    const data = {
      stages: DEFAULT_STAGES,
      deals: [
        openDeal('a', 'Validating', '1000'),
        openDeal('b', 'Registered', '2000'),
      ],
      transitions: [],
    };
    const first = forecastPeriod(data, 'FY2027-Q1', AS_OF, {
      ...SETTINGS,
      band: { seed: 5 },
    });
    const second = forecastPeriod(data, 'FY2027-Q1', AS_OF, {
      ...SETTINGS,
      band: { seed: 5 },
    });
    expect(second.band).toEqual(first.band);
  });

  it('names a missing exchange rate', () => {
    expect(() =>
      forecastPeriod(
        {
          stages: DEFAULT_STAGES,
          deals: [openDeal('a', 'Validating', '1', 'JPY')],
          transitions: [],
        },
        'FY2027-Q1',
        AS_OF,
        SETTINGS,
      ),
    ).toThrow('No exchange rate for JPY to USD.');
  });

  it('rejects bad band settings', () => {
    const data = { stages: DEFAULT_STAGES, deals: [], transitions: [] };
    expect(() =>
      forecastPeriod(data, 'FY2027-Q1', AS_OF, {
        ...SETTINGS,
        band: { heavyDeals: -1 },
      }),
    ).toThrow(/heavyDeals -1/);
    expect(() =>
      forecastPeriod(data, 'FY2027-Q1', AS_OF, {
        ...SETTINGS,
        band: { trials: 10 },
      }),
    ).toThrow(/Band trials 10/);
  });

  it('rejects a bad close date', () => {
    expect(() =>
      forecastPeriod(
        {
          stages: DEFAULT_STAGES,
          deals: [openDeal('a', 'Validating', '1', 'USD', '15/02/2027')],
          transitions: [],
        },
        'FY2027-Q1',
        AS_OF,
        SETTINGS,
      ),
    ).toThrow(/CloseDate "15\/02\/2027"/);
  });
});

describe('calibrateWinRates', () => {
  const catalog = buildStageCatalog(DEFAULT_STAGES);

  it('keeps the configured rate without history', () => {
    const { rates } = calibrateWinRates([], () => 'Default', catalog);
    const model = rates.get('Default')!;
    expect(model.get('Registered')!.probability).toBeCloseTo(0.1, 10);
    expect(model.get('Validating')!.probability).toBeCloseTo(0.5, 10);
    expect(model.get('Negotiating')!.probability).toBeCloseTo(0.75, 10);
  });

  it('shrinks thin history toward the configured rate', () => {
    const transitions = [1, 2, 3, 4].flatMap((n) => [
      {
        dealId: `d${n}`,
        fromStage: null,
        toStage: 'Registered',
        at: '2026-01-01T00:00:00Z',
      },
      {
        dealId: `d${n}`,
        fromStage: 'Registered',
        toStage: 'Closed_Attributed',
        at: '2026-02-01T00:00:00Z',
      },
    ]);
    const { rates, movesUsed } = calibrateWinRates(
      transitions,
      () => 'Default',
      catalog,
    );
    const negotiating = rates.get('Default')!.get('Negotiating')!;
    expect(movesUsed).toBe(4);
    // Skipping to won is a step forward for every open stage.
    expect(negotiating.forward).toBe(4);
    expect(negotiating.lost).toBe(0);
    // (4 + 20 * 0.75) / (4 + 20)
    expect(negotiating.probability).toBeCloseTo(19 / 24, 10);
    // Steps with priors 0.4, 0.5, 2/3 and 0.75, each after 4 forward moves.
    const registered = rates.get('Default')!.get('Registered')!;
    const expected = (12 / 24) * (14 / 24) * ((4 + 40 / 3) / 24) * (19 / 24);
    expect(registered.probability).toBeCloseTo(expected, 10);
  });

  it('counts moves to lost as failed steps', () => {
    const transitions = [
      {
        dealId: 'd',
        fromStage: 'Validating',
        toStage: 'Closed_Lost',
        at: '2026-01-01T00:00:00Z',
      },
      {
        dealId: 'e',
        fromStage: 'Validating',
        toStage: 'Jointly_Qualified',
        at: '2026-01-01T00:00:00Z',
      },
    ];
    const { rates, movesUsed } = calibrateWinRates(
      transitions,
      () => 'Default',
      catalog,
    );
    const validating = rates.get('Default')!.get('Validating')!;
    expect(movesUsed).toBe(1);
    expect(validating.lost).toBe(1);
    expect(validating.forward).toBe(0);
  });

  it('ignores transitions after the cut-off', () => {
    const transitions = [
      {
        dealId: 'd',
        fromStage: null,
        toStage: 'Registered',
        at: '2026-01-01T00:00:00Z',
      },
      {
        dealId: 'd',
        fromStage: 'Registered',
        toStage: 'Closed_Lost',
        at: '2026-03-01T00:00:00Z',
      },
    ];
    const before = calibrateWinRates(transitions, () => 'Default', catalog, {
      before: '2026-02-01T00:00:00Z',
    });
    expect(before.movesUsed).toBe(0);
    const after = calibrateWinRates(transitions, () => 'Default', catalog);
    expect(after.movesUsed).toBe(1);
  });

  it('skips deals of an unknown model', () => {
    const result = calibrateWinRates(
      [
        {
          dealId: 'd',
          fromStage: 'Registered',
          toStage: 'Closed_Lost',
          at: '2026-01-01T00:00:00Z',
        },
      ],
      () => undefined,
      catalog,
    );
    expect(result.movesSkipped).toBe(1);
  });

  it('recovers the true rates from a long history', () => {
    const history = generateHistory({
      stages: DEFAULT_STAGES,
      end: '2026-12-31',
      seed: 11,
      registrationsPerQuarter: 500,
    });
    const models = new Map(history.deals.map((deal) => [deal.id, deal.model]));
    const { rates } = calibrateWinRates(
      history.transitions,
      (id) => models.get(id),
      catalog,
    );
    for (const stage of OPEN_STAGES) {
      const rate = rates.get('Default')!.get(stage)!;
      expect(rate.forward + rate.lost).toBeGreaterThan(300);
      expect(
        Math.abs(rate.probability - history.truth.winRate[stage]!),
      ).toBeLessThan(0.05);
    }
  });
});

describe('forecast band coverage', () => {
  it('covers the true outcome about 80% of the time', () => {
    const trials = 150;
    let hits = 0;
    for (let trial = 0; trial < trials; trial++) {
      const history = generateHistory({
        stages: DEFAULT_STAGES,
        end: '2026-12-31',
        seed: 1000 + trial,
        quarters: 8,
        registrationsPerQuarter: 50,
      });
      const random = createRandom(5000 + trial);
      const pipeline = Array.from({ length: 40 }, (_, index) =>
        openDeal(
          `open${index}`,
          OPEN_STAGES[random.integer(4)]!,
          String(Math.round(40_000 * Math.exp(0.9 * random.normal()))),
          'USD',
          '2028-02-15',
        ),
      );
      const forecast = forecastPeriod(
        {
          stages: DEFAULT_STAGES,
          deals: [...history.deals, ...pipeline],
          transitions: history.transitions,
        },
        'FY2028-Q1',
        AS_OF,
        { ...SETTINGS, band: { trials: 1000, seed: trial + 1 } },
      );
      let outcome = new Decimal(0);
      for (const deal of pipeline) {
        if (random.next() < history.truth.winRate[deal.stage!]!)
          outcome = outcome.plus(deal.amount!);
      }
      if (outcome.gte(forecast.band.p10) && outcome.lte(forecast.band.p90))
        hits++;
    }
    const rate = hits / trials;
    expect(rate).toBeGreaterThanOrEqual(0.7);
    expect(rate).toBeLessThanOrEqual(0.9);
  });
});

describe('simulateBand', () => {
  it('matches the all-drawn band with a normal remainder', () => {
    const random = createRandom(3);
    const count = 3000;
    const units = Float64Array.from({ length: count }, () =>
      Math.round(1e6 * Math.exp(random.normal())),
    );
    const groupOf = Int32Array.from({ length: count }, (_, index) => index % 3);
    const steps = [
      { alpha: 20, beta: 80 },
      { alpha: 50, beta: 50 },
      { alpha: 75, beta: 25 },
    ];
    const groups = [{ steps: [0] }, { steps: [1] }, { steps: [1, 2] }];
    const exact = simulateBand(units, groupOf, groups, steps, {
      heavyDeals: count,
      trials: 4000,
      seed: 9,
    });
    const mixed = simulateBand(units, groupOf, groups, steps, {
      heavyDeals: 32,
      trials: 4000,
      seed: 9,
    });
    for (const key of ['p10', 'p50', 'p90'] as const) {
      expect(Math.abs(mixed[key] - exact[key]) / exact[key]).toBeLessThan(0.02);
    }
    expect(mixed.mean).toBe(exact.mean);
  });

  it('keeps one large deal lumpy', () => {
    const band = simulateBand(
      Float64Array.of(1_000_000),
      Int32Array.of(0),
      [{ steps: [0] }],
      [{ alpha: 50, beta: 50 }],
      { seed: 4 },
    );
    expect(band.p10).toBe(0);
    expect(band.p90).toBe(1_000_000);
  });

  it('handles a hundred thousand deals', () => {
    const count = 100_000;
    const units = new Float64Array(count).fill(10_000);
    const groupOf = new Int32Array(count);
    const band = simulateBand(
      units,
      groupOf,
      [{ steps: [0] }],
      [{ alpha: 2500, beta: 7500 }],
      { trials: 1000, parameterUncertainty: false },
    );
    // Mean 0.25 * 1e9; standard deviation 1e4 * sqrt(1e5 * 0.25 * 0.75) = 1.37e6.
    expect(band.mean).toBe(250_000_000);
    expect(band.p50).toBeGreaterThan(249_000_000);
    expect(band.p50).toBeLessThan(251_000_000);
    expect(band.p90 - band.p10).toBeGreaterThan(2 * 1.2816 * 1.37e6 * 0.9);
    expect(band.p90 - band.p10).toBeLessThan(2 * 1.2816 * 1.37e6 * 1.1);
  });
});

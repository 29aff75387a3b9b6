import { describe, expect, it } from '@jest/globals';
import type { Backtest } from '../../../middleware/src/domain/lifecycle/backtest.js';
import { buildScorecards } from '../../../middleware/src/domain/lifecycle/scorecard.js';
import type {
  LifecycleDeal,
  LifecycleRegistration,
  LifecycleTransition,
} from '../../../middleware/src/domain/lifecycle/types.js';
import { DEFAULT_STAGES } from './default-stages.js';

function deal(
  id: string,
  stage: string,
  amount: string,
  currency: string,
): LifecycleDeal {
  return {
    id,
    name: id,
    partnerAccountId: 'A',
    model: 'Default',
    stage,
    stageEnteredAt: '2026-01-01T00:00:00Z',
    amount,
    currencyIsoCode: currency,
    closeDate: '2026-03-31',
  };
}

function moves(
  dealId: string,
  path: Array<[string, string]>,
): LifecycleTransition[] {
  let from: string | null = null;
  return path.map(([to, at]) => {
    const move = { dealId, fromStage: from, toStage: to, at, oneSided: false };
    from = to;
    return move;
  });
}

function registration(
  id: string,
  status: LifecycleRegistration['status'],
): LifecycleRegistration {
  return {
    id,
    name: id,
    partnerAccountId: 'A',
    customerCompany: 'Contoso',
    customerWebsite: null,
    customerCountry: null,
    productLine: 'Platform',
    amount: null,
    currencyIsoCode: 'USD',
    expectedCloseDate: null,
    status,
    submittedAt: '2026-01-01T00:00:00Z',
    decidedAt: null,
    expiresAt: null,
    opportunityId: null,
  };
}

const DEALS = [
  deal('d1', 'Closed_Attributed', '1000', 'EUR'),
  deal('d2', 'Closed_Lost', '500', 'USD'),
  deal('d3', 'Validating', '700', 'USD'),
];
// Days are calendar days in New York; 05:00Z is midnight or 01:00 there.
const TRANSITIONS = [
  ...moves('d1', [
    ['Registered', '2026-01-01T15:00:00Z'],
    ['Jointly_Qualified', '2026-01-06T15:00:00Z'],
    ['Validating', '2026-01-10T15:00:00Z'],
    ['Negotiating', '2026-01-20T15:00:00Z'],
    ['Closed_Attributed', '2026-02-01T15:00:00Z'],
  ]),
  ...moves('d2', [
    ['Registered', '2026-01-01T15:00:00Z'],
    ['Jointly_Qualified', '2026-01-03T15:00:00Z'],
    ['Closed_Lost', '2026-01-08T15:00:00Z'],
  ]),
  ...moves('d3', [
    ['Registered', '2026-01-02T04:30:00Z'],
    ['Jointly_Qualified', '2026-01-04T05:30:00Z'],
    ['Validating', '2026-01-09T15:00:00Z'],
  ]),
];
const BACKTEST = {
  byPartner: [
    {
      partnerAccountId: 'A',
      periods: 4,
      hitRate: 0.75,
      meanAbsoluteError: '100.00',
      meanAbsolutePercentageError: 12.5,
    },
  ],
} as unknown as Backtest;

describe('buildScorecards', () => {
  const cards = buildScorecards(
    {
      stages: DEFAULT_STAGES,
      deals: DEALS,
      transitions: TRANSITIONS,
      registrations: [
        registration('r1', 'Approved'),
        registration('r2', 'Converted'),
        registration('r3', 'Rejected'),
        registration('r4', 'Submitted'),
      ],
      dealPartners: [
        {
          dealId: 'd1',
          partnerAccountId: 'A',
          role: 'Sourcing',
          splitPercent: 70,
        },
        {
          dealId: 'd1',
          partnerAccountId: 'B',
          role: 'Influencing',
          splitPercent: '30',
        },
      ],
      partners: [
        { id: 'A', name: 'Apex Integration Partners' },
        { id: 'B', name: 'Bluewater Consulting' },
      ],
      backtest: BACKTEST,
    },
    {
      zone: 'America/New_York',
      currency: { corporate: 'USD', rates: { EUR: '1.08' } },
    },
  );
  const apex = cards.find((card) => card.partnerAccount.id === 'A')!;
  const bluewater = cards.find((card) => card.partnerAccount.id === 'B')!;

  it('counts registrations and approvals', () => {
    expect(apex.registrations).toEqual({
      total: 4,
      approved: 2,
      rejected: 1,
      expired: 0,
      pending: 1,
      approvalRate: 0.6667,
    });
  });

  it('converts stage to stage', () => {
    const rate = (stage: string) =>
      apex.conversions.find((conversion) => conversion.stage === stage)!;
    expect(rate('Registered')).toMatchObject({
      entered: 3,
      advanced: 3,
      stillIn: 0,
      rate: 1,
    });
    expect(rate('Jointly_Qualified')).toMatchObject({
      entered: 3,
      advanced: 2,
      rate: 0.6667,
    });
    expect(rate('Validating')).toMatchObject({
      entered: 2,
      advanced: 1,
      stillIn: 1,
      rate: 1,
    });
    expect(rate('Negotiating')).toMatchObject({
      entered: 1,
      advanced: 1,
      rate: 1,
    });
  });

  it('computes the win rate', () => {
    expect(apex.deals).toEqual({ open: 1, won: 1, lost: 1, winRate: 0.5 });
  });

  it('splits revenue by role', () => {
    expect(apex.sourcedRevenue).toBe('756.00');
    expect(apex.influencedRevenue).toBe('0.00');
    expect(bluewater.sourcedRevenue).toBe('0.00');
    expect(bluewater.influencedRevenue).toBe('324.00');
  });

  it('takes the median of calendar days', () => {
    const days = (stage: string) =>
      apex.medianDaysInStage.find((entry) => entry.stage === stage)!;
    // Registered stays: 5, 2 and 3 days; d3's is 23:30 on the 1st to 00:30
    // on the 4th in New York, which would be 2 days in UTC.
    expect(days('Registered')).toMatchObject({ medianDays: 3, stays: 3 });
    expect(days('Jointly_Qualified')).toMatchObject({
      medianDays: 5,
      stays: 3,
    });
    expect(days('Negotiating')).toMatchObject({ medianDays: 12, stays: 1 });
  });

  it('carries the backtest accuracy', () => {
    expect(apex.forecastAccuracy?.hitRate).toBe(0.75);
    expect(bluewater.forecastAccuracy).toBeNull();
  });
});

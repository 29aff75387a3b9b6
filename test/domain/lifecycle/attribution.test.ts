import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import {
  allocateAmount,
  buildAttributionSnapshot,
  validateAttribution,
} from '../../../middleware/src/domain/lifecycle/attribution.js';
import type { LifecycleDealPartner } from '../../../middleware/src/domain/lifecycle/types.js';

const DEAL = '006000000000001AAA';

function partner(
  partnerAccountId: string,
  role: LifecycleDealPartner['role'],
  splitPercent: LifecycleDealPartner['splitPercent'],
): LifecycleDealPartner {
  return { dealId: DEAL, partnerAccountId, role, splitPercent };
}

function codes(partners: LifecycleDealPartner[]): string[] {
  return validateAttribution(partners).map((problem) => problem.code);
}

describe('validateAttribution', () => {
  it('accepts one sourcing partner at 100', () => {
    expect(codes([partner('A', 'Sourcing', 100)])).toEqual([]);
  });

  it('accepts influencing partners only', () => {
    expect(
      codes([partner('A', 'Influencing', 50), partner('B', 'Influencing', 50)]),
    ).toEqual([]);
  });

  it('adds thirds exactly as decimals', () => {
    expect(
      codes([
        partner('A', 'Sourcing', '33.34'),
        partner('B', 'Influencing', '33.33'),
        partner('C', 'Influencing', 33.33),
      ]),
    ).toEqual([]);
  });

  it('accepts splits whose float sum misses 100', () => {
    // 0.01 + 65.4 + 34.59 is 100.00000000000001 in binary floating point.
    expect(
      codes([
        partner('A', 'Sourcing', 0.01),
        partner('B', 'Influencing', 65.4),
        partner('C', 'Influencing', '34.59'),
      ]),
    ).toEqual([]);
  });

  it('rejects splits adding up to 99.99', () => {
    expect(
      codes([
        partner('A', 'Sourcing', '33.33'),
        partner('B', 'Influencing', '33.33'),
        partner('C', 'Influencing', '33.33'),
      ]),
    ).toEqual(['split_total']);
  });

  it('rejects no partners', () => {
    expect(codes([])).toEqual(['no_partners']);
  });

  it('rejects two sourcing partners', () => {
    expect(
      codes([partner('A', 'Sourcing', 50), partner('B', 'Sourcing', 50)]),
    ).toEqual(['multiple_sourcing']);
  });

  it('rejects a partner listed twice', () => {
    const problems = validateAttribution([
      partner('A', 'Sourcing', 50),
      partner('A', 'Influencing', 50),
    ]);
    expect(problems.map((problem) => problem.code)).toEqual([
      'duplicate_partner',
    ]);
    expect(problems[0]!.partnerAccountId).toBe('A');
  });

  it.each([
    [0, 'split_out_of_range'],
    [-10, 'split_out_of_range'],
    [100.01, 'split_out_of_range'],
    ['abc', 'invalid_split'],
    [null, 'invalid_split'],
    ['', 'invalid_split'],
    ['10.005', 'invalid_split'],
    [Number.NaN, 'invalid_split'],
  ])('reports split %p as %s', (split, code) => {
    const found = codes([
      partner('A', 'Sourcing', split as string | number | null),
    ]);
    expect(found).toContain(code);
  });

  it('leaves out the total when a split is unreadable', () => {
    expect(
      codes([partner('A', 'Sourcing', 'x'), partner('B', 'Influencing', 10)]),
    ).toEqual(['invalid_split']);
  });

  it('rejects an unknown role', () => {
    const rows = [
      { ...partner('A', 'Sourcing', 100), role: 'Reseller' },
    ] as unknown as LifecycleDealPartner[];
    expect(codes(rows)).toEqual(['unknown_role']);
  });

  it('lists every problem at once', () => {
    expect(
      codes([
        partner('A', 'Sourcing', 80),
        partner('B', 'Sourcing', 30),
        partner('B', 'Influencing', 0),
      ]),
    ).toEqual([
      'multiple_sourcing',
      'duplicate_partner',
      'split_out_of_range',
      'split_total',
    ]);
  });
});

describe('allocateAmount', () => {
  it('makes shares add up to the amount', () => {
    const shares = allocateAmount(new Decimal('100.00'), [
      new Decimal('33.34'),
      new Decimal('33.33'),
      new Decimal('33.33'),
    ]);
    expect(shares.map((share) => share.toFixed(2))).toEqual([
      '33.34',
      '33.33',
      '33.33',
    ]);
  });

  it('gives the lost cent to the largest remainder', () => {
    const shares = allocateAmount(new Decimal('0.10'), [
      new Decimal('50'),
      new Decimal('25'),
      new Decimal('25'),
    ]);
    expect(shares.map((share) => share.toFixed(2))).toEqual([
      '0.05',
      '0.03',
      '0.02',
    ]);
    const total = shares.reduce(
      (sum, share) => sum.plus(share),
      new Decimal(0),
    );
    expect(total.toFixed(2)).toBe('0.10');
  });
});

describe('buildAttributionSnapshot', () => {
  it('records shares and problems', () => {
    const snapshot = buildAttributionSnapshot(
      { id: DEAL, amount: '1000', currencyIsoCode: 'EUR' },
      [partner('A', 'Sourcing', 70), partner('B', 'Influencing', '30')],
      '2026-05-01T12:00:00.000Z',
    );
    expect(snapshot).toEqual({
      dealId: DEAL,
      amount: '1000.00',
      currencyIsoCode: 'EUR',
      takenAt: '2026-05-01T12:00:00.000Z',
      partners: [
        {
          partnerAccountId: 'A',
          role: 'Sourcing',
          splitPercent: '70',
          amount: '700.00',
        },
        {
          partnerAccountId: 'B',
          role: 'Influencing',
          splitPercent: '30',
          amount: '300.00',
        },
      ],
      problems: [],
    });
  });

  it('keeps an invalid attribution with its problems', () => {
    const snapshot = buildAttributionSnapshot(
      { id: DEAL, amount: null, currencyIsoCode: 'USD' },
      [partner('A', 'Sourcing', 60)],
      '2026-05-01T12:00:00.000Z',
    );
    expect(snapshot.partners[0]!.amount).toBeNull();
    expect(snapshot.problems.map((problem) => problem.code)).toEqual([
      'split_total',
    ]);
  });

  it('rejects an unreadable amount', () => {
    expect(() =>
      buildAttributionSnapshot(
        { id: DEAL, amount: '12,000', currencyIsoCode: 'USD' },
        [partner('A', 'Sourcing', 100)],
        '2026-05-01T12:00:00.000Z',
      ),
    ).toThrow(/Amount "12,000" is not a decimal number/);
  });
});

import { describe, expect, it } from '@jest/globals';
import { validateAttribution } from '../../../middleware/src/domain/lifecycle/attribution.js';
import {
  generateHistory,
  syntheticId,
} from '../../../middleware/src/domain/lifecycle/history-generator.js';
import { DEFAULT_STAGES } from './default-stages.js';

describe('generateHistory', () => {
  const history = generateHistory({
    stages: DEFAULT_STAGES,
    end: '2026-06-30',
    seed: 3,
  });
  const closed = history.deals.filter((deal) =>
    deal.stage!.startsWith('Closed'),
  );

  it('covers ten quarters with hundreds of closed deals', () => {
    expect(history.start).toBe('2024-01-03');
    expect(closed.length).toBeGreaterThan(500);
    expect(history.partners).toHaveLength(6);
    expect(
      new Set(history.deals.map((deal) => deal.partnerAccountId)).size,
    ).toBe(6);
  });

  it('repeats for the same seed', () => {
    const again = generateHistory({
      stages: DEFAULT_STAGES,
      end: '2026-06-30',
      seed: 3,
    });
    expect(again.transitions).toEqual(history.transitions);
    const other = generateHistory({
      stages: DEFAULT_STAGES,
      end: '2026-06-30',
      seed: 4,
    });
    expect(other.transitions).not.toEqual(history.transitions);
  });

  it('states the true win rates', () => {
    const { advanceProbability, winRate } = history.truth;
    expect(winRate['Negotiating']).toBeCloseTo(
      advanceProbability['Negotiating']!,
      12,
    );
    expect(winRate['Registered']).toBeCloseTo(
      advanceProbability['Registered']! * winRate['Jointly_Qualified']!,
      12,
    );
  });

  it('ends each deal in its last move', () => {
    const last = new Map<
      string,
      { toStage: string; at: string; version: number }
    >();
    for (const move of history.transitions) last.set(move.dealId, move);
    for (const deal of history.deals) {
      const move = last.get(deal.id)!;
      expect(deal.stage).toBe(move.toStage);
      expect(deal.stageEnteredAt).toBe(move.at);
      expect(deal.version).toBe(move.version);
      expect(move.at < '2026-07-01').toBe(true);
    }
  });

  it('links registrations and valid splits', () => {
    const deals = new Set(history.deals.map((deal) => deal.id));
    for (const registration of history.registrations) {
      if (registration.opportunityId !== null) {
        expect(deals.has(registration.opportunityId)).toBe(true);
      }
    }
    for (const deal of history.deals) {
      const rows = history.dealPartners.filter((row) => row.dealId === deal.id);
      expect(validateAttribution(rows)).toEqual([]);
    }
  });
});

describe('syntheticId', () => {
  it('adds the case checksum', () => {
    expect(syntheticId('001', 1)).toBe('001000000000001AAA');
    expect(syntheticId('006', 61)).toMatch(/^00600000000000zAA[A-Z0-5]$/);
    expect(syntheticId('a0R', 1)).toBe('a0R000000000001EAA');
  });
});

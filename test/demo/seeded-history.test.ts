import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CosellContext } from '../../middleware/src/app/cosell-context.js';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import { seedDemo } from '../../middleware/src/demo/seed-demo.js';
import type { DemoSummary } from '../../middleware/src/demo/seed-demo.js';
import { evaluateMove } from '../../middleware/src/domain/evaluation.js';
import type { CriterionResult } from '../../middleware/src/domain/evaluation.js';
import type { RecordData } from '../../middleware/src/domain/records.js';
import type { LoadedModel } from '../../middleware/src/domain/stage-model.js';
import { createLogger } from '../../middleware/src/logger.js';
import { openTempStore } from '../helpers/local-store.js';
import type { TempStore } from '../helpers/local-store.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A fixed clock, so "not in the future" means after this instant. */
const NOW = new Date('2026-06-15T12:00:00.000Z');

let store: TempStore;
let ctx: CosellContext;
let model: LoadedModel;
let transitions: RecordData[];
let deals: Map<string, RecordData>;
let movesByDeal: Map<string, RecordData[]>;
let summary: DemoSummary;

beforeAll(async () => {
  store = await openTempStore({ now: () => NOW });
  ctx = await createCosellContext(store.gateway, {
    timeZone: 'UTC',
    logger: createLogger('silent'),
    now: () => NOW,
  });
  summary = await seedDemo(ctx, store.gateway);
  model = ctx.models.get('Default')!;
  transitions = await store.gateway.queryRecords('Stage_Transition__c');
  const opportunities = await store.gateway.queryRecords('Opportunity');
  deals = new Map(opportunities.map((deal) => [String(deal.Id), deal]));
  movesByDeal = new Map();
  for (const transition of transitions) {
    const dealId = String(transition['Opportunity__c']);
    movesByDeal.set(dealId, [...(movesByDeal.get(dealId) ?? []), transition]);
  }
  for (const moves of movesByDeal.values()) {
    moves.sort((a, b) => Number(a['Version__c']) - Number(b['Version__c']));
  }
}, 120_000);

afterAll(async () => {
  await store?.cleanup();
});

describe('demo summary', () => {
  it('counts the open deals seeded', () => {
    const open = [...deals.values()].filter(
      (deal) => deal['IsClosed'] !== true,
    );
    expect(open.length).toBeGreaterThan(0);
    expect(summary.openDeals).toBe(open.length);
  });
});

/** Lists each date or date-time value the results read that is after `at`. */
function datesAfter(results: CriterionResult[], at: string): string[] {
  const late: string[] = [];
  for (const result of results) {
    for (const read of result.evidence) {
      if (typeof read.value !== 'string') continue;
      const after = DATE.test(read.value)
        ? read.value > at.slice(0, 10)
        : DATE_TIME.test(read.value) && Date.parse(read.value) > Date.parse(at);
      if (after) late.push(`${read.path}=${read.value}`);
    }
  }
  return late;
}

/** Describes a transition for a failure message. */
function describeMove(transition: RecordData): string {
  return (
    `${String(transition['Opportunity__c'])} ` +
    `${String(transition['From_Stage__c'])} -> ${String(transition['To_Stage__c'])} ` +
    `at ${String(transition['Transitioned_At__c'])}`
  );
}

describe('seeded demo history', () => {
  it('seeds moves for the demo and history deals', () => {
    expect(transitions.length).toBeGreaterThan(1000);
    expect(deals.size).toBeGreaterThan(500);
  });

  it('stores no evidence dated after its move', () => {
    const late: string[] = [];
    let withEvidence = 0;
    for (const transition of transitions) {
      const snapshot = JSON.parse(
        String(transition['Evidence_Snapshot__c'] ?? '[]'),
      ) as CriterionResult[];
      if (snapshot.length > 0) withEvidence += 1;
      const at = String(transition['Transitioned_At__c']);
      for (const value of datesAfter(snapshot, at)) {
        late.push(`${describeMove(transition)}: ${value}`);
      }
    }
    expect(withEvidence).toBeGreaterThan(50);
    expect(late).toEqual([]);
  });

  it('keeps current deal dates before the moves that read them', async () => {
    const late: string[] = [];
    for (const [dealId, moves] of movesByDeal) {
      const read = await ctx.gateway.readDealContext({
        dealId,
        actingUserId: '005000000000010AAA',
        plan: ctx.plan,
      });
      expect(read.deal).not.toBeNull();
      for (const move of moves) {
        const from = model.stageByValue.get(String(move['From_Stage__c']));
        const to = model.stageByValue.get(String(move['To_Stage__c']))!;
        const at = String(move['Transitioned_At__c']);
        const results = evaluateMove(model, from ?? null, to, read.deal!, {
          now: new Date(at),
          timeZone: 'UTC',
        });
        for (const value of datesAfter(results, at)) {
          late.push(`${describeMove(move)}: ${value}`);
        }
      }
    }
    expect(late).toEqual([]);
  });

  it("orders each deal's moves in the past", () => {
    const problems: string[] = [];
    for (const [dealId, moves] of movesByDeal) {
      let previous: RecordData | null = null;
      for (const [index, move] of moves.entries()) {
        const at = String(move['Transitioned_At__c']);
        if (Number(move['Version__c']) !== index + 1) {
          problems.push(`${describeMove(move)}: version ${move['Version__c']}`);
        }
        if (Date.parse(at) > NOW.getTime()) {
          problems.push(`${describeMove(move)}: in the future`);
        }
        if (previous) {
          if (at < String(previous['Transitioned_At__c'])) {
            problems.push(`${describeMove(move)}: before the previous move`);
          }
          if (move['From_Stage__c'] !== previous['To_Stage__c']) {
            problems.push(`${describeMove(move)}: not from the previous stage`);
          }
        }
        previous = move;
      }
      const deal = deals.get(dealId)!;
      const last = moves.at(-1)!;
      if (deal['Cosell_Stage__c'] !== last['To_Stage__c']) {
        problems.push(`${dealId}: stage ${String(deal['Cosell_Stage__c'])}`);
      }
      if (deal['Cosell_Stage_Entered_At__c'] !== last['Transitioned_At__c']) {
        problems.push(
          `${dealId}: entered at ${String(deal['Cosell_Stage_Entered_At__c'])}`,
        );
      }
      if (Number(deal['Cosell_Stage_Version__c']) !== moves.length) {
        problems.push(
          `${dealId}: version ${String(deal['Cosell_Stage_Version__c'])}`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('dates confirmations within the stage they belong to', async () => {
    const leftAt = (dealId: string, stage: string) =>
      movesByDeal
        .get(dealId)
        ?.find((move) => move['From_Stage__c'] === stage)?.[
        'Transitioned_At__c'
      ] as string | undefined;
    const problems: string[] = [];
    let checked = 0;
    for (const [dealId, deal] of deals) {
      const confirmedAt = deal['Customer_Evaluation_Confirmed_At__c'];
      if (typeof confirmedAt !== 'string') continue;
      checked += 1;
      const end = leftAt(dealId, 'Validating') ?? NOW.toISOString();
      if (Date.parse(confirmedAt) > Date.parse(end)) {
        problems.push(`${dealId}: customer confirmed at ${confirmedAt}`);
      }
    }
    const qualifications = await store.gateway.queryRecords(
      'Joint_Qualification__c',
    );
    for (const qualification of qualifications) {
      const dealId = String(qualification['Opportunity__c']);
      const end = leftAt(dealId, 'Jointly_Qualified') ?? NOW.toISOString();
      for (const field of [
        'Vendor_Confirmed_At__c',
        'Partner_Confirmed_At__c',
      ]) {
        const value = qualification[field];
        if (typeof value !== 'string') continue;
        checked += 1;
        if (Date.parse(value) > Date.parse(end)) {
          problems.push(`${dealId}: ${field}=${value} after ${end}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });

  it('dates each registration decision after its submission', async () => {
    const registrations = await store.gateway.queryRecords(
      'Deal_Registration__c',
    );
    const decided = registrations.filter(
      (registration) => typeof registration['Decided_At__c'] === 'string',
    );
    const early = decided
      .filter(
        (registration) =>
          Date.parse(String(registration['Decided_At__c'])) <
          Date.parse(String(registration['CreatedDate'])),
      )
      .map(
        (registration) =>
          `${String(registration['Name'])}: submitted ${String(registration['CreatedDate'])}, decided ${String(registration['Decided_At__c'])}`,
      );
    expect(decided.length).toBeGreaterThan(50);
    expect(early).toEqual([]);
  });
});

/**
 * The default model's criteria encoded for json-rules-engine 7.3, the peer in the
 * criteria benchmark: every aggregate is computed beforehand into a fact, so the
 * engine only compares facts with values, in rules in the order of
 * DEFAULT_CRITERIA.
 */
import { Decimal } from 'decimal.js';
import { Engine, type RuleProperties } from 'json-rules-engine';
import type { RecordData } from '../../middleware/src/domain/records.js';

type Children = Array<Record<string, unknown>>;
const children = (deal: RecordData, relationship: string) =>
  deal[relationship] as unknown as Children;
const filled = (value: unknown) => value !== null && value !== '';
const countWhere = (
  list: Children,
  test: (child: Record<string, unknown>) => boolean,
) => list.filter(test).length;

/** Computes the facts json-rules-engine gets: the deal's fields and every aggregate. */
export function factsOf(deal: RecordData): Record<string, unknown> {
  const approvals = children(deal, 'Deal_Approvals__r');
  const partners = children(deal, 'Deal_Partners__r');
  const hasAccount = (parent: unknown) =>
    filled((parent as RecordData | null)?.AccountId ?? null);
  return {
    approvedClearRegistrations: countWhere(
      children(deal, 'Deal_Registrations__r'),
      (r) =>
        (r.Status__c === 'Approved' || r.Status__c === 'Converted') &&
        r.Conflict_Status__c === 'Clear',
    ),
    vendorOwner: deal.Vendor_Owner__c,
    partnerOwner: deal.Partner_Owner__c,
    completeQualifications: countWhere(
      children(deal, 'Joint_Qualifications__r'),
      (q) =>
        filled(q.Need__c) &&
        filled(q.Budget__c) &&
        filled(q.Reason_To_Act__c) &&
        filled(q.Joint_Value__c),
    ),
    confirmedQualifications: countWhere(
      children(deal, 'Joint_Qualifications__r'),
      (q) =>
        filled(q.Vendor_Confirmed_By__c) && filled(q.Partner_Confirmed_By__c),
    ),
    customerEvaluationConfirmedAt: deal.Customer_Evaluation_Confirmed_At__c,
    customerSteps: countWhere(
      children(deal, 'Close_Plan_Steps__r'),
      (s) => s.Owner_Side__c === 'Customer',
    ),
    approvalCount: approvals.length,
    approvalsHandedAcross: approvals.every(
      (a) =>
        filled(a.Owner__c) &&
        filled(a.Handoff_Counterpart__c) &&
        hasAccount(a.Owner__r) !== hasAccount(a.Handoff_Counterpart__r),
    ),
    isWon: deal.IsWon,
    sourcingPartners: countWhere(partners, (p) => p.Role__c === 'Sourcing'),
    splitTotal: partners
      .reduce(
        (sum, p) => sum.plus((p.Split_Percent__c as number | null) ?? 0),
        new Decimal(0),
      )
      .toNumber(),
    closedLostReason: deal.Closed_Lost_Reason__c ?? '',
  };
}

const fact = (name: string, operator: string, value: unknown) => ({
  fact: name,
  operator,
  value,
});

/** The twelve criteria as the conditions of json-rules-engine rules. */
const PEER_CONDITIONS = [
  [fact('approvedClearRegistrations', 'greaterThanInclusive', 1)],
  [
    fact('vendorOwner', 'notEqual', null),
    fact('partnerOwner', 'notEqual', null),
  ],
  [fact('completeQualifications', 'greaterThanInclusive', 1)],
  [fact('confirmedQualifications', 'greaterThanInclusive', 1)],
  [fact('customerEvaluationConfirmedAt', 'notEqual', null)],
  [fact('customerSteps', 'greaterThanInclusive', 1)],
  [fact('approvalCount', 'greaterThanInclusive', 1)],
  [fact('approvalsHandedAcross', 'equal', true)],
  [fact('isWon', 'equal', true)],
  [fact('sourcingPartners', 'lessThanInclusive', 1)],
  [fact('splitTotal', 'equal', 100)],
  [fact('closedLostReason', 'notEqual', '')],
];

export function peerEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false });
  PEER_CONDITIONS.forEach((all, index) => {
    const rule: RuleProperties = {
      conditions: { all },
      event: { type: 'met', params: { index } },
    };
    engine.addRule(rule);
  });
  return engine;
}

/** Runs the engine on each deal's facts; returns how many deals met each rule. */
export async function runPeer(
  engine: Engine,
  facts: Array<Record<string, unknown>>,
): Promise<number[]> {
  const met = PEER_CONDITIONS.map(() => 0);
  for (const dealFacts of facts) {
    const { events } = await engine.run(dealFacts);
    for (const event of events) met[event.params!.index as number]!++;
  }
  return met;
}

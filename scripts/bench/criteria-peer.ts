/**
 * The default model's criteria encoded for json-rules-engine 7.3, the peer in the
 * criteria benchmark: every aggregate is computed beforehand into a fact, so the
 * engine only compares facts with values, in one rule per criterion in the order
 * the benchmark read them.
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

/** Returns whether a qualification records all four content fields. */
const contentComplete = (q: Record<string, unknown>) =>
  filled(q.Need__c) &&
  filled(q.Budget__c) &&
  filled(q.Reason_To_Act__c) &&
  filled(q.Joint_Value__c);

/** Returns the AccountId of a user lookup, or null for a vendor user or no user. */
const accountOf = (user: unknown) =>
  ((user as RecordData | null)?.AccountId ?? null) as string | null;

/**
 * Returns whether an approval is handed between a vendor user (no account) and a
 * user of the deal's partner account, in either direction.
 */
function handedToDealPartner(approval: Record<string, unknown>): boolean {
  const partnerAccount = (approval.Opportunity__r as RecordData | null)
    ?.Partner_Account__c;
  if (!filled(approval.Owner__c) || !filled(approval.Handoff_Counterpart__c)) {
    return false;
  }
  if (!filled(partnerAccount ?? null)) return false;
  const ownerAccount = accountOf(approval.Owner__r);
  const counterpartAccount = accountOf(approval.Handoff_Counterpart__r);
  const vendorToPartner =
    !filled(ownerAccount) && counterpartAccount === partnerAccount;
  const partnerToVendor =
    !filled(counterpartAccount) && ownerAccount === partnerAccount;
  return vendorToPartner || partnerToVendor;
}

/** Computes the facts json-rules-engine gets: the deal's fields and every aggregate. */
export function factsOf(deal: RecordData): Record<string, unknown> {
  const qualifications = children(deal, 'Joint_Qualifications__r');
  const partners = children(deal, 'Deal_Partners__r');
  const approvals = children(deal, 'Deal_Approvals__r');
  return {
    approvedClearRegistrations: countWhere(
      children(deal, 'Deal_Registrations__r'),
      (r) =>
        (r.Status__c === 'Approved' || r.Status__c === 'Converted') &&
        r.Conflict_Status__c === 'Clear',
    ),
    vendorOwner: deal.Vendor_Owner__c,
    partnerOwner: deal.Partner_Owner__c,
    completeQualifications: countWhere(qualifications, contentComplete),
    completeConfirmedQualifications: countWhere(
      qualifications,
      (q) =>
        contentComplete(q) &&
        filled(q.Vendor_Confirmed_By__c) &&
        filled(q.Partner_Confirmed_By__c),
    ),
    customerEvaluationConfirmedAt: deal.Customer_Evaluation_Confirmed_At__c,
    customerSteps: countWhere(
      children(deal, 'Close_Plan_Steps__r'),
      (s) => s.Owner_Side__c === 'Customer',
    ),
    approvalCount: approvals.length,
    approvalsHandedToDealPartner: approvals.every(handedToDealPartner),
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

/** One criterion encoded for json-rules-engine. */
interface PeerRule {
  /** The formula these conditions encode, exactly as its Exit_Criterion record has it. */
  formula: string;
  conditions: ReturnType<typeof fact>[];
}

/**
 * The Default model's criteria as json-rules-engine conditions, by DeveloperName.
 * Each keeps the formula it was written for, so `peerEngine` rejects a shipped
 * formula that changed since and the peer cannot silently measure an old rule.
 */
export const PEER_RULES: Record<string, PeerRule> = {
  Default_Registered_Clear_Registration: {
    formula:
      'COUNT(Deal_Registrations__r, AND(OR(ISPICKVAL(Status__c, "Approved"), ISPICKVAL(Status__c, "Converted")), ISPICKVAL(Conflict_Status__c, "Clear"))) >= 1',
    conditions: [fact('approvedClearRegistrations', 'greaterThanInclusive', 1)],
  },
  Default_Registered_Owners_Named: {
    formula:
      'AND(NOT(ISBLANK(Vendor_Owner__c)), NOT(ISBLANK(Partner_Owner__c)))',
    conditions: [
      fact('vendorOwner', 'notEqual', null),
      fact('partnerOwner', 'notEqual', null),
    ],
  },
  Default_Qualified_Content_Complete: {
    formula:
      'COUNT(Joint_Qualifications__r, AND(NOT(ISBLANK(Need__c)), NOT(ISBLANK(Budget__c)), NOT(ISBLANK(Reason_To_Act__c)), NOT(ISBLANK(Joint_Value__c)))) >= 1',
    conditions: [fact('completeQualifications', 'greaterThanInclusive', 1)],
  },
  Default_Qualified_Both_Sides_Confirmed: {
    formula:
      'COUNT(Joint_Qualifications__r, AND(NOT(ISBLANK(Need__c)), NOT(ISBLANK(Budget__c)), NOT(ISBLANK(Reason_To_Act__c)), NOT(ISBLANK(Joint_Value__c)), NOT(ISBLANK(Vendor_Confirmed_By__c)), NOT(ISBLANK(Partner_Confirmed_By__c)))) >= 1',
    conditions: [
      fact('completeConfirmedQualifications', 'greaterThanInclusive', 1),
    ],
  },
  Default_Validating_Customer_Confirmed: {
    formula: 'NOT(ISBLANK(Customer_Evaluation_Confirmed_At__c))',
    conditions: [fact('customerEvaluationConfirmedAt', 'notEqual', null)],
  },
  Default_Validating_Customer_Step: {
    formula:
      'COUNT(Close_Plan_Steps__r, ISPICKVAL(Owner_Side__c, "Customer")) >= 1',
    conditions: [fact('customerSteps', 'greaterThanInclusive', 1)],
  },
  Default_Negotiating_Approval_Exists: {
    formula: 'COUNT(Deal_Approvals__r) >= 1',
    conditions: [fact('approvalCount', 'greaterThanInclusive', 1)],
  },
  Default_Negotiating_Cross_Side_Handoff: {
    formula:
      'ALL(Deal_Approvals__r, AND(NOT(ISBLANK(Owner__c)), NOT(ISBLANK(Handoff_Counterpart__c)), NOT(ISBLANK(Opportunity__r.Partner_Account__c)), OR(AND(ISBLANK(Owner__r.AccountId), Handoff_Counterpart__r.AccountId = Opportunity__r.Partner_Account__c), AND(ISBLANK(Handoff_Counterpart__r.AccountId), Owner__r.AccountId = Opportunity__r.Partner_Account__c))))',
    conditions: [fact('approvalsHandedToDealPartner', 'equal', true)],
  },
  Default_Closed_Won: {
    formula: 'IsWon',
    conditions: [fact('isWon', 'equal', true)],
  },
  Default_Closed_One_Sourcing_Partner: {
    formula: 'COUNT(Deal_Partners__r, ISPICKVAL(Role__c, "Sourcing")) <= 1',
    conditions: [fact('sourcingPartners', 'lessThanInclusive', 1)],
  },
  Default_Closed_Splits_Total_100: {
    formula: 'SUM(Deal_Partners__r, Split_Percent__c) = 100',
    conditions: [fact('splitTotal', 'equal', 100)],
  },
  Default_Closed_Lost_Reason: {
    formula: 'NOT(ISBLANK(TEXT(Closed_Lost_Reason__c)))',
    conditions: [fact('closedLostReason', 'notEqual', '')],
  },
};

/**
 * Builds the peer engine with one rule per criterion, in the order of `criteria`.
 * Throws when a criterion has no encoding in PEER_RULES, when its formula differs
 * from the one its encoding was written for, or when PEER_RULES encodes a
 * criterion that `criteria` lacks.
 */
export function peerEngine(criteria: Array<[string, string]>): Engine {
  const problems: string[] = [];
  for (const [developerName, formula] of criteria) {
    const rule = PEER_RULES[developerName];
    if (!rule) {
      problems.push(`${developerName} has no json-rules-engine encoding`);
    } else if (rule.formula !== formula) {
      problems.push(
        `${developerName} is now ${formula}, but its json-rules-engine encoding computes ${rule.formula}`,
      );
    }
  }
  const names = new Set(criteria.map(([developerName]) => developerName));
  for (const developerName of Object.keys(PEER_RULES)) {
    if (!names.has(developerName)) {
      problems.push(
        `${developerName} is encoded for json-rules-engine but is not an active Default criterion`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `The peer does not match the shipped criteria, so the comparison would be void: ${problems.join('; ')}. Update PEER_RULES and factsOf in scripts/bench/criteria-peer.ts.`,
    );
  }
  const engine = new Engine([], { allowUndefinedFacts: false });
  criteria.forEach(([developerName], index) => {
    const rule: RuleProperties = {
      conditions: { all: PEER_RULES[developerName]!.conditions },
      event: { type: 'met', params: { index } },
    };
    engine.addRule(rule);
  });
  return engine;
}

/**
 * Runs the engine on each deal's facts. Returns how many deals met each of its
 * `ruleCount` rules, in the order of the criteria the engine was built with.
 */
export async function runPeer(
  engine: Engine,
  ruleCount: number,
  facts: Array<Record<string, unknown>>,
): Promise<number[]> {
  const met = new Array<number>(ruleCount).fill(0);
  for (const dealFacts of facts) {
    const { events } = await engine.run(dealFacts);
    for (const event of events) met[event.params!.index as number]!++;
  }
  return met;
}

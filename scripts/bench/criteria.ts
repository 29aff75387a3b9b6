/**
 * Throughput of the default model's twelve criteria over generated deals, against
 * json-rules-engine 7.3 encoding the same criteria with every aggregate computed
 * beforehand as a fact (that computation is not timed, so the peer does less work).
 * Both run in one process on the same deals, and must agree on every criterion of
 * every deal. The target is at least 50 times the peer's deals per second.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { Engine, type RuleProperties } from 'json-rules-engine';
import { compileFormula } from '../../middleware/src/domain/criteria/index.js';
import type { EvaluationEnv } from '../../middleware/src/domain/criteria/index.js';
import type { RecordData } from '../../middleware/src/domain/records.js';
import type {
  FieldSchema,
  FieldType,
  ObjectSchema,
  OrgSchema,
} from '../../middleware/src/domain/schema.js';
import { SeededRandom } from '../../middleware/src/demo/prng.js';

export interface CriteriaBenchOptions {
  deals: number;
  seed?: number;
}

export interface EngineThroughput {
  seconds: number;
  dealsPerSecond: number;
}

export interface CriteriaBenchResult {
  deals: number;
  criteria: number;
  ours: EngineThroughput;
  jsonRulesEngine: EngineThroughput;
  /** ours.dealsPerSecond / jsonRulesEngine.dealsPerSecond. */
  ratio: number;
  target: number;
  withinTarget: boolean;
  /** How many deals met each criterion, in the order of DEFAULT_CRITERIA; both engines agree. */
  metCounts: number[];
  machine: { node: string; cpu: string; cores: number };
}

/** The default model's criteria formulas, by DeveloperName. */
export const DEFAULT_CRITERIA: Array<[string, string]> = [
  [
    'Default_Registered_Clear_Registration',
    'COUNT(Deal_Registrations__r, AND(OR(ISPICKVAL(Status__c, "Approved"), ISPICKVAL(Status__c, "Converted")), ISPICKVAL(Conflict_Status__c, "Clear"))) >= 1',
  ],
  [
    'Default_Registered_Owners_Named',
    'AND(NOT(ISBLANK(Vendor_Owner__c)), NOT(ISBLANK(Partner_Owner__c)))',
  ],
  [
    'Default_Qualified_Content_Complete',
    'COUNT(Joint_Qualifications__r, AND(NOT(ISBLANK(Need__c)), NOT(ISBLANK(Budget__c)), NOT(ISBLANK(Reason_To_Act__c)), NOT(ISBLANK(Joint_Value__c)))) >= 1',
  ],
  [
    'Default_Qualified_Both_Sides_Confirmed',
    'COUNT(Joint_Qualifications__r, AND(NOT(ISBLANK(Vendor_Confirmed_By__c)), NOT(ISBLANK(Partner_Confirmed_By__c)))) >= 1',
  ],
  [
    'Default_Validating_Customer_Confirmed',
    'NOT(ISBLANK(Customer_Evaluation_Confirmed_At__c))',
  ],
  [
    'Default_Validating_Customer_Step',
    'COUNT(Close_Plan_Steps__r, ISPICKVAL(Owner_Side__c, "Customer")) >= 1',
  ],
  ['Default_Negotiating_Approval_Exists', 'COUNT(Deal_Approvals__r) >= 1'],
  [
    'Default_Negotiating_Cross_Side_Handoff',
    'ALL(Deal_Approvals__r, AND(NOT(ISBLANK(Owner__c)), NOT(ISBLANK(Handoff_Counterpart__c)), ISBLANK(Owner__r.AccountId) <> ISBLANK(Handoff_Counterpart__r.AccountId)))',
  ],
  ['Default_Closed_Won', 'IsWon'],
  [
    'Default_Closed_One_Sourcing_Partner',
    'COUNT(Deal_Partners__r, ISPICKVAL(Role__c, "Sourcing")) <= 1',
  ],
  [
    'Default_Closed_Splits_Total_100',
    'SUM(Deal_Partners__r, Split_Percent__c) = 100',
  ],
  ['Default_Closed_Lost_Reason', 'NOT(ISBLANK(TEXT(Closed_Lost_Reason__c)))'],
];

function objectSchema(
  name: string,
  fields: Array<[string, FieldType, Partial<FieldSchema>?]>,
  children: string[][] = [],
): ObjectSchema {
  return {
    name,
    label: name,
    custom: name.endsWith('__c'),
    keyPrefix: 'a00',
    fields: Object.fromEntries(
      fields.map(([field, type, extra]) => [
        field,
        { name: field, type, label: field, custom: true, ...extra },
      ]),
    ),
    childRelationships: Object.fromEntries(
      children.map(([relationshipName, childSObject]) => [
        relationshipName,
        {
          relationshipName: relationshipName!,
          childSObject: childSObject!,
          field: 'Opportunity__c',
        },
      ]),
    ),
  };
}

const toUser = (relationshipName: string): Partial<FieldSchema> => ({
  referenceTo: ['User'],
  relationshipName,
});

/** The objects and fields the default criteria read, as docs/data-model.md names them. */
const BENCH_SCHEMA: OrgSchema = {
  Opportunity: objectSchema(
    'Opportunity',
    [
      ['IsWon', 'boolean'],
      ['Vendor_Owner__c', 'reference', toUser('Vendor_Owner__r')],
      ['Partner_Owner__c', 'reference', toUser('Partner_Owner__r')],
      ['Customer_Evaluation_Confirmed_At__c', 'datetime'],
      ['Closed_Lost_Reason__c', 'picklist'],
    ],
    [
      ['Deal_Registrations__r', 'Deal_Registration__c'],
      ['Joint_Qualifications__r', 'Joint_Qualification__c'],
      ['Close_Plan_Steps__r', 'Close_Plan_Step__c'],
      ['Deal_Approvals__r', 'Deal_Approval__c'],
      ['Deal_Partners__r', 'Deal_Partner__c'],
    ],
  ),
  User: objectSchema('User', [['AccountId', 'reference']]),
  Deal_Registration__c: objectSchema('Deal_Registration__c', [
    ['Status__c', 'picklist'],
    ['Conflict_Status__c', 'picklist'],
  ]),
  Joint_Qualification__c: objectSchema('Joint_Qualification__c', [
    ['Need__c', 'textarea'],
    ['Budget__c', 'textarea'],
    ['Reason_To_Act__c', 'textarea'],
    ['Joint_Value__c', 'textarea'],
    ['Vendor_Confirmed_By__c', 'reference', toUser('Vendor_Confirmed_By__r')],
    ['Partner_Confirmed_By__c', 'reference', toUser('Partner_Confirmed_By__r')],
  ]),
  Close_Plan_Step__c: objectSchema('Close_Plan_Step__c', [
    ['Owner_Side__c', 'picklist'],
  ]),
  Deal_Approval__c: objectSchema('Deal_Approval__c', [
    ['Owner__c', 'reference', toUser('Owner__r')],
    ['Handoff_Counterpart__c', 'reference', toUser('Handoff_Counterpart__r')],
  ]),
  Deal_Partner__c: objectSchema('Deal_Partner__c', [
    ['Role__c', 'picklist'],
    ['Split_Percent__c', 'percent'],
  ]),
};

/** A user reference: a vendor user has no account, a partner user has one. */
function user(random: SeededRandom): { id: string; record: RecordData } {
  const id = `005${String(random.int(0, 999_999)).padStart(15, '0')}`;
  const accountId = random.chance(0.5) ? '001000000000000AAA' : null;
  return { id, record: { AccountId: accountId } };
}

function maybe<T>(
  random: SeededRandom,
  probability: number,
  value: T,
): T | null {
  return random.chance(probability) ? value : null;
}

const SPLITS = [[100], [50, 50], [60, 40], [33.33, 33.33, 33.34], [70, 20]];

/** One generated deal in the shape of a SOQL result with its child records. */
function generateDeal(random: SeededRandom): RecordData {
  const registrations = Array.from({ length: random.int(0, 2) }, () => ({
    Status__c: random.pick(['Submitted', 'Approved', 'Rejected', 'Converted']),
    Conflict_Status__c: random.pick(['Not Checked', 'Clear', 'Conflict']),
  }));
  const qualifications = Array.from({ length: random.int(0, 1) }, () => ({
    Need__c: maybe(random, 0.9, 'Consolidate billing'),
    Budget__c: maybe(random, 0.9, '250k approved'),
    Reason_To_Act__c: maybe(random, 0.9, 'Contract renewal in June'),
    Joint_Value__c: maybe(random, 0.9, 'Partner runs the migration'),
    Vendor_Confirmed_By__c: maybe(random, 0.7, '005000000000001AAA'),
    Partner_Confirmed_By__c: maybe(random, 0.7, '005000000000002AAA'),
  }));
  const steps = Array.from({ length: random.int(0, 4) }, () => ({
    Owner_Side__c: random.pick(['Customer', 'Vendor', 'Partner']),
  }));
  const approvals = Array.from({ length: random.int(0, 3) }, () => {
    const owner = maybe(random, 0.9, user(random));
    const counterpart = maybe(random, 0.9, user(random));
    return {
      Owner__c: owner?.id ?? null,
      Owner__r: owner?.record ?? null,
      Handoff_Counterpart__c: counterpart?.id ?? null,
      Handoff_Counterpart__r: counterpart?.record ?? null,
    };
  });
  const partners = random.pick(SPLITS).map((split, index) => ({
    Role__c: index === 0 || random.chance(0.1) ? 'Sourcing' : 'Influencing',
    Split_Percent__c: maybe(random, 0.95, split),
  }));
  return {
    IsWon: random.chance(0.3),
    Vendor_Owner__c: maybe(random, 0.8, '005000000000003AAA'),
    Partner_Owner__c: maybe(random, 0.8, '005000000000004AAA'),
    Customer_Evaluation_Confirmed_At__c: maybe(
      random,
      0.5,
      '2024-02-01T10:00:00.000Z',
    ),
    Closed_Lost_Reason__c: maybe(random, 0.3, random.pick(['Price', 'Timing'])),
    Deal_Registrations__r: registrations,
    Joint_Qualifications__r: qualifications,
    Close_Plan_Steps__r: steps,
    Deal_Approvals__r: approvals,
    Deal_Partners__r: partners,
  };
}

type Children = Array<Record<string, unknown>>;
const children = (deal: RecordData, relationship: string) =>
  deal[relationship] as unknown as Children;
const filled = (value: unknown) => value !== null && value !== '';
const countWhere = (
  list: Children,
  test: (child: Record<string, unknown>) => boolean,
) => list.filter(test).length;

/** The facts json-rules-engine gets: the deal's fields with every aggregate computed. */
function factsOf(deal: RecordData): Record<string, unknown> {
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

/** The twelve criteria as json-rules-engine rules, in the order of DEFAULT_CRITERIA. */
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

function peerEngine(): Engine {
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

const ENV: EvaluationEnv = {
  now: new Date('2024-03-01T12:00:00Z'),
  timeZone: 'America/New_York',
};

/** Evaluates every criterion on every deal with the compiled formulas; returns the met counts. */
function runOurs(deals: RecordData[]): number[] {
  const compiled = DEFAULT_CRITERIA.map(([criterionName, formula]) =>
    compileFormula(formula, {
      rootObject: 'Opportunity',
      schema: BENCH_SCHEMA,
      criterionName,
    }),
  );
  const met = compiled.map(() => 0);
  for (const deal of deals) {
    for (let index = 0; index < compiled.length; index++) {
      if (compiled[index]!.evaluate(deal, ENV).value === true) met[index]!++;
    }
  }
  return met;
}

async function runPeer(
  facts: Array<Record<string, unknown>>,
): Promise<number[]> {
  const engine = peerEngine();
  const met = PEER_CONDITIONS.map(() => 0);
  for (const dealFacts of facts) {
    const { events } = await engine.run(dealFacts);
    for (const event of events) met[event.params!.index as number]!++;
  }
  return met;
}

async function timed<T>(work: () => T | Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, (performance.now() - start) / 1000];
}

export async function runCriteriaBench(
  opts: CriteriaBenchOptions,
): Promise<CriteriaBenchResult> {
  const random = new SeededRandom(opts.seed ?? 20240301);
  const deals = Array.from({ length: opts.deals }, () => generateDeal(random));
  const facts = deals.map(factsOf);
  const warmUp = Math.min(2_000, deals.length);
  runOurs(deals.slice(0, warmUp));
  await runPeer(facts.slice(0, warmUp));

  const [oursMet, oursSeconds] = await timed(() => runOurs(deals));
  const [peerMet, peerSeconds] = await timed(() => runPeer(facts));
  const disagreement = oursMet.findIndex((count, i) => count !== peerMet[i]);
  if (disagreement >= 0) {
    throw new Error(
      `The engines disagree on ${DEFAULT_CRITERIA[disagreement]![0]}: ` +
        `${oursMet[disagreement]} deals met it here, ${peerMet[disagreement]} in json-rules-engine`,
    );
  }
  const throughput = (seconds: number): EngineThroughput => ({
    seconds: Math.round(seconds * 1000) / 1000,
    dealsPerSecond: Math.round(deals.length / seconds),
  });
  const ratio = peerSeconds / oursSeconds;
  const cpus = os.cpus();
  return {
    deals: deals.length,
    criteria: DEFAULT_CRITERIA.length,
    ours: throughput(oursSeconds),
    jsonRulesEngine: throughput(peerSeconds),
    ratio: Math.round(ratio * 10) / 10,
    target: 50,
    withinTarget: ratio >= 50,
    metCounts: oursMet,
    machine: {
      node: process.version,
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
    },
  };
}

function dealsOption(argv: string[]): number {
  const index = argv.indexOf('--deals');
  if (index < 0) return 100_000;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `--deals must be a whole number of 1 or more, not ${argv[index + 1]}`,
    );
  }
  return value;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runCriteriaBench({ deals: dealsOption(process.argv) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

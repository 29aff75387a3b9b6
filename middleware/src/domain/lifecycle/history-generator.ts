/**
 * A seeded generator of co-sell history with known true win rates, for the demo
 * seed, the tests and the benchmarks.
 *
 * Registrations arrive uniformly over the history. Most are approved within a few
 * days and become a deal in the first open stage; the rest are rejected. A deal
 * spends a log-normal number of days in each open stage (median
 * `medianStageDays`, spread factor e^0.6) and then advances with the stage's
 * `advanceProbability`, or is closed as lost. The true probability that a deal in
 * open stage S is eventually won is therefore the product of the advance
 * probabilities from S on; `truth.winRate` contains it. Close dates are planned when
 * the deal is created and never moved, and events after `end` are cut off, so
 * deals still under way at `end` are open.
 */
import { DomainError } from '../domain-error.js';
import { dayNumber, dateOfDayNumber } from './calendar.js';
import { inventCompany, partnerName } from './history-names.js';
import { syntheticId } from './synthetic-id.js';
import { createRandom } from './random.js';
import type { Random } from './random.js';
import { buildStageCatalog } from './stage-catalog.js';
import type { ModelStages } from './stage-catalog.js';

export { syntheticId } from './synthetic-id.js';
import type {
  LifecycleDeal,
  LifecycleDealPartner,
  LifecycleRegistration,
  LifecycleStage,
  LifecycleTransition,
  PartnerRef,
} from './types.js';

export interface HistoryOptions {
  /** The stages of the one model the history uses. */
  stages: readonly LifecycleStage[];
  /** Last day of the history, `YYYY-MM-DD`; events after it are cut off. */
  end: string;
  seed?: number;
  /** Fiscal quarters of history (of 91 days each); 10 when absent. */
  quarters?: number;
  partners?: number;
  /** Registrations submitted per quarter; 100 when absent. */
  registrationsPerQuarter?: number;
  /** Probability of advancing out of each open stage, by stage value. */
  advanceProbability?: Record<string, number>;
  /** Median days spent in each open stage, by stage value. */
  medianStageDays?: Record<string, number>;
  registrationExpiryDays?: number;
}

export interface GeneratedDeal extends LifecycleDeal {
  createdAt: string;
  customerCompany: string;
  customerWebsite: string;
  productLine: string;
  closedLostReason: string | null;
  /** Number of moves, as `Cosell_Stage_Version__c`. */
  version: number;
}

export interface GeneratedTransition extends LifecycleTransition {
  id: string;
  requestingSide: 'Vendor' | 'Partner';
  /** The deal's version after the move. */
  version: number;
}

export interface GeneratedHistory {
  start: string;
  end: string;
  model: string;
  /** The stages passed in, so a history can be forecast as it is. */
  stages: LifecycleStage[];
  partners: PartnerRef[];
  deals: GeneratedDeal[];
  transitions: GeneratedTransition[];
  registrations: LifecycleRegistration[];
  dealPartners: Array<LifecycleDealPartner & { id: string }>;
  truth: {
    advanceProbability: Record<string, number>;
    /** Probability that a deal in the stage is eventually won. */
    winRate: Record<string, number>;
    medianStageDays: Record<string, number>;
  };
}

const MS_PER_DAY = 86_400_000;
const PRODUCT_LINES = ['Platform', 'Analytics', 'Security', 'Services'];
const LOST_REASONS = [
  'Price',
  'Competitor',
  'No Decision',
  'Timing',
  'Product Fit',
  'Other',
];
const CURRENCIES = [
  { code: 'USD', share: 0.7 },
  { code: 'EUR', share: 0.2 },
  { code: 'GBP', share: 0.1 },
];
function logNormalDays(random: Random, median: number): number {
  return median * Math.exp(0.6 * random.normal());
}

function pickCurrency(random: Random): string {
  let draw = random.next();
  for (const currency of CURRENCIES) {
    draw -= currency.share;
    if (draw < 0) return currency.code;
  }
  return 'USD';
}

/** Fills in per-stage settings, defaulting by position among the open stages. */
function stageSettings(
  open: readonly LifecycleStage[],
  options: HistoryOptions,
) {
  const advance: Record<string, number> = {};
  const median: Record<string, number> = {};
  open.forEach((stage, index) => {
    const position = open.length > 1 ? index / (open.length - 1) : 1;
    advance[stage.value] =
      options.advanceProbability?.[stage.value] ?? 0.55 + 0.25 * position;
    median[stage.value] =
      options.medianStageDays?.[stage.value] ?? 10 + 5 * index;
    const probability = advance[stage.value]!;
    if (!(probability > 0 && probability <= 1)) {
      throw new DomainError(
        'invalid_request',
        `Advance probability ${probability} for ${stage.value} is not above 0 and at most 1.`,
        'Pass advanceProbability values between 0 (exclusive) and 1.',
        { value: probability },
      );
    }
  });
  const winRate: Record<string, number> = {};
  let fromHere = 1;
  for (let index = open.length - 1; index >= 0; index--) {
    fromHere *= advance[open[index]!.value]!;
    winRate[open[index]!.value] = fromHere;
  }
  return { advance, median, winRate };
}

/** Generates a history; equal options give equal histories. */
export function generateHistory(options: HistoryOptions): GeneratedHistory {
  const catalog = buildStageCatalog(options.stages);
  if (catalog.size !== 1) {
    throw new DomainError(
      'invalid_request',
      `The generator takes the stages of one model, not ${catalog.size}.`,
      'Pass only the stages of the model the history should use.',
      { value: [...catalog.keys()].join(', ') },
    );
  }
  const model = [...catalog.values()][0]!;
  const won = model.stages.find((stage) => stage.won)!;
  const lost = model.stages.find((stage) => stage.closed && !stage.won);
  if (!lost || model.open.length === 0) {
    throw new DomainError(
      'invalid_request',
      `Model ${model.model} needs open stages and a lost stage to generate history.`,
      'Pass a model with at least one open stage and a closed stage that is not won.',
      { value: model.model },
    );
  }
  const random = createRandom(options.seed ?? 1);
  const quarters = options.quarters ?? 10;
  const endMs = (dayNumber(options.end, 'end') + 1) * MS_PER_DAY;
  const startMs = endMs - quarters * 91 * MS_PER_DAY;
  const settings = stageSettings(model.open, options);
  const expiryDays = options.registrationExpiryDays ?? 90;
  const counters = { deal: 0, registration: 0, transition: 0, dealPartner: 0 };

  const partnerCount = options.partners ?? 6;
  const partners: PartnerRef[] = Array.from(
    { length: partnerCount },
    (_, index) => ({
      id: syntheticId('001', index + 1),
      name: partnerName(index),
    }),
  );
  // Partners differ in volume: weight 1 / (rank + 1).
  const weights = partners.map((_, index) => 1 / (index + 1));
  const weightTotal = weights.reduce((sum, weight) => sum + weight, 0);
  const pickPartner = (): number => {
    let draw = random.next() * weightTotal;
    for (let index = 0; index < weights.length; index++) {
      draw -= weights[index]!;
      if (draw < 0) return index;
    }
    return 0;
  };

  const history: GeneratedHistory = {
    start: new Date(startMs).toISOString().slice(0, 10),
    end: options.end,
    model: model.model,
    stages: model.stages,
    partners,
    deals: [],
    transitions: [],
    registrations: [],
    dealPartners: [],
    truth: {
      advanceProbability: settings.advance,
      winRate: settings.winRate,
      medianStageDays: settings.median,
    },
  };

  const count = Math.round(quarters * (options.registrationsPerQuarter ?? 100));
  const submitted = Array.from(
    { length: count },
    () => startMs + random.next() * (endMs - startMs),
  ).sort((a, b) => a - b);
  for (const submittedMs of submitted) {
    const partnerIndex = pickPartner();
    const company = inventCompany(random);
    const productLine = PRODUCT_LINES[random.integer(PRODUCT_LINES.length)]!;
    const amount = String(
      Math.max(
        1000,
        Math.round((40_000 * Math.exp(0.9 * random.normal())) / 100) * 100,
      ),
    );
    const currencyIsoCode = pickCurrency(random);
    const decidedMs = submittedMs + (0.5 + random.next() * 4) * MS_PER_DAY;
    const approved = random.next() < 0.85;
    const cycleDays = Object.values(settings.median).reduce(
      (sum, days) => sum + days,
      0,
    );
    const closeDay = Math.floor(
      decidedMs / MS_PER_DAY + cycleDays * (0.7 + random.next() * 0.7),
    );
    const registration: LifecycleRegistration = {
      id: syntheticId('a0R', ++counters.registration),
      name: `DR-${String(counters.registration).padStart(5, '0')}`,
      partnerAccountId: partners[partnerIndex]!.id,
      customerCompany: company.name,
      customerWebsite: company.website,
      customerCountry: company.country,
      productLine,
      amount,
      currencyIsoCode,
      expectedCloseDate: dateOfDayNumber(closeDay),
      status: 'Submitted',
      submittedAt: new Date(submittedMs).toISOString(),
      decidedAt: null,
      expiresAt: new Date(submittedMs + expiryDays * MS_PER_DAY).toISOString(),
      opportunityId: null,
    };
    history.registrations.push(registration);
    if (decidedMs >= endMs) {
      if (submittedMs + expiryDays * MS_PER_DAY < endMs)
        registration.status = 'Expired';
      continue;
    }
    registration.decidedAt = new Date(decidedMs).toISOString();
    if (!approved) {
      registration.status = 'Rejected';
      continue;
    }
    registration.status = 'Approved';
    const deal = walkDeal(random, {
      id: syntheticId('006', ++counters.deal),
      registration,
      company: company.name,
      website: company.website,
      closeDate: dateOfDayNumber(closeDay),
      createdMs: decidedMs,
      endMs,
      model,
      won,
      lost,
      settings,
      nextTransitionId: () => syntheticId('a0T', ++counters.transition),
      transitions: history.transitions,
    });
    registration.opportunityId = deal.id;
    if (deal.stage === won.value) registration.status = 'Converted';
    history.deals.push(deal);
    addDealPartners(random, deal, partnerIndex, partners, history, () =>
      syntheticId('a0P', ++counters.dealPartner),
    );
  }
  return history;
}

interface WalkContext {
  id: string;
  registration: LifecycleRegistration;
  company: string;
  website: string;
  closeDate: string;
  createdMs: number;
  endMs: number;
  model: ModelStages;
  won: LifecycleStage;
  lost: LifecycleStage;
  settings: ReturnType<typeof stageSettings>;
  nextTransitionId: () => string;
  transitions: GeneratedTransition[];
}

/** Moves one deal through the stages until it closes or the history ends. */
function walkDeal(random: Random, context: WalkContext): GeneratedDeal {
  const { registration, model } = context;
  const deal: GeneratedDeal = {
    id: context.id,
    name: `${context.company} - ${registration.productLine}`,
    partnerAccountId: registration.partnerAccountId,
    model: model.model,
    stage: null,
    stageEnteredAt: null,
    amount: registration.amount,
    currencyIsoCode: registration.currencyIsoCode,
    closeDate: context.closeDate,
    createdAt: new Date(context.createdMs).toISOString(),
    customerCompany: context.company,
    customerWebsite: context.website,
    productLine: registration.productLine ?? 'Platform',
    closedLostReason: null,
    version: 0,
  };
  const move = (to: LifecycleStage, atMs: number, oneSided = false) => {
    deal.version++;
    const at = new Date(atMs).toISOString();
    context.transitions.push({
      id: context.nextTransitionId(),
      dealId: deal.id,
      fromStage: deal.stage,
      toStage: to.value,
      at,
      oneSided,
      requestingSide: random.next() < 0.5 ? 'Vendor' : 'Partner',
      version: deal.version,
    });
    deal.stage = to.value;
    deal.stageEnteredAt = at;
  };
  move(model.open[0]!, context.createdMs);
  let atMs = context.createdMs;
  for (let index = 0; index < model.open.length; index++) {
    const stage = model.open[index]!;
    atMs +=
      logNormalDays(random, context.settings.median[stage.value]!) * MS_PER_DAY;
    if (atMs >= context.endMs) break;
    if (random.next() >= context.settings.advance[stage.value]!) {
      move(context.lost, atMs, random.next() < 0.05);
      deal.closedLostReason =
        LOST_REASONS[random.integer(LOST_REASONS.length)]!;
      break;
    }
    move(model.open[index + 1] ?? context.won, atMs);
  }
  return deal;
}

/** Gives a deal its sourcing partner and, for about 30% of deals, an influencing one. */
function addDealPartners(
  random: Random,
  deal: GeneratedDeal,
  partnerIndex: number,
  partners: PartnerRef[],
  history: GeneratedHistory,
  nextId: () => string,
) {
  const influencing = partners.length > 1 && random.next() < 0.3;
  const sourcingSplit = influencing ? [60, 70, 80][random.integer(3)]! : 100;
  history.dealPartners.push({
    id: nextId(),
    dealId: deal.id,
    partnerAccountId: partners[partnerIndex]!.id,
    role: 'Sourcing',
    splitPercent: sourcingSplit,
  });
  if (!influencing) return;
  const other =
    (partnerIndex + 1 + random.integer(partners.length - 1)) % partners.length;
  history.dealPartners.push({
    id: nextId(),
    dealId: deal.id,
    partnerAccountId: partners[other]!.id,
    role: 'Influencing',
    splitPercent: 100 - sourcingSplit,
  });
}

/**
 * Ten quarters of generated co-sell history for the demo org, so the forecast
 * has win rates to calibrate and the backtest has past quarters to replay.
 * It has a few hundred registrations, most of them approved into deals that
 * ran through the stages to won or lost. Deals still under way today get the
 * evidence of the stages they have left.
 */
import { lifecycleStagesOf } from '../app/lifecycle/lifecycle-context.js';
import { conflictOutcome } from '../app/lifecycle/registration-conflicts.js';
import {
  buildAttributionSnapshot,
  checkRegistrationConflicts,
  generateHistory,
} from '../domain/lifecycle/index.js';
import type {
  GeneratedDeal,
  GeneratedHistory,
} from '../domain/lifecycle/index.js';
import type { RecordData } from '../domain/records.js';
import type { LoadedModel } from '../domain/stage-model.js';
import type { DemoPeople } from './demo-people.js';
import { demoId } from './demo-people.js';
import { buildHistoryEvidence } from './history-evidence.js';

/**
 * Exchange rates to USD for the currencies of the generated history. They are
 * round illustrative values, not market rates; the server uses them only for
 * a seeded local store without COSELL_CURRENCY_RATES.
 */
export const DEMO_CURRENCY_RATES: Readonly<Record<string, string>> = {
  EUR: '1.08',
  GBP: '1.27',
};

/** Ids of history records start here, clear of the hand-made demo records. */
const ID_OFFSET = 100_000;
const DAY_MS = 86_400_000;
const REJECTION_REASONS = [
  'The customer is already covered by a direct sales team.',
  'The registration names a product line the customer does not buy.',
  'Not enough detail on the opportunity to protect it.',
];

export interface HistoryOptions {
  model: LoadedModel;
  people: DemoPeople;
  now: Date;
  keyPrefixOf: (objectName: string) => string;
  /** Registrations written before the history, so names continue from them. */
  registrationsBefore: number;
}

export interface HistoryRecords {
  writes: Array<[string, RecordData[]]>;
  summary: {
    registrations: number;
    deals: number;
    closedDeals: number;
    transitions: number;
  };
}

/** Maps the generator's Ids and partners onto the demo org's. */
class IdMap {
  private readonly ids = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  constructor(private readonly keyPrefixOf: (objectName: string) => string) {}

  of(objectName: string, generatedId: string): string {
    const known = this.ids.get(generatedId);
    if (known) return known;
    const prefix = this.keyPrefixOf(objectName);
    const count = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, count);
    const id = demoId(prefix, ID_OFFSET + count);
    this.ids.set(generatedId, id);
    return id;
  }
}

/** Builds the history records for the demo store; nothing is written here. */
export function buildHistoryRecords(options: HistoryOptions): HistoryRecords {
  const { model, people } = options;
  const yesterday = new Date(options.now.getTime() - DAY_MS)
    .toISOString()
    .slice(0, 10);
  const history = generateHistory({
    stages: lifecycleStagesOf(model),
    end: yesterday,
    seed: 20_260_101,
    quarters: 10,
    partners: people.partners.length,
    registrationsPerQuarter: 60,
    registrationExpiryDays: model.registrationExpiryDays,
  });
  const ids = new IdMap(options.keyPrefixOf);
  const partnerIds = new Map(
    history.partners.map((partner, index) => [
      partner.id,
      people.partners[index]!,
    ]),
  );
  const partnerOf = (generatedId: string) => partnerIds.get(generatedId)!;
  const owners = new Map<string, { vendor: string; partner: string }>();
  history.deals.forEach((deal, index) => {
    const partner = partnerOf(deal.partnerAccountId!);
    owners.set(deal.id, {
      vendor: String(
        people.vendorSellers[index % people.vendorSellers.length]!.Id,
      ),
      partner: String(partner.sellers[index % partner.sellers.length]!.Id),
    });
  });

  const opportunities = history.deals.map((deal) =>
    opportunityRecord(deal, model, ids, partnerOf, owners.get(deal.id)!),
  );
  const transitions = transitionRecords(history, {
    model,
    ids,
    owners,
    partnerOf,
    manager: String(people.channelManager.Id),
  });
  const registrations = registrationRecords(history, options, ids, partnerOf);
  const dealPartners = history.dealPartners.map((row) => ({
    Id: ids.of('Deal_Partner__c', row.id),
    Opportunity__c: ids.of('Opportunity', row.dealId),
    Partner_Account__c: partnerOf(row.partnerAccountId).account.Id,
    Role__c: row.role,
    Split_Percent__c: row.splitPercent,
  }));
  const open = history.deals.filter(
    (deal) => !model.stageByValue.get(deal.stage ?? '')?.closed,
  );
  const enteredAt = new Map<string, Map<string, string>>();
  for (const transition of history.transitions) {
    const stages = enteredAt.get(transition.dealId) ?? new Map();
    stages.set(transition.toStage, transition.at);
    enteredAt.set(transition.dealId, stages);
  }
  const evidence = buildHistoryEvidence({
    deals: open.map((deal) => ({
      id: ids.of('Opportunity', deal.id),
      stage: deal.stage!,
      stageEnteredAt: deal.stageEnteredAt!,
      enteredAt: enteredAt.get(deal.id) ?? new Map(),
      vendorOwnerId: owners.get(deal.id)!.vendor,
      partnerOwnerId: owners.get(deal.id)!.partner,
    })),
    model,
    now: options.now,
    keyPrefixOf: options.keyPrefixOf,
    idOffset: ID_OFFSET,
  });
  for (const opportunity of opportunities) {
    const confirmedAt = evidence.customerConfirmedAt.get(
      String(opportunity.Id),
    );
    if (confirmedAt) {
      opportunity['Customer_Evaluation_Confirmed_At__c'] = confirmedAt;
    }
  }
  return {
    writes: [
      ['Opportunity', opportunities],
      ['Deal_Registration__c', registrations],
      ['Deal_Partner__c', dealPartners],
      ['Stage_Transition__c', transitions],
      ...evidence.writes,
    ],
    summary: {
      registrations: registrations.length,
      deals: opportunities.length,
      closedDeals: history.deals.length - open.length,
      transitions: transitions.length,
    },
  };
}

function opportunityRecord(
  deal: GeneratedDeal,
  model: LoadedModel,
  ids: IdMap,
  partnerOf: (id: string) => DemoPeople['partners'][number],
  owner: { vendor: string; partner: string },
): RecordData {
  const stage = model.stageByValue.get(deal.stage ?? '');
  const won = stage?.won === true;
  const closed = stage?.closed === true;
  let stageName = 'Prospecting';
  if (won) stageName = 'Closed Won';
  else if (closed) stageName = 'Closed Lost';
  return {
    Id: ids.of('Opportunity', deal.id),
    Name: deal.name,
    OwnerId: owner.vendor,
    StageName: stageName,
    IsWon: won,
    IsClosed: closed,
    Amount: deal.amount,
    CurrencyIsoCode: deal.currencyIsoCode,
    CloseDate: deal.closeDate,
    Cosell_Stage__c: deal.stage,
    Cosell_Model__c: model.developerName,
    Cosell_Stage_Entered_At__c: deal.stageEnteredAt,
    Cosell_Stage_Version__c: deal.version,
    Partner_Account__c: partnerOf(deal.partnerAccountId!).account.Id,
    Vendor_Owner__c: owner.vendor,
    Partner_Owner__c: owner.partner,
    Closed_Lost_Reason__c: deal.closedLostReason,
  };
}

function transitionRecords(
  history: GeneratedHistory,
  context: {
    model: LoadedModel;
    ids: IdMap;
    owners: ReadonlyMap<string, { vendor: string; partner: string }>;
    partnerOf: (id: string) => DemoPeople['partners'][number];
    manager: string;
  },
): RecordData[] {
  const { model, ids, owners, partnerOf, manager } = context;
  const deals = new Map(history.deals.map((deal) => [deal.id, deal]));
  const partnersOf = new Map<string, GeneratedHistory['dealPartners']>();
  for (const row of history.dealPartners) {
    partnersOf.set(row.dealId, [...(partnersOf.get(row.dealId) ?? []), row]);
  }
  return history.transitions.map((transition) => {
    const owner = owners.get(transition.dealId)!;
    const vendorAsks = transition.requestingSide === 'Vendor';
    const requestedBy = vendorAsks ? owner.vendor : owner.partner;
    const confirmedBy = transition.oneSided
      ? manager
      : vendorAsks
        ? owner.partner
        : owner.vendor;
    const deal = deals.get(transition.dealId)!;
    const won = model.stageByValue.get(transition.toStage)?.won === true;
    const dealId = ids.of('Opportunity', transition.dealId);
    const snapshot = won
      ? buildAttributionSnapshot(
          {
            id: dealId,
            amount: deal.amount,
            currencyIsoCode: deal.currencyIsoCode,
          },
          (partnersOf.get(transition.dealId) ?? []).map((row) => ({
            ...row,
            dealId,
            partnerAccountId: String(
              partnerOf(row.partnerAccountId).account.Id,
            ),
          })),
          transition.at,
        )
      : null;
    return {
      Id: ids.of('Stage_Transition__c', transition.id),
      Opportunity__c: dealId,
      From_Stage__c: transition.fromStage,
      To_Stage__c: transition.toStage,
      Requested_By__c: requestedBy,
      Confirmed_By__c: confirmedBy,
      Transitioned_At__c: transition.at,
      Evidence_Snapshot__c: '[]',
      Attribution_Snapshot__c: snapshot ? JSON.stringify(snapshot) : null,
      One_Sided__c: transition.oneSided,
      Key__c: `history:${transition.id}`,
      Version__c: transition.version,
    };
  });
}

/**
 * Builds the registration records. A registration approved into a deal is
 * Converted, because approval creates the deal. The undecided ones stay
 * Submitted and are checked for conflicts like a new registration.
 */
function registrationRecords(
  history: GeneratedHistory,
  options: HistoryOptions,
  ids: IdMap,
  partnerOf: (id: string) => DemoPeople['partners'][number],
): RecordData[] {
  const manager = String(options.people.channelManager.Id);
  const submitted = history.registrations.filter(
    (registration) => registration.status === 'Submitted',
  );
  const openDeals = history.deals.filter(
    (deal) => !options.model.stageByValue.get(deal.stage ?? '')?.closed,
  );
  const owners = new Map<string, string | null>([
    ...submitted.map(
      (r) =>
        [r.id, partnerOf(r.partnerAccountId).account.Id as string] as const,
    ),
    ...openDeals.map(
      (d) =>
        [d.id, partnerOf(d.partnerAccountId!).account.Id as string] as const,
    ),
  ]);
  return history.registrations.map((registration, index) => {
    const partner = partnerOf(registration.partnerAccountId);
    const submitter = partner.sellers[index % partner.sellers.length]!.Id;
    const decided = registration.decidedAt !== null;
    const conflicts =
      registration.status === 'Submitted'
        ? conflictOutcome(
            checkRegistrationConflicts(registration, submitted, openDeals),
            owners,
          )
        : null;
    const remapped = conflicts?.matches.map((match) => ({
      ...match,
      id: ids.of(match.object, match.id),
    }));
    return {
      Id: ids.of('Deal_Registration__c', registration.id),
      Name: `DR-${String(options.registrationsBefore + index + 1).padStart(5, '0')}`,
      Customer_Company__c: registration.customerCompany,
      Customer_Website__c: registration.customerWebsite,
      Customer_Country__c: registration.customerCountry,
      Product_Line__c: registration.productLine,
      Amount__c: registration.amount,
      CurrencyIsoCode: registration.currencyIsoCode,
      Expected_Close_Date__c: registration.expectedCloseDate,
      Status__c: registration.opportunityId ? 'Converted' : registration.status,
      Conflict_Status__c: conflicts?.status ?? 'Clear',
      Conflict_Matches__c: JSON.stringify(remapped ?? []),
      Expires_At__c: registration.expiresAt,
      Opportunity__c: registration.opportunityId
        ? ids.of('Opportunity', registration.opportunityId)
        : null,
      Partner_Account__c: partner.account.Id,
      Submitted_By__c: submitter,
      OwnerId: submitter,
      Decided_By__c: decided ? manager : null,
      Decided_At__c: registration.decidedAt,
      Decision_Reason__c:
        registration.status === 'Rejected'
          ? REJECTION_REASONS[index % REJECTION_REASONS.length]!
          : null,
      CreatedDate: registration.submittedAt,
    };
  });
}

import type { CosellContext } from '../app/cosell-context.js';
import { attributionSnapshot } from '../app/attribution-snapshot.js';
import { requestStage } from '../app/request-stage.js';
import { evaluateDeal, evaluateMove } from '../domain/evaluation.js';
import type { RecordData } from '../domain/records.js';
import { RecordValidationError } from '../org/local/record-rows.js';
import { buildDemoDeals } from './demo-deals.js';
import { buildDemoPeople, demoId } from './demo-people.js';
import { buildHistoryRecords } from './seed-history.js';
import type { HistoryRecords } from './seed-history.js';

/** The part of the local store the seed writes through. */
export interface DemoSink {
  upsertRecords(objectName: string, records: RecordData[]): unknown;
  countRecords(objectName: string): number | Promise<number>;
}

export interface DemoSummary {
  deals: number;
  /** Open deals after seeding, the current ones and those of the history. */
  openDeals: number;
  transitions: number;
  pendingRequests: number;
  /** The generated past quarters: registrations, deals and their moves. */
  history: HistoryRecords['summary'] | null;
  users: Array<{
    id: string;
    name: string;
    role: string;
    account: string | null;
  }>;
}

/**
 * The error of a seeding that stopped because the demo records do not fit the
 * objects of the package folder, such as a text field shortened in force-app.
 */
export class DemoSeedError extends Error {
  constructor(cause: RecordValidationError) {
    super(
      `Seeding the demo data failed, because its records do not fit the objects of the package folder (COSELL_PACKAGE_DIR): ${cause.message}\n` +
        "Seed the demo into a store of this package's own force-app, or undo the change to that field.",
      { cause },
    );
    this.name = 'DemoSeedError';
  }
}

/**
 * Writes the demo org into an empty local store: partners with their sellers, vendor
 * sellers and a channel manager, about fifty open deals with their evidence, each
 * deal's stage history with evidence, ten past quarters of generated registrations
 * and deals (several hundred of them closed) for the forecast and backtest, and a
 * few pending requests made through the real request use case.
 */
export async function seedDemo(
  ctx: CosellContext,
  sink: DemoSink,
): Promise<DemoSummary> {
  const now = ctx.now();
  const people = buildDemoPeople();
  const keyPrefixOf = (objectName: string) => {
    const prefix = ctx.schema[objectName]?.keyPrefix;
    if (!prefix)
      throw new Error(`The schema has no key prefix for ${objectName}`);
    return prefix;
  };
  const deals = buildDemoDeals(people, now, keyPrefixOf);
  const writes: Array<[string, RecordData[]]> = [
    ...peopleWrites(people),
    ['Opportunity', deals.opportunities],
    ['OpportunityTeamMember', deals.teamMembers],
    ['Deal_Registration__c', deals.registrations],
    ['Joint_Qualification__c', deals.qualifications],
    ['Close_Plan_Step__c', deals.planSteps],
    ['Deal_Approval__c', deals.approvals],
    ['Deal_Partner__c', deals.dealPartners],
  ];
  const defaultModel = ctx.models.get('Default');
  const history = defaultModel
    ? buildHistoryRecords({
        model: defaultModel,
        people,
        now,
        keyPrefixOf,
        registrationsBefore: deals.registrations.length,
      })
    : null;
  await writeDemoRecords(sink, [...writes, ...(history?.writes ?? [])]);

  const manager = String(people.channelManager.Id);
  const transitions: RecordData[] = [];
  let transitionCount = 0;
  for (const history of deals.histories) {
    const read = await ctx.gateway.readDealContext({
      dealId: history.dealId,
      actingUserId: manager,
      plan: ctx.plan,
    });
    const deal = read.deal;
    const model = ctx.models.get('Default');
    if (!deal || !model) continue;
    const vendorId = String(deal['Vendor_Owner__c'] ?? deal['OwnerId']);
    const partnerId = String(
      deal['Partner_Owner__c'] ?? demoPartnerSeller(deal, people),
    );
    let from: string | null = null;
    history.stages.forEach((value, index) => {
      const to = model.stageByValue.get(value);
      if (!to) return;
      const fromStage = from ? (model.stageByValue.get(from) ?? null) : null;
      const evidence = evaluateMove(model, fromStage, to, deal, {
        now: new Date(history.enteredAt[index]!),
        timeZone: ctx.timeZone,
      });
      const vendorAsks = index % 2 === 0;
      transitionCount += 1;
      transitions.push({
        Id: demoId(keyPrefixOf('Stage_Transition__c'), transitionCount),
        Opportunity__c: history.dealId,
        From_Stage__c: from,
        To_Stage__c: value,
        Requested_By__c: vendorAsks ? vendorId : partnerId,
        Confirmed_By__c: vendorAsks ? partnerId : vendorId,
        Transitioned_At__c: history.enteredAt[index]!,
        Evidence_Snapshot__c: JSON.stringify(evidence),
        // A confirmed move into the won stage keeps an attribution snapshot,
        // and the attribution report leaves out won deals without one.
        Attribution_Snapshot__c: to.won
          ? attributionSnapshot(deal, history.enteredAt[index]!)
          : null,
        One_Sided__c: false,
        Key__c: `seed:${history.dealId}:${index + 1}`,
        Version__c: index + 1,
      });
      from = value;
    });
  }
  await sink.upsertRecords('Stage_Transition__c', transitions);

  let pendingRequests = 0;
  for (const [index, opportunity] of deals.opportunities.entries()) {
    if (opportunity['IsClosed'] === true || pendingRequests >= 8) continue;
    const model = ctx.models.get('Default')!;
    const read = await ctx.gateway.readDealContext({
      dealId: String(opportunity.Id),
      actingUserId: manager,
      plan: ctx.plan,
    });
    if (!read.deal) continue;
    const { results } = evaluateDeal(model, read.deal, {
      now,
      timeZone: ctx.timeZone,
    });
    if (!results.every((r) => r.met)) continue;
    const asPartner = index % 2 === 1;
    const userId = String(
      asPartner ? opportunity['Partner_Owner__c'] : opportunity['OwnerId'],
    );
    await requestStage(
      ctx,
      { callerId: 'demo-seed', userId },
      { dealId: String(opportunity.Id), kind: 'Advance' },
    );
    pendingRequests += 1;
  }

  const historyOpen = history
    ? history.summary.deals - history.summary.closedDeals
    : 0;
  return {
    deals: deals.opportunities.length,
    openDeals:
      deals.opportunities.filter((deal) => deal['IsClosed'] !== true).length +
      historyOpen,
    transitions: transitions.length,
    pendingRequests,
    history: history?.summary ?? null,
    users: describeUsers(people),
  };
}

/**
 * Writes only the demo's people into a local store: the permission sets, the
 * partner accounts with their contacts, the users and their permission set
 * assignments. It is for a store with imported deals but no users, so that
 * calls can name an acting user, and it leaves the deals as they are.
 * NOTE: it upserts by Id, so an imported record with one of the demo's Ids,
 * such as 001000000000001AAA, would be overwritten.
 */
export async function seedDemoUsers(
  sink: DemoSink,
): Promise<DemoSummary['users']> {
  const people = buildDemoPeople();
  await writeDemoRecords(sink, peopleWrites(people));
  return describeUsers(people);
}

/** Returns the writes of the demo's people, in the order their references need. */
function peopleWrites(
  people: ReturnType<typeof buildDemoPeople>,
): Array<[string, RecordData[]]> {
  return [
    ['PermissionSet', people.permissionSets],
    ['Account', people.accounts],
    ['Contact', people.contacts],
    ['User', people.users],
    ['PermissionSetAssignment', people.assignments],
  ];
}

/**
 * Upserts each object's records in order. Throws `DemoSeedError` when a record
 * does not fit the objects of the package folder.
 */
async function writeDemoRecords(
  sink: DemoSink,
  writes: Array<[string, RecordData[]]>,
): Promise<void> {
  for (const [objectName, records] of writes) {
    try {
      await sink.upsertRecords(objectName, records);
    } catch (error) {
      if (error instanceof RecordValidationError)
        throw new DemoSeedError(error);
      throw error;
    }
  }
}

/** Lists the demo users with their permission sets and partner account. */
function describeUsers(
  people: ReturnType<typeof buildDemoPeople>,
): DemoSummary['users'] {
  const accountName = new Map(
    people.accounts.map((a) => [a.Id, String(a.Name)]),
  );
  const permissionSetName = new Map(
    people.permissionSets.map((p) => [p.Id, String(p.Name)]),
  );
  const roleOf = (id: string) =>
    people.assignments
      .filter((a) => a['AssigneeId'] === id)
      .map((a) => permissionSetName.get(String(a['PermissionSetId'])) ?? '')
      .join(', ');
  return people.users.map((u) => ({
    id: String(u.Id),
    name: String(u.Name),
    role: roleOf(String(u.Id)),
    account: u['AccountId']
      ? (accountName.get(u['AccountId'] as string) ?? null)
      : null,
  }));
}

function demoPartnerSeller(
  deal: RecordData,
  people: ReturnType<typeof buildDemoPeople>,
) {
  const partner = people.partners.find(
    (p) => p.account.Id === deal['Partner_Account__c'],
  );
  return partner?.sellers[0]?.Id ?? '';
}

import { moneyText } from '../../domain/lifecycle/money.js';
import type { OrgUser, Side, StageRequest } from '../../domain/cosell.js';
import type { CriterionResult } from '../../domain/evaluation.js';
import { currentStage, evaluateMove } from '../../domain/evaluation.js';
import {
  buildAgenda,
  renderAgendaMarkdown,
} from '../../domain/lifecycle/index.js';
import type {
  Agenda,
  AgendaItem,
  DealCriteria,
  EvaluationProblem,
  LifecycleDeal,
  LifecycleStage,
  LifecycleTransition,
} from '../../domain/lifecycle/index.js';
import type { RecordData } from '../../domain/records.js';
import { StoredValueError } from '../../domain/stored-value.js';
import type { DealRole } from '../../domain/sides.js';
import type { RegistrationRecord } from '../../org/lifecycle-store.js';
import type { Actor } from '../cosell-context.js';
import { hiddenValueTest, redactResults } from '../redaction.js';
import { requestView, withoutHiddenStageSettings } from '../views.js';
import type { StageRequestView } from '../views.js';
import {
  filterReadableRegistrations,
  readDealAs,
  readFilter,
  withTeamMembers,
} from './agenda-read-rule.js';
import {
  evaluationProblem,
  storedValueProblems,
} from './agenda-stored-values.js';
import { heldCriteria } from './deal-health.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { lifecycleStages } from './lifecycle-context.js';
import { resolvePartnerScope, resolveViewer } from './lifecycle-viewer.js';
import { listLiveOpenRegistrations } from './registration-expiry.js';
import { requesterSideTest } from './requester-sides.js';
import { registrationView } from './registration-view.js';
import type { RegistrationView } from './registration-view.js';

export type SyncAgenda = Agenda<
  StageRequestView,
  CriterionResult,
  RegistrationRecord
>;

/** A stage of an agenda item, with the settings hidden from the viewer as null. */
export type AgendaStageView = Omit<
  LifecycleStage,
  'probability' | 'forecastCategory'
> & {
  probability: LifecycleStage['probability'] | null;
  forecastCategory: LifecycleStage['forecastCategory'] | null;
};

export type AgendaItemView = Omit<
  AgendaItem<StageRequestView, CriterionResult>,
  'stage'
> & { stage: AgendaStageView | null };

type ItemList =
  | 'waitingOnVendor'
  | 'waitingOnPartner'
  | 'stalled'
  | 'regressed'
  | 'blocked'
  | 'notEvaluated';

export type AgendaView = Omit<SyncAgenda, 'expiringRegistrations' | ItemList> &
  Record<ItemList, AgendaItemView[]> & {
    expiringRegistrations: Array<{
      registration: RegistrationView;
      daysLeft: number;
    }>;
  };

const PARTNER_ROLE: DealRole = {
  side: 'Partner',
  isChannelManager: false,
  isInfluencingPartner: false,
};

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Returns `Amount` as decimal text. A finite number is written with the
 * field's two places and never in exponent form (1e21 is
 * "1000000000000000000000.00"), as the store writes amounts it keeps as text.
 * Other values keep their text, so that a report that rejects them can show
 * the stored value.
 */
function amountText(amount: unknown): string | null {
  if (amount === null || amount === undefined) return null;
  if (typeof amount === 'number' && Number.isFinite(amount)) {
    return moneyText(amount);
  }
  return String(amount);
}

/** Converts a deal record with the query plan's fields to the plain deal the agenda reads. */
export function lifecycleDeal(deal: RecordData): LifecycleDeal {
  return {
    id: String(deal['Id']),
    name: text(deal['Name']) ?? String(deal['Id']),
    partnerAccountId: text(deal['Partner_Account__c']),
    model: text(deal['Cosell_Model__c']) ?? 'Default',
    stage: text(deal['Cosell_Stage__c']),
    stageEnteredAt: text(deal['Cosell_Stage_Entered_At__c']),
    amount: amountText(deal['Amount']),
    currencyIsoCode: text(deal['CurrencyIsoCode']) ?? 'USD',
    closeDate: text(deal['CloseDate']),
  };
}

/** Finds the latest move into each deal's current stage. */
async function entryTransitions(
  lc: LifecycleContext,
  deals: ReadonlyMap<string, LifecycleDeal>,
): Promise<Map<string, LifecycleTransition>> {
  const entries = new Map<string, LifecycleTransition>();
  for await (const transition of lc.store.streamTransitions()) {
    const deal = deals.get(transition.dealId);
    if (!deal || transition.toStage !== deal.stage) continue;
    const known = entries.get(deal.id);
    if (!known || Date.parse(transition.at) > Date.parse(known.at)) {
      entries.set(deal.id, transition);
    }
  }
  return entries;
}

/**
 * Reads the open deals in scope that the reader may read (every one for a
 * null reader), with their full records for evaluation. `openIds` lists every
 * open deal in scope, readable or not.
 */
async function openDeals(
  lc: LifecycleContext,
  scope: string | null,
  reader: OrgUser | null,
) {
  const records = new Map<string, RecordData>();
  const deals = new Map<string, LifecycleDeal>();
  const openIds = new Set<string>();
  const mayReadDeal = readFilter(reader);
  // The read rule and the requesters' sides both need the team members.
  const plan = withTeamMembers(lc.cosell.plan);
  for await (const record of lc.cosell.gateway.streamOpenDeals(plan)) {
    const deal = lifecycleDeal(record);
    if (scope !== null && deal.partnerAccountId !== scope) continue;
    openIds.add(deal.id);
    if (mayReadDeal && !mayReadDeal(record)) continue;
    records.set(deal.id, record);
    deals.set(deal.id, deal);
  }
  return { records, deals, openIds };
}

/**
 * Adds to `found` the closed deals in scope that still have a pending request,
 * such as the move to a won stage, which a deal can request only once it is won
 * and so closed. Each such deal is one read.
 */
async function addClosedDealsWithRequests(
  lc: LifecycleContext,
  scope: string | null,
  reader: OrgUser | null,
  requests: readonly StageRequest[],
  found: Awaited<ReturnType<typeof openDeals>>,
): Promise<void> {
  for (const request of requests) {
    if (found.openIds.has(request.dealId)) continue;
    const record = await readDealAs(
      lc,
      request.dealId,
      reader,
      reader?.id ?? request.requestedById,
    );
    if (record === null) continue;
    const deal = lifecycleDeal(record);
    if (scope !== null && deal.partnerAccountId !== scope) continue;
    found.records.set(deal.id, record);
    found.deals.set(deal.id, deal);
  }
}

/**
 * Returns the Ids of the pending requests whose requester is no longer on the
 * requesting side of the deal, reading every requester in one call.
 */
async function requestersLeftSide(
  lc: LifecycleContext,
  records: ReadonlyMap<string, RecordData>,
  pending: ReadonlyMap<string, StageRequest>,
): Promise<Set<string>> {
  const onSide = await requesterSideTest(lc, pending.values());
  const leftSide = new Set<string>();
  for (const [dealId, request] of pending) {
    const record = records.get(dealId);
    if (record && !onSide(request, record)) leftSide.add(request.id);
  }
  return leftSide;
}

/**
 * Evaluates, now, each open deal's criteria that must still hold and those of
 * its pending Advance request, hiding vendor-only evidence from partner users.
 * A deal with a problem in `problems`, or whose criteria read an invalid
 * stored value, gets a `problem` instead, so that one bad value does not stop
 * the agenda.
 */
function evaluateDeals(
  lc: LifecycleContext,
  side: Side,
  records: ReadonlyMap<string, RecordData>,
  entries: ReadonlyMap<string, LifecycleTransition>,
  pending: ReadonlyMap<string, StageRequest>,
  problems: ReadonlyMap<string, EvaluationProblem>,
): DealCriteria<CriterionResult>[] {
  const now = lc.cosell.now();
  const criteria: DealCriteria<CriterionResult>[] = [];
  for (const [dealId, record] of records) {
    const problem = problems.get(dealId);
    if (problem) {
      criteria.push({ dealId, held: [], problem });
      continue;
    }
    const model = lc.cosell.models.get(lifecycleDeal(record).model);
    // storedValueProblems gives every deal without a loaded model a problem.
    if (!model) continue;
    // A partner user's error for an invalid stored value leaves out the
    // values that redaction hides from them.
    const hidesValue =
      side === 'Vendor' ? undefined : hiddenValueTest(model, PARTNER_ROLE);
    const env = {
      now,
      timeZone: lc.cosell.timeZone,
      ...(hidesValue ? { hidesValue } : {}),
    };
    const redact = (results: CriterionResult[]) =>
      side === 'Vendor' ? results : redactResults(results, model, PARTNER_ROLE);
    try {
      const entry: DealCriteria<CriterionResult> = {
        dealId,
        held: redact(heldCriteria(model, record, entries.get(dealId), env)),
      };
      const request = pending.get(dealId);
      const to = request ? model.stageByValue.get(request.toStage) : undefined;
      if (request?.kind === 'Advance' && to) {
        const from = currentStage(model, record);
        entry.pendingMove = redact(evaluateMove(model, from, to, record, env));
      }
      criteria.push(entry);
    } catch (error) {
      if (!(error instanceof StoredValueError)) throw error;
      criteria.push({ dealId, held: [], problem: evaluationProblem(error) });
    }
  }
  const failed = criteria.flatMap((entry) =>
    entry.problem ? [entry.problem] : [],
  );
  if (failed.length > 0) {
    // One line per agenda, without the stored values.
    lc.cosell.logger.warn(
      {
        count: failed.length,
        fields: failed.map(({ object, recordId, field }) => ({
          object,
          recordId,
          field,
        })),
      },
      'Agenda lists deals with an invalid stored value as not evaluated',
    );
  }
  return criteria;
}

/**
 * Builds the joint sync agenda: requests waiting on each side, blocked,
 * regressed and stalled deals, and registrations about to expire. A partner
 * user gets only their own account. The vendor side gets every partner, or
 * the one named in the request. Either side gets only the deals the user may
 * read through `GET /v1/deals/{dealId}`, and the registrations of those deals
 * or, for a partner user, of their own account.
 */
export async function getSyncAgenda(
  lc: LifecycleContext,
  actor: Actor,
  query: { partnerAccountId?: string; expiringWithinDays: number },
): Promise<{ view: AgendaView; markdown: () => string }> {
  const viewer = await resolveViewer(lc.cosell, actor);
  const scope = await resolvePartnerScope(lc, viewer, query.partnerAccountId);
  const agenda = await buildSyncAgenda(lc, {
    side: viewer.side,
    reader: viewer.user,
    partnerAccountId: scope,
    expiringWithinDays: query.expiringWithinDays,
  });
  const items = (list: SyncAgenda[ItemList]): AgendaItemView[] =>
    list.map((item) => ({
      ...item,
      stage: item.stage
        ? withoutHiddenStageSettings(
            item.stage,
            lc.cosell.models.get(item.stage.model),
            viewer.side,
          )
        : null,
    }));
  const view: AgendaView = {
    ...agenda,
    waitingOnVendor: items(agenda.waitingOnVendor),
    waitingOnPartner: items(agenda.waitingOnPartner),
    stalled: items(agenda.stalled),
    regressed: items(agenda.regressed),
    blocked: items(agenda.blocked),
    notEvaluated: items(agenda.notEvaluated),
    expiringRegistrations: agenda.expiringRegistrations.map(
      ({ registration, daysLeft }) => ({
        registration: registrationView(registration, viewer),
        daysLeft,
      }),
    ),
  };
  return { view, markdown: () => renderAgendaMarkdown(agenda) };
}

/**
 * Builds the agenda as `side` sees it, for one partner account or (null) for
 * every partner. With a `reader`, it lists only the deals and registrations
 * that user may read. Without one it checks no access: for internal ops exports, whose callers
 * checked access already. The partner side gets vendor-only evidence redacted.
 */
export async function buildSyncAgenda(
  lc: LifecycleContext,
  audience: {
    side: Side;
    reader?: OrgUser;
    partnerAccountId: string | null;
    expiringWithinDays: number;
  },
): Promise<SyncAgenda> {
  const scope = audience.partnerAccountId;
  const [found, requests, liveRegistrations] = await Promise.all([
    openDeals(lc, scope, audience.reader ?? null),
    lc.store.listPendingRequests(),
    listLiveOpenRegistrations(lc),
  ]);
  const { records, deals, openIds } = found;
  await addClosedDealsWithRequests(
    lc,
    scope,
    audience.reader ?? null,
    requests,
    found,
  );
  const registrations = audience.reader
    ? await filterReadableRegistrations(
        lc,
        audience.reader,
        liveRegistrations,
        { open: openIds, readable: new Set(deals.keys()) },
      )
    : liveRegistrations;
  const entries = await entryTransitions(lc, deals);
  const pending = new Map(
    requests
      .filter((request) => deals.has(request.dealId))
      .map((request) => [request.dealId, request]),
  );
  const problems = storedValueProblems(
    lc.cosell.models,
    deals.values(),
    pending,
  );
  // A deal with such a problem is listed only under notEvaluated, because
  // its request's age or expiry or its days in stage are unknown. Without a
  // loaded model, the fields to hide from partner users are unknown too.
  const usable = (dealId: string) => !problems.has(dealId);
  const partnerIds = new Set<string>(
    [...deals.values()].flatMap((deal) =>
      deal.partnerAccountId ? [deal.partnerAccountId] : [],
    ),
  );
  for (const registration of registrations) {
    partnerIds.add(registration.partnerAccountId);
  }
  if (scope) partnerIds.add(scope);
  const models = lc.cosell.models;
  const leftSide = await requestersLeftSide(lc, records, pending);
  return buildAgenda({
    now: lc.cosell.now().toISOString(),
    zone: lc.cosell.timeZone,
    side: audience.side,
    partnerAccountId: scope,
    expiringWithinDays: audience.expiringWithinDays,
    stages: lifecycleStages(lc.cosell),
    deals: [...deals.values()].map((deal) =>
      usable(deal.id) ? deal : { ...deal, stageEnteredAt: null },
    ),
    partners: await lc.store.listAccounts([...partnerIds]),
    requestersLeftSide: leftSide,
    requests: [...pending.values()]
      .filter((request) => usable(request.dealId))
      .map((request) => {
        const view = requestView(request, undefined, !leftSide.has(request.id));
        const model = models.get(deals.get(request.dealId)!.model);
        if (audience.side === 'Partner' && model) {
          view.unmet = redactResults(view.unmet, model, PARTNER_ROLE);
        }
        return view;
      }),
    criteria: evaluateDeals(
      lc,
      audience.side,
      records,
      entries,
      pending,
      problems,
    ),
    registrations,
  });
}

import { RELATIONSHIPS, REQUEST_FIELDS } from '../../domain/api-names.js';
import type { RecordData } from '../../domain/records.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type {
  DealContext,
  DealContextQuery,
  DealQueryPlan,
} from '../gateway.js';
import { SalesforceCallError } from './api-error.js';
import {
  allRecords,
  querySubrequest,
  sendComposite,
  type CompositeResult,
  type QueryPage,
  type Subrequest,
} from './composite.js';
import { checkSelectedFields } from './org-response.js';
import type { RecordNormalizer } from './record-normalizer.js';
import type { SalesforceApi } from './salesforce-api.js';
import { soqlDateTime, soqlId, soqlString } from './soql.js';
import { selectList, subquery } from './soql-select.js';
import {
  IDEMPOTENCY_SELECT,
  PERMISSION_SET_SUBQUERY,
  REQUEST_SELECT,
  toIdempotencyRecord,
  toOrgUser,
  toStageRequest,
  USER_SELECT,
} from './workflow-records.js';

const OPERATION = 'read deal context';
const PENDING = `${REQUEST_FIELDS.status} = 'Pending'`;

/**
 * Reads everything a decision needs in one `POST /composite` call (allOrNone off,
 * nothing written): the named request, the deal with the plan's fields, lookups
 * and children (team members and the pending request as subqueries), the acting
 * user with their permission sets, and the idempotency record. With a
 * `requestId`, the deal and requester queries take their Ids from the request
 * query's result (`@{request.records[0].Opportunity__c}`), so a missing request
 * leaves them unresolved and all three come back `null`. That is at most five
 * queries, the composite API's limit.
 */
export async function readDealContext(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  query: DealContextQuery,
  now: Date,
): Promise<DealContext> {
  const context: DealContext = {
    deal: null,
    teamMemberIds: [],
    actingUser: null,
    requester: null,
    pendingRequest: null,
    request: null,
    idempotency: null,
  };
  const subrequests = buildSubrequests(api, query, now);
  if (subrequests.length === 0) return context;
  // A failed subrequest is thrown inside the retried call, so a row lock in one
  // query part is retried like a row lock of the whole call.
  const result = await api.retrying(OPERATION, async () => {
    const sent = await sendComposite(api, OPERATION, subrequests, false);
    throwFailures(sent, subrequests);
    return sent;
  });

  const [request] = await records(api, result, 'request', REQUEST_SELECT);
  if (request) context.request = toStageRequest(normalizer.fromJson(request));
  const [user] = await records(api, result, 'user', USER_SELECT);
  if (user) context.actingUser = toOrgUser(normalizer.fromJson(user));
  const [requester] = await records(api, result, 'requester', USER_SELECT);
  if (requester) context.requester = toOrgUser(normalizer.fromJson(requester));
  const [idempotency] = await records(
    api,
    result,
    'idempotency',
    IDEMPOTENCY_SELECT,
  );
  if (idempotency) {
    context.idempotency = toIdempotencyRecord(normalizer.fromJson(idempotency));
  }
  const [rawDeal] = await records(api, result, 'deal', [
    ...selectList(query.plan.dealFields),
    ...Object.keys(query.plan.children),
    RELATIONSHIPS.teamMembers,
    RELATIONSHIPS.requests,
  ]);
  if (rawDeal) {
    await completeChildren(api, rawDeal);
    Object.assign(context, splitDeal(normalizer.fromJson(rawDeal), query.plan));
  }
  return context;
}

function buildSubrequests(
  api: SalesforceApi,
  query: DealContextQuery,
  now: Date,
): Subrequest[] {
  const subrequests: Subrequest[] = [];
  let dealIdLiteral: string | null = null;
  if (query.requestId !== undefined) {
    if (isSalesforceId(query.requestId)) {
      subrequests.push(
        querySubrequest(
          api,
          'request',
          `SELECT ${REQUEST_SELECT.join(', ')} FROM Stage_Request__c WHERE Id = ${soqlId(query.requestId)}`,
        ),
      );
      dealIdLiteral = `'@{request.records[0].${REQUEST_FIELDS.opportunity}}'`;
      subrequests.push(
        querySubrequest(
          api,
          'requester',
          userSoql(`'@{request.records[0].${REQUEST_FIELDS.requestedBy}}'`),
        ),
      );
    }
  } else if (query.dealId !== undefined && isSalesforceId(query.dealId)) {
    dealIdLiteral = soqlId(query.dealId);
  }
  if (dealIdLiteral) {
    subrequests.push(
      querySubrequest(api, 'deal', dealSoql(query.plan, dealIdLiteral)),
    );
  }
  if (isSalesforceId(query.actingUserId)) {
    subrequests.push(
      querySubrequest(api, 'user', userSoql(soqlId(query.actingUserId))),
    );
  }
  if (query.idempotencyKey !== undefined) {
    subrequests.push(
      querySubrequest(
        api,
        'idempotency',
        `SELECT ${IDEMPOTENCY_SELECT.join(', ')} FROM Idempotency_Record__c ` +
          `WHERE Key__c = ${soqlString(query.idempotencyKey)} AND Expires_At__c > ${soqlDateTime(now)}`,
      ),
    );
  }
  return subrequests;
}

function userSoql(userIdLiteral: string): string {
  return `SELECT ${USER_SELECT.join(', ')}, (${PERMISSION_SET_SUBQUERY}) FROM User WHERE Id = ${userIdLiteral}`;
}

/**
 * The deal query: the plan's fields, its child relationships, the team members'
 * user Ids and the pending request. When the plan reads `Stage_Requests__r`
 * itself, that subquery reads every request and the pending one is picked here.
 */
export function dealSoql(plan: DealQueryPlan, dealIdLiteral: string): string {
  const children = new Map<string, { paths: string[]; where?: string }>();
  for (const [relationship, paths] of Object.entries(plan.children)) {
    children.set(relationship, { paths: [...paths] });
  }
  const team = children.get(RELATIONSHIPS.teamMembers);
  children.set(RELATIONSHIPS.teamMembers, {
    paths: [...(team?.paths ?? []), 'UserId'],
  });
  const requests = children.get(RELATIONSHIPS.requests);
  children.set(
    RELATIONSHIPS.requests,
    requests
      ? { paths: [...requests.paths, ...REQUEST_SELECT] }
      : { paths: REQUEST_SELECT, where: PENDING },
  );
  const subqueries = [...children].map(([relationship, child]) =>
    subquery(relationship, child.paths, child.where),
  );
  return (
    `SELECT ${[...selectList(plan.dealFields), ...subqueries].join(', ')} ` +
    `FROM Opportunity WHERE Id = ${dealIdLiteral}`
  );
}

/** Takes the team and the pending request out of the deal unless the plan reads them. */
function splitDeal(
  deal: RecordData,
  plan: DealQueryPlan,
): Pick<DealContext, 'deal' | 'teamMemberIds' | 'pendingRequest'> {
  const team = (deal[RELATIONSHIPS.teamMembers] as RecordData[] | null) ?? [];
  const requests = (deal[RELATIONSHIPS.requests] as RecordData[] | null) ?? [];
  const pending = requests.find(
    (row) => row[REQUEST_FIELDS.status] === 'Pending',
  );
  if (!(RELATIONSHIPS.teamMembers in plan.children)) {
    delete deal[RELATIONSHIPS.teamMembers];
  }
  if (!(RELATIONSHIPS.requests in plan.children)) {
    delete deal[RELATIONSHIPS.requests];
  }
  return {
    deal,
    teamMemberIds: team
      .map((row) => row.UserId)
      .filter((id): id is string => typeof id === 'string')
      .map((id) => toId18(id)),
    pendingRequest: pending ? toStageRequest(pending) : null,
  };
}

/**
 * Throws one error with the errors of every failed query. The deal and
 * requester queries may fail only because the named request does not exist,
 * which leaves their `@{request...}` references without a value. That means
 * "no deal" and "no requester".
 */
function throwFailures(result: CompositeResult, subrequests: Subrequest[]) {
  const requestMissing =
    result.ok('request') && result.queryPage('request').records.length === 0;
  const errors = subrequests
    .map((subrequest) => subrequest.referenceId)
    .filter((referenceId) => !result.ok(referenceId))
    .filter(
      (referenceId) =>
        !(
          (referenceId === 'deal' || referenceId === 'requester') &&
          requestMissing &&
          result.unresolved(referenceId)
        ),
    )
    .flatMap((referenceId) => result.errors(referenceId));
  if (errors.length > 0) throw new SalesforceCallError(OPERATION, errors);
}

/**
 * The records of a successful query subrequest, all pages; none if it did not
 * run. A record without one of the `selected` fields raises a `malformed`
 * error, so a cut response never reads as a blank Id or owner.
 */
async function records(
  api: SalesforceApi,
  result: CompositeResult,
  referenceId: string,
  selected: readonly string[],
): Promise<Record<string, unknown>[]> {
  if (!result.ok(referenceId)) return [];
  const rows = await allRecords(api, OPERATION, result.queryPage(referenceId));
  for (const row of rows) {
    checkSelectedFields(
      OPERATION,
      `a record of subrequest ${referenceId}`,
      row,
      selected,
    );
  }
  return rows;
}

/**
 * Completes child relationships that Salesforce paged (`done: false`), one more
 * call per page, so aggregates over children count every child.
 */
async function completeChildren(
  api: SalesforceApi,
  record: Record<string, unknown>,
): Promise<void> {
  for (const value of Object.values(record)) {
    if (value === null || typeof value !== 'object') continue;
    const page = value as Partial<QueryPage>;
    if (Array.isArray(page.records) && page.done === false) {
      page.records = await allRecords(api, OPERATION, page as QueryPage);
      page.done = true;
    }
  }
}

import type { OrgUser } from '../../domain/cosell.js';
import type { RecordData } from '../../domain/records.js';
import type {
  DealContext,
  DealContextQuery,
  DealQueryPlan,
} from '../gateway.js';
import { quote } from './migrations.js';
import type { RecordReader } from './record-reader.js';
import { toIdempotencyRecord, toStageRequest } from './row-mappers.js';

type Row = Record<string, unknown>;

/** Reads a deal with the plan's fields, lookups and children. */
function readDeal(
  reader: RecordReader,
  row: Row,
  plan: DealQueryPlan,
): RecordData {
  const deal = reader.toRecord('Opportunity', row, plan.dealFields);
  attachChildren(reader, [deal], plan);
  return deal;
}

/** Adds each planned child relationship to the deals, one query per relationship. */
function attachChildren(
  reader: RecordReader,
  deals: RecordData[],
  plan: DealQueryPlan,
): void {
  const opportunity = reader.object('Opportunity');
  const ids = deals.map((d) => String(d['Id']));
  const byId = new Map(deals.map((d) => [String(d['Id']), d]));
  for (const [relationship, paths] of Object.entries(plan.children)) {
    const child = opportunity.childRelationships[relationship];
    if (!child) continue;
    for (const deal of deals) deal[child.relationshipName] = [];
    const placeholders = ids.map(() => '?').join(', ');
    const rows = reader
      .statement(
        `SELECT * FROM ${quote(child.childSObject)} WHERE ${quote(child.field)} IN (${placeholders}) ORDER BY rowid`,
      )
      .all(...ids) as Row[];
    for (const row of rows) {
      const parent = byId.get(String(row[child.field]));
      const list = parent?.[child.relationshipName];
      if (Array.isArray(list))
        list.push(reader.toRecord(child.childSObject, row, paths));
    }
  }
}

/** Everything a decision needs about one deal, read in one pass. */
export function readDealContext(
  reader: RecordReader,
  query: DealContextQuery,
  userById: (id: string) => OrgUser | null,
): DealContext {
  const context: DealContext = {
    deal: null,
    teamMemberIds: [],
    actingUser: userById(query.actingUserId),
    pendingRequest: null,
    request: null,
    idempotency: null,
  };
  let dealId = query.dealId;
  if (query.requestId) {
    const requestRow = reader.rowById('Stage_Request__c', query.requestId);
    if (requestRow) {
      context.request = toStageRequest(requestRow);
      dealId = context.request.dealId;
    }
  }
  if (query.idempotencyKey) {
    const row = reader
      .statement(
        'SELECT * FROM "Idempotency_Record__c" WHERE "Key__c" = ? AND "Expires_At__c" > ?',
      )
      .get(query.idempotencyKey, new Date().toISOString()) as Row | undefined;
    context.idempotency = row ? toIdempotencyRecord(row) : null;
  }
  if (!dealId) return context;
  const row = reader.rowById('Opportunity', dealId);
  if (!row) return context;
  context.deal = readDeal(reader, row, query.plan);
  context.teamMemberIds = (
    reader
      .statement(
        'SELECT "UserId" FROM "OpportunityTeamMember" WHERE "OpportunityId" = ?',
      )
      .all(dealId) as Array<{ UserId: string }>
  ).map((r) => r.UserId);
  const pending = reader
    .statement(
      'SELECT * FROM "Stage_Request__c" WHERE "Opportunity__c" = ? AND "Status__c" = \'Pending\'',
    )
    .get(dealId) as Row | undefined;
  context.pendingRequest = pending ? toStageRequest(pending) : null;
  return context;
}

const BATCH = 500;

/**
 * Iterates deals in batches of 500 by rowid, with their children, so memory stays
 * bounded by one batch whatever the number of deals.
 */
export async function* streamDeals(
  reader: RecordReader,
  plan: DealQueryPlan,
  options: { openOnly: boolean },
): AsyncIterable<RecordData> {
  let after = 0;
  const filter = options.openOnly ? 'AND "IsClosed" = 0' : '';
  const statement = reader.statement(
    `SELECT rowid AS _rowid, * FROM "Opportunity" WHERE rowid > ? ${filter} ORDER BY rowid LIMIT ${BATCH}`,
  );
  for (;;) {
    const rows = statement.all(after) as Row[];
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]!['_rowid']);
    const deals = rows.map((row) =>
      reader.toRecord('Opportunity', row, plan.dealFields),
    );
    attachChildren(reader, deals, plan);
    for (const deal of deals) yield deal;
  }
}

import type Database from 'better-sqlite3';
import {
  IDEMPOTENCY_FIELDS as I,
  REQUEST_FIELDS as R,
} from '../../domain/api-names.js';
import type { DealContext, DealContextQuery } from '../gateway.js';
import { attachChildren } from './deal-plan.js';
import type { PlanCache } from './deal-plan.js';
import { toIdempotencyRecord, toStageRequest } from './row-mappers.js';
import type { Row } from './row-mappers.js';
import { idParam } from './sql.js';
import type { StatementCache } from './sql.js';
import type { UserReads } from './user-reads.js';

/** The fixed statements of the read, besides the plan's and the user's. */
export const DEAL_CONTEXT_SQL = {
  requestById: 'SELECT * FROM "Stage_Request__c" WHERE "Id" = ?',
  pendingRequest: `SELECT * FROM "Stage_Request__c" WHERE "${R.opportunity}" = ? AND "${R.status}" = 'Pending'`,
  teamMemberIds:
    'SELECT "UserId" FROM "OpportunityTeamMember" WHERE "OpportunityId" = ? ORDER BY rowid',
  liveIdempotency: `SELECT * FROM "Idempotency_Record__c" WHERE "${I.key}" = ? AND "${I.expiresAt}" > ?`,
};
const SQL = DEAL_CONTEXT_SQL;

/**
 * Reads everything a decision needs about one deal in one read transaction, so the
 * deal, its pending request and the idempotency record are one snapshot. Each part
 * is an indexed look-up: request by Id, deal by Id with its lookups joined, each
 * child relationship by its lookup index, team members, the acting user and the
 * named request's requester with their permission sets, the pending request, and
 * the idempotency key.
 */
export class DealContextReads {
  private readonly readInTransaction: (query: DealContextQuery) => DealContext;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
    private readonly plans: PlanCache,
    private readonly users: UserReads,
    private readonly now: () => Date,
  ) {
    this.readInTransaction = db.transaction((query: DealContextQuery) =>
      this.readNow(query),
    );
  }

  read(query: DealContextQuery): DealContext {
    return this.readInTransaction(query);
  }

  private readNow(query: DealContextQuery): DealContext {
    const compiled = this.plans.get(query.plan);
    const context: DealContext = {
      deal: null,
      teamMemberIds: [],
      actingUser: this.users.byId(query.actingUserId),
      requester: null,
      pendingRequest: null,
      request: null,
      idempotency: null,
    };
    let dealId = query.dealId === undefined ? undefined : idParam(query.dealId);
    if (query.requestId !== undefined) {
      const row = this.statements
        .get(SQL.requestById)
        .get(idParam(query.requestId)) as Row | undefined;
      if (row) {
        context.request = toStageRequest(row);
        context.requester = this.users.byId(context.request.requestedById);
        dealId = context.request.dealId;
      }
    }
    if (query.idempotencyKey !== undefined) {
      const row = this.statements
        .get(SQL.liveIdempotency)
        .get(query.idempotencyKey, this.now().toISOString()) as Row | undefined;
      context.idempotency = row ? toIdempotencyRecord(row) : null;
    }
    if (dealId === undefined) return context;

    const values = this.statements
      .get(compiled.dealByIdSql)
      .raw(true)
      .get(dealId) as unknown[] | undefined;
    if (!values) return context;
    context.deal = compiled.deal.toRecord(values);
    attachChildren(this.statements, compiled, [context.deal]);
    context.teamMemberIds = (
      this.statements.get(SQL.teamMemberIds).all(dealId) as Array<{
        UserId: string;
      }>
    ).map((row) => row.UserId);
    const pending = this.statements.get(SQL.pendingRequest).get(dealId) as
      | Row
      | undefined;
    context.pendingRequest = pending ? toStageRequest(pending) : null;
    return context;
  }
}

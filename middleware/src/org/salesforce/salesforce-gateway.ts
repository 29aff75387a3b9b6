import type { Logger } from 'pino';
import { REQUEST_FIELDS, TRANSITION_FIELDS } from '../../domain/api-names.js';
import type {
  IdempotencyRecord,
  OrgUser,
  StageRequest,
  StageTransition,
} from '../../domain/cosell.js';
import type { ModelSource } from '../../domain/model.js';
import type { RecordData } from '../../domain/records.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { OrgSchema } from '../../domain/schema.js';
import { ModelLoadError } from '../../domain/stage-model.js';
import type {
  DealContext,
  DealContextQuery,
  DealQueryPlan,
  MoveWrite,
  NewStageRequest,
  OrgGateway,
  RequestSnapshotWrite,
  RequestStatusWrite,
} from '../gateway.js';
import { StoreUnavailableError } from '../errors.js';
import { checkBatchLimit } from '../gateway.js';
import { describeErrors, toCallError } from './api-error.js';
import {
  MAX_QUERY_SUBREQUESTS,
  allRecords,
  queryRecords,
  querySubrequest,
  sendComposite,
  type Subrequest,
} from './composite.js';
import type { SalesforceCallSettings } from './config.js';
import { readDealContext } from './deal-context-read.js';
import { describeSchema } from './describe-schema.js';
import { toGatewayError } from './gateway-errors.js';
import {
  purgeExpiredRecords,
  reusingExpiredKey,
  reusingStaleRequestKey,
} from './idempotency-records.js';
import { checkCriterionFields, loadModelSource } from './model-source.js';
import { applyMove } from './move-write.js';
import { streamOpenDeals } from './open-deals-stream.js';
import { RecordNormalizer } from './record-normalizer.js';
import {
  closeRequest,
  createRequest,
  getRequest,
  updateRequestSnapshot,
} from './request-writes.js';
import {
  SalesforceApi,
  type SalesforceConnection,
  type TokenSource,
} from './salesforce-api.js';
import { soqlDateTime, soqlIdList, soqlString } from './soql.js';
import {
  PERMISSION_SET_SUBQUERY,
  REQUEST_SELECT,
  toOrgUser,
  toStageRequest,
  toStageTransition,
  TRANSITION_SELECT,
  USER_SELECT,
} from './workflow-records.js';

export interface SalesforceGatewayOptions {
  /** A jsforce 3 or `@jsforce/jsforce-node` connection with its token and instance URL. */
  connection: SalesforceConnection;
  settings: SalesforceCallSettings;
  logger: Logger;
  /** Renews the session when it expires; an sf command's connection renews itself. */
  tokenSource?: TokenSource;
  /** The clock that decides which idempotency records expired; default the system clock. */
  now?: () => Date;
}

/** Users per `WHERE Id IN (...)` query, keeping each URL far below Salesforce's limit. */
const USERS_PER_QUERY = 100;

/**
 * `OrgGateway` on a Salesforce org through jsforce. A decision costs one composite
 * read and a confirmed move one composite write; describe and the stage models are
 * read once at start. Every failure is raised as one of the port's error classes.
 */
export class SalesforceGateway implements OrgGateway {
  readonly kind = 'salesforce' as const;
  readonly api: SalesforceApi;
  private schema: Promise<OrgSchema> | undefined;
  private readonly now: () => Date;

  constructor(options: SalesforceGatewayOptions) {
    this.api = new SalesforceApi(options.connection, {
      settings: options.settings,
      logger: options.logger,
      tokenSource: options.tokenSource,
    });
    this.now = options.now ?? (() => new Date());
  }

  /** Describes the product's objects on first use and keeps the result. */
  describeSchema(): Promise<OrgSchema> {
    this.schema ??= describeSchema(this.api).catch((error: unknown) => {
      this.schema = undefined;
      throw toGatewayError('describe objects', error);
    });
    return this.schema;
  }

  /**
   * Reads the stage models and checks that every field their criteria read is in
   * the described schema, naming the criterion and the field when one is not.
   */
  async loadModelSource(): Promise<ModelSource> {
    const normalizer = await this.normalizer();
    let source: ModelSource;
    try {
      source = await loadModelSource(this.api, normalizer);
    } catch (error) {
      if (error instanceof ModelLoadError) throw error;
      throw toGatewayError('load stage models', error);
    }
    checkCriterionFields(source, await this.describeSchema());
    return source;
  }

  async readDealContext(query: DealContextQuery): Promise<DealContext> {
    const normalizer = await this.normalizer();
    return this.guard('read deal context', () =>
      readDealContext(this.api, normalizer, query, this.now()),
    );
  }

  async createRequest(
    request: NewStageRequest,
    idempotency?: IdempotencyRecord,
  ): Promise<StageRequest> {
    const normalizer = await this.normalizer();
    const now = this.now();
    return reusingStaleRequestKey(this.api, request.idempotencyKey, now, () =>
      reusingExpiredKey(this.api, idempotency, now, () =>
        createRequest(this.api, normalizer, request, idempotency),
      ),
    );
  }

  async applyMove(move: MoveWrite): Promise<StageTransition> {
    const normalizer = await this.normalizer();
    return reusingExpiredKey(this.api, move.idempotency, this.now(), () =>
      applyMove(this.api, normalizer, move),
    );
  }

  async closeRequest(write: RequestStatusWrite): Promise<StageRequest> {
    const normalizer = await this.normalizer();
    return reusingExpiredKey(this.api, write.idempotency, this.now(), () =>
      closeRequest(this.api, normalizer, write),
    );
  }

  async updateRequestSnapshot(write: RequestSnapshotWrite): Promise<void> {
    return updateRequestSnapshot(this.api, write);
  }

  async getRequest(requestId: string): Promise<StageRequest | null> {
    if (!isSalesforceId(requestId)) return null;
    const normalizer = await this.normalizer();
    return this.guard('get stage request', () =>
      getRequest(this.api, normalizer, requestId),
    );
  }

  async findRequestCreatedAfter(
    dealId: string,
    createdAt: string,
  ): Promise<StageRequest | null> {
    if (!isSalesforceId(dealId)) return null;
    // CreatedDate and SOQL literals have whole seconds, so this looks from the next
    // second, and a request made in the same second as `createdAt` is not found.
    const nextSecond = new Date(
      Math.floor(Date.parse(createdAt) / 1000) * 1000 + 1000,
    );
    return this.findOneRequest(
      'find a later stage request',
      `${REQUEST_FIELDS.opportunity} = ${soqlString(toId18(dealId))} AND CreatedDate >= ${soqlDateTime(nextSecond)} ORDER BY CreatedDate LIMIT 1`,
    );
  }

  async findRequestByIdempotencyKey(key: string): Promise<StageRequest | null> {
    return this.findOneRequest(
      'find stage request by key',
      `${REQUEST_FIELDS.idempotencyKey} = ${soqlString(key)}`,
    );
  }

  /** Returns the first stage request that `afterWhere`, the SOQL after WHERE, selects, or null. */
  private async findOneRequest(
    operation: string,
    afterWhere: string,
  ): Promise<StageRequest | null> {
    const normalizer = await this.normalizer();
    const rows = await this.guard(operation, () =>
      queryRecords(
        this.api,
        operation,
        `SELECT ${REQUEST_SELECT.join(', ')} FROM Stage_Request__c WHERE ${afterWhere}`,
      ),
    );
    const [row] = rows;
    return row ? toStageRequest(normalizer.fromJson(row)) : null;
  }

  async listTransitions(dealId: string): Promise<StageTransition[]> {
    if (!isSalesforceId(dealId)) return [];
    const normalizer = await this.normalizer();
    const rows = await this.guard('list stage transitions', () =>
      queryRecords(
        this.api,
        'list stage transitions',
        `SELECT ${TRANSITION_SELECT.join(', ')} FROM Stage_Transition__c ` +
          `WHERE ${TRANSITION_FIELDS.opportunity} = '${toId18(dealId)}' ` +
          `ORDER BY ${TRANSITION_FIELDS.version}, ${TRANSITION_FIELDS.at}`,
      ),
    );
    return rows.map((row) => toStageTransition(normalizer.fromJson(row)));
  }

  /**
   * Reads users with their permission sets, up to 500 per composite call (five
   * queries of 100 Ids). No Ids, no call.
   */
  /** Reads the resource list of the pinned API version, a call that reads no records. */
  async checkAvailable(): Promise<void> {
    const operation = 'check availability';
    try {
      await this.api.send(operation, { method: 'GET', url: '/' });
    } catch (error) {
      const failure = toCallError(operation, error);
      throw new StoreUnavailableError(
        `${operation}: ${describeErrors(failure.errors)}`,
        { cause: failure },
      );
    }
  }

  async getUsers(userIds: string[]): Promise<OrgUser[]> {
    const ids = [
      ...new Set(userIds.filter(isSalesforceId).map((id) => toId18(id))),
    ];
    if (ids.length === 0) return [];
    const normalizer = await this.normalizer();
    const operation = 'get users';
    const users: OrgUser[] = [];
    const perCall = USERS_PER_QUERY * MAX_QUERY_SUBREQUESTS;
    for (let start = 0; start < ids.length; start += perCall) {
      const chunk = ids.slice(start, start + perCall);
      const subrequests: Subrequest[] = [];
      for (let i = 0; i < chunk.length; i += USERS_PER_QUERY) {
        subrequests.push(
          querySubrequest(
            this.api,
            `users${i / USERS_PER_QUERY}`,
            `SELECT ${USER_SELECT.join(', ')}, (${PERMISSION_SET_SUBQUERY}) FROM User ` +
              `WHERE Id IN ${soqlIdList(chunk.slice(i, i + USERS_PER_QUERY))}`,
          ),
        );
      }
      await this.guard(operation, async () => {
        const result = await this.api.retrying(operation, async () => {
          const sent = await sendComposite(
            this.api,
            operation,
            subrequests,
            false,
          );
          sent.throwIfFailed();
          return sent;
        });
        for (const subrequest of subrequests) {
          const page = result.queryPage(subrequest.referenceId);
          for (const row of await allRecords(this.api, operation, page)) {
            users.push(toOrgUser(normalizer.fromJson(row)));
          }
        }
      });
    }
    const byId = new Map(users.map((user) => [user.id, user]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Reads the user whose `Username` is `username`, with its permission sets, or
   * returns null when the org returns no such user.
   */
  async findUserByUsername(username: string): Promise<OrgUser | null> {
    const normalizer = await this.normalizer();
    const operation = 'find user by username';
    const rows = await this.guard(operation, () =>
      queryRecords(
        this.api,
        operation,
        `SELECT ${USER_SELECT.join(', ')}, (${PERMISSION_SET_SUBQUERY}) FROM User ` +
          `WHERE Username = ${soqlString(username)}`,
      ),
    );
    const [row] = rows;
    return row ? toOrgUser(normalizer.fromJson(row)) : null;
  }

  async listExpiredPending(
    now: string,
    limit: number,
  ): Promise<StageRequest[]> {
    checkBatchLimit(limit);
    const normalizer = await this.normalizer();
    const rows = await this.guard('list expired requests', () =>
      queryRecords(
        this.api,
        'list expired requests',
        `SELECT ${REQUEST_SELECT.join(', ')} FROM Stage_Request__c ` +
          `WHERE ${REQUEST_FIELDS.status} = 'Pending' AND ${REQUEST_FIELDS.expiresAt} < ${soqlDateTime(now)} ` +
          `ORDER BY ${REQUEST_FIELDS.expiresAt} LIMIT ${limit}`,
      ),
    );
    return rows.map((row) => toStageRequest(normalizer.fromJson(row)));
  }

  async purgeExpiredIdempotency(now: string, limit: number): Promise<number> {
    checkBatchLimit(limit);
    return this.guard('purge expired idempotency records', () =>
      purgeExpiredRecords(this.api, now, limit),
    );
  }

  async *streamOpenDeals(plan: DealQueryPlan): AsyncGenerator<RecordData> {
    const schema = await this.describeSchema();
    const normalizer = new RecordNormalizer(schema);
    try {
      yield* streamOpenDeals(this.api, normalizer, schema, plan);
    } catch (error) {
      throw toGatewayError('stream open deals', error);
    }
  }

  /** Calls sent to the org and tokens renewed since start, for logs and benchmarks. */
  usage(): { apiCalls: number; tokensRenewed: number } {
    return {
      apiCalls: this.api.callsSent,
      tokensRenewed: this.api.tokensRenewed,
    };
  }

  async close(): Promise<void> {
    this.api.logger.info(this.usage(), 'Salesforce gateway closed');
  }

  private async normalizer(): Promise<RecordNormalizer> {
    return new RecordNormalizer(await this.describeSchema());
  }

  private async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toGatewayError(operation, error);
    }
  }
}

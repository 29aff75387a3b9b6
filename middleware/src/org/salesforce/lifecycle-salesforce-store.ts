import {
  DEAL_PARTNER_FIELDS as P,
  IDEMPOTENCY_FIELDS as I,
  OPPORTUNITY_FIELDS as O,
  REGISTRATION_FIELDS as G,
  REQUEST_FIELDS as R,
  TRANSITION_FIELDS as T,
} from '../../domain/api-names.js';
import type { IdempotencyRecord, StageRequest } from '../../domain/cosell.js';
import type {
  LifecycleDeal,
  LifecycleDealPartner,
  LifecycleTransition,
  PartnerRef,
  PartnerRole,
} from '../../domain/lifecycle/index.js';
import type { RecordData } from '../../domain/records.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type {
  AccountRecord,
  ApprovalWrite,
  DealTransition,
  LifecycleStore,
  LinkableDeal,
  NewIdempotencyRecord,
  NewRegistration,
  OpenDealToMatch,
  RegistrationCloseWrite,
  RegistrationRecord,
} from '../lifecycle-store.js';
import { BulkQueryJob } from './bulk-query.js';
import { queryRecords } from './composite.js';
import { toGatewayError } from './gateway-errors.js';
import { reusingExpiredKey } from './idempotency-records.js';
import {
  LINKABLE_DEAL_SELECT,
  REGISTRATION_SELECT,
  toLinkableDeal,
  toRegistration,
} from './lifecycle-records.js';
import {
  approveRegistration,
  closeRegistration,
  createRegistration,
} from './lifecycle-writes.js';
import { streamQueryRecords } from './query-stream.js';
import { RecordNormalizer } from './record-normalizer.js';
import type { SalesforceGateway } from './salesforce-gateway.js';
import { soqlDateTime, soqlId, soqlIdList, soqlString } from './soql.js';
import {
  IDEMPOTENCY_SELECT,
  REQUEST_SELECT,
  toIdempotencyRecord,
  toStageRequest,
  toStageTransition,
  TRANSITION_SELECT,
} from './workflow-records.js';

const OPEN = `${G.status} IN ('Submitted', 'Approved')`;
/** The parent relationship of `Stage_Transition__c.Opportunity__c`. */
const TRANSITION_DEAL = 'Opportunity__r';
/** The deal fields `streamDealTransitions` reads through `TRANSITION_DEAL`. */
const TRANSITION_DEAL_FIELDS = ['Name', O.model, O.stage];

/** Accounts per `WHERE Id IN (...)` query, keeping each URL far below Salesforce's limit. */
const ACCOUNTS_PER_QUERY = 100;

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);

/**
 * `LifecycleStore` on a Salesforce org, through the gateway's connection and its
 * retry, session and error handling. Registrations and small lists are REST
 * queries. Whole-org reads of deals, transitions and deal partners run as Bulk
 * API 2.0 jobs and stream page by page.
 */
export class SalesforceLifecycleStore implements LifecycleStore {
  private readonly now: () => Date;

  constructor(
    private readonly gateway: SalesforceGateway,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  private get api() {
    return this.gateway.api;
  }

  async getRegistration(id: string): Promise<RegistrationRecord | null> {
    if (!isSalesforceId(id)) return null;
    const [registration] = await this.registrations(
      'get deal registration',
      `Id = ${soqlId(id)}`,
    );
    return registration ?? null;
  }

  async createRegistration(
    registration: NewRegistration,
    idempotency?: NewIdempotencyRecord,
  ): Promise<RegistrationRecord> {
    const normalizer = await this.normalizer();
    const write = () =>
      createRegistration(
        this.api,
        normalizer,
        registration,
        idempotency,
        (key) => this.registrationByKey(key),
      );
    if (!idempotency) return write();
    return reusingExpiredKey(
      this.api,
      { ...idempotency, responseBody: '' },
      this.now(),
      write,
    );
  }

  async listOpenRegistrations(): Promise<RegistrationRecord[]> {
    return this.registrations('list open deal registrations', OPEN);
  }

  async listRegistrations(
    partnerAccountId?: string,
  ): Promise<RegistrationRecord[]> {
    if (partnerAccountId !== undefined && !isSalesforceId(partnerAccountId)) {
      return [];
    }
    return this.registrations(
      'list deal registrations',
      partnerAccountId === undefined
        ? undefined
        : `${G.partnerAccount} = ${soqlId(partnerAccountId)}`,
    );
  }

  async listExpiredRegistrations(
    now: string,
    limit: number,
  ): Promise<RegistrationRecord[]> {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(
        `limit must be a whole number of at least 1, not ${limit}`,
      );
    }
    return this.registrations(
      'list expired deal registrations',
      `${OPEN} AND ${G.expiresAt} <= ${soqlDateTime(now)}`,
      `ORDER BY ${G.expiresAt} LIMIT ${limit}`,
    );
  }

  async closeRegistration(
    write: RegistrationCloseWrite,
  ): Promise<RegistrationRecord> {
    const normalizer = await this.normalizer();
    return reusingExpiredKey(this.api, write.idempotency, this.now(), () =>
      closeRegistration(this.api, normalizer, write, (id) =>
        this.getRegistration(id),
      ),
    );
  }

  async approveRegistration(
    write: ApprovalWrite,
  ): Promise<{ registration: RegistrationRecord; dealId: string }> {
    const normalizer = await this.normalizer();
    return reusingExpiredKey(this.api, write.idempotency, this.now(), () =>
      approveRegistration(this.api, normalizer, write, (id) =>
        this.getRegistration(id),
      ),
    );
  }

  async findIdempotency(key: string): Promise<IdempotencyRecord | null> {
    const rows = await this.query(
      'find idempotency record',
      `SELECT ${IDEMPOTENCY_SELECT.join(', ')} FROM Idempotency_Record__c ` +
        `WHERE ${I.key} = ${soqlString(key)} AND ${I.expiresAt} > ${soqlDateTime(this.now())}`,
    );
    return rows[0] ? toIdempotencyRecord(rows[0]) : null;
  }

  async getLinkableDeal(dealId: string): Promise<LinkableDeal | null> {
    if (!isSalesforceId(dealId)) return null;
    const rows = await this.query(
      'get deal to link',
      `SELECT ${LINKABLE_DEAL_SELECT.join(', ')} FROM Opportunity WHERE Id = ${soqlId(dealId)}`,
    );
    return rows[0] ? toLinkableDeal(rows[0]) : null;
  }

  // NOTE: reads every open deal over REST (2,000 a page) for each conflict check; an org with very many open deals needs a narrower query.
  async listDealsToMatch(): Promise<OpenDealToMatch[]> {
    const rows = await this.query(
      'list open deals to match',
      `SELECT Id, Name, ${O.partnerAccount}, ${O.model}, ${O.stage}, Account.Name, Account.Website, ` +
        `(SELECT ${G.customerCompany}, ${G.customerWebsite}, ${G.productLine} FROM Deal_Registrations__r ` +
        `WHERE ${G.status} IN ('Converted', 'Approved') ORDER BY CreatedDate DESC LIMIT 1) ` +
        'FROM Opportunity WHERE IsClosed = false',
    );
    return rows.map((row) => {
      const account = row.Account as RecordData | null | undefined;
      const registrations = row.Deal_Registrations__r;
      const registration = Array.isArray(registrations)
        ? registrations[0]
        : undefined;
      return {
        id: String(row.Id),
        name: String(row.Name ?? row.Id),
        partnerAccountId: text(row[O.partnerAccount]),
        model: text(row[O.model]),
        stage: text(row[O.stage]),
        customerCompany:
          text(account?.Name) ?? text(registration?.[G.customerCompany]),
        customerWebsite:
          text(account?.Website) ?? text(registration?.[G.customerWebsite]),
        productLine: text(registration?.[G.productLine]),
      };
    });
  }

  async *streamDeals(): AsyncGenerator<LifecycleDeal> {
    const fields = [
      'Id',
      'Name',
      O.partnerAccount,
      O.model,
      O.stage,
      O.stageEnteredAt,
      'Amount',
      'CurrencyIsoCode',
      'CloseDate',
    ];
    for await (const row of this.bulk('Opportunity', fields)) {
      const amount = row.Amount;
      yield {
        id: String(row.Id),
        name: String(row.Name ?? row.Id),
        partnerAccountId: text(row[O.partnerAccount]),
        model: text(row[O.model]) ?? 'Default',
        stage: text(row[O.stage]),
        stageEnteredAt: text(row[O.stageEnteredAt]),
        amount: amount === null || amount === undefined ? null : String(amount),
        currencyIsoCode: text(row.CurrencyIsoCode) ?? 'USD',
        closeDate: text(row.CloseDate),
      };
    }
  }

  async *streamTransitions(): AsyncGenerator<LifecycleTransition> {
    const fields = [
      'Id',
      T.opportunity,
      T.fromStage,
      T.toStage,
      T.at,
      T.oneSided,
    ];
    for await (const row of this.bulk('Stage_Transition__c', fields)) {
      yield {
        id: String(row['Id']),
        dealId: String(row[T.opportunity]),
        fromStage: text(row[T.fromStage]),
        toStage: String(row[T.toStage]),
        at: String(row[T.at]),
        oneSided: row[T.oneSided] === true,
      };
    }
  }

  /**
   * Runs one REST query and follows its `nextRecordsUrl` pages. It is not a
   * Bulk API 2.0 job because Bulk rejects ORDER BY, and the rows of one deal
   * have to come together. The order is `listTransitions`' with the deal's Id
   * in front.
   */
  async *streamDealTransitions(): AsyncGenerator<DealTransition> {
    const normalizer = await this.normalizer();
    const operation = 'read every stage transition with its deal';
    const select = [
      ...TRANSITION_SELECT,
      ...TRANSITION_DEAL_FIELDS.map((field) => `${TRANSITION_DEAL}.${field}`),
    ];
    const soql =
      `SELECT ${select.join(', ')} FROM Stage_Transition__c ` +
      `WHERE ${TRANSITION_DEAL}.${O.stage} != null ` +
      `ORDER BY ${T.opportunity}, ${T.version}, ${T.at}`;
    try {
      for await (const row of streamQueryRecords(this.api, operation, soql)) {
        const record = normalizer.fromJson(row, 'Stage_Transition__c');
        const deal = record[TRANSITION_DEAL] as RecordData | null | undefined;
        const stage = text(deal?.[O.stage]);
        // The WHERE clause already leaves out these rows, so this only narrows types.
        if (!deal || stage === null) continue;
        const transition = toStageTransition(record);
        yield {
          deal: {
            id: transition.dealId,
            name: String(deal.Name ?? transition.dealId),
            model: text(deal[O.model]) ?? 'Default',
            stage,
          },
          transition,
        };
      }
    } catch (error) {
      throw toGatewayError(operation, error);
    }
  }

  async listDealPartners(): Promise<LifecycleDealPartner[]> {
    const fields = [
      'Id',
      P.opportunity,
      P.partnerAccount,
      P.role,
      P.splitPercent,
    ];
    const partners: LifecycleDealPartner[] = [];
    for await (const row of this.bulk('Deal_Partner__c', fields)) {
      const split = row[P.splitPercent];
      partners.push({
        dealId: String(row[P.opportunity]),
        partnerAccountId: String(row[P.partnerAccount]),
        role: String(row[P.role]) as PartnerRole,
        splitPercent:
          typeof split === 'number' || typeof split === 'string' ? split : null,
      });
    }
    return partners;
  }

  async listPendingRequests(): Promise<StageRequest[]> {
    const normalizer = await this.normalizer();
    const rows = await this.query(
      'list pending stage requests',
      `SELECT ${REQUEST_SELECT.join(', ')} FROM Stage_Request__c WHERE ${R.status} = 'Pending'`,
      normalizer,
    );
    return rows.map(toStageRequest);
  }

  async listAccounts(ids: readonly string[]): Promise<PartnerRef[]> {
    const unique = [
      ...new Set(ids.filter(isSalesforceId).map((id) => toId18(id))),
    ];
    const accounts: PartnerRef[] = [];
    for (let start = 0; start < unique.length; start += ACCOUNTS_PER_QUERY) {
      const chunk = unique.slice(start, start + ACCOUNTS_PER_QUERY);
      const rows = await this.query(
        'list partner accounts',
        `SELECT Id, Name FROM Account WHERE Id IN ${soqlIdList(chunk)}`,
      );
      for (const row of rows) {
        accounts.push({ id: String(row.Id), name: String(row.Name ?? '') });
      }
    }
    return accounts;
  }

  async getAccount(id: string): Promise<AccountRecord | null> {
    const rows = await this.query(
      'get account',
      `SELECT Id, Name, IsPartner FROM Account WHERE Id = ${soqlId(id)}`,
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: String(row.Id),
      name: String(row.Name ?? ''),
      isPartner: row.IsPartner === true,
    };
  }

  /** Reads the registration whose idempotency record has this key. */
  private async registrationByKey(
    key: string,
  ): Promise<RegistrationRecord | null> {
    const rows = await this.query(
      'find deal registration by key',
      `SELECT ${I.responseBody} FROM Idempotency_Record__c WHERE ${I.key} = ${soqlString(key)}`,
    );
    const id = text(rows[0]?.[I.responseBody]);
    return id ? this.getRegistration(id) : null;
  }

  private async registrations(
    operation: string,
    where?: string,
    tail = 'ORDER BY CreatedDate',
  ): Promise<RegistrationRecord[]> {
    const rows = await this.query(
      operation,
      `SELECT ${REGISTRATION_SELECT.join(', ')} FROM Deal_Registration__c` +
        `${where ? ` WHERE ${where}` : ''} ${tail}`,
    );
    return rows.map(toRegistration);
  }

  /** Runs a REST query with every page and normalises the records. */
  private async query(
    operation: string,
    soql: string,
    normalizer?: RecordNormalizer,
  ): Promise<RecordData[]> {
    const using = normalizer ?? (await this.normalizer());
    try {
      const rows = await queryRecords(this.api, operation, soql);
      return rows.map((row) => using.fromJson(row));
    } catch (error) {
      throw toGatewayError(operation, error);
    }
  }

  /** Streams every record of one object through a Bulk API 2.0 query job. */
  private async *bulk(
    objectName: string,
    fields: readonly string[],
  ): AsyncGenerator<RecordData> {
    const normalizer = await this.normalizer();
    try {
      const job = await BulkQueryJob.create(
        this.api,
        objectName,
        `SELECT ${fields.join(', ')} FROM ${objectName}`,
      );
      await job.waitUntilComplete();
      for await (const page of job.pages()) {
        const columns = normalizer.resolveColumns(objectName, page.columns);
        for (const row of page.rows) yield normalizer.fromCsv(columns, row);
      }
    } catch (error) {
      throw toGatewayError(`read every ${objectName}`, error);
    }
  }

  private async normalizer(): Promise<RecordNormalizer> {
    return new RecordNormalizer(await this.gateway.describeSchema());
  }
}

import type { FieldValue } from '../../domain/records.js';
import {
  errorEntries,
  SalesforceCallError,
  type ApiErrorEntry,
} from './api-error.js';
import {
  checkResponse,
  COMPOSITE_RESPONSE,
  malformedResponse,
  QUERY_PAGE,
  SOBJECT_RECORD,
} from './org-response.js';
import type { SalesforceApi } from './salesforce-api.js';

/** One subrequest of `POST /composite`. */
export interface Subrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Full path from the instance root; may hold `@{referenceId.path}` references. */
  url: string;
  referenceId: string;
  body?: Record<string, FieldValue>;
}

interface SubResponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

/** A SOQL result page as the REST API returns it. */
export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

/** Salesforce composite limits: 25 subrequests, of which 5 query or collection ones. */
export const MAX_SUBREQUESTS = 25;
export const MAX_QUERY_SUBREQUESTS = 5;

const REFERENCE = /@\{[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+|\[\d+\])*\}/g;

/**
 * Encodes SOQL for a `q=` parameter, leaving `@{...}` references as they are:
 * Salesforce resolves them in the subrequest URL before reading the query.
 */
export function encodeSoql(soql: string): string {
  let out = '';
  let last = 0;
  for (const match of soql.matchAll(REFERENCE)) {
    out += encodeURIComponent(soql.slice(last, match.index));
    out += match[0];
    last = (match.index ?? 0) + match[0].length;
  }
  return out + encodeURIComponent(soql.slice(last));
}

export function querySubrequest(
  api: SalesforceApi,
  referenceId: string,
  soql: string,
): Subrequest {
  return {
    method: 'GET',
    url: `${api.dataPath}/query?q=${encodeSoql(soql)}`,
    referenceId,
  };
}

/** The subresponses of one composite call, by reference Id. */
export class CompositeResult {
  private readonly byReference: Map<string, SubResponse>;

  constructor(
    readonly operation: string,
    responses: SubResponse[],
  ) {
    this.byReference = new Map(responses.map((r) => [r.referenceId, r]));
  }

  has(referenceId: string): boolean {
    return this.byReference.has(referenceId);
  }

  ok(referenceId: string): boolean {
    const status = this.byReference.get(referenceId)?.httpStatusCode;
    return status !== undefined && status < 400;
  }

  body<T>(referenceId: string): T {
    return this.byReference.get(referenceId)?.body as T;
  }

  /** Returns the query result of one subrequest, or raises a `malformed` error. */
  queryPage(referenceId: string): QueryPage {
    return checkResponse<QueryPage>(
      this.operation,
      `the query result of subrequest ${referenceId}`,
      QUERY_PAGE,
      this.body(referenceId),
    );
  }

  /** Returns the record that one sObject subrequest read, or raises a `malformed` error. */
  record(referenceId: string): Record<string, unknown> {
    return checkResponse<Record<string, unknown>>(
      this.operation,
      `the record of subrequest ${referenceId}`,
      SOBJECT_RECORD,
      this.body(referenceId),
    );
  }

  /** Returns the errors of one subrequest, each tagged with its reference Id. */
  errors(referenceId: string): ApiErrorEntry[] {
    const response = this.byReference.get(referenceId);
    if (!response || response.httpStatusCode < 400) return [];
    const entries = errorEntries(response.body);
    const list =
      entries.length > 0
        ? entries
        : [
            {
              errorCode: `ERROR_HTTP_${response.httpStatusCode}`,
              message: JSON.stringify(response.body),
            },
          ];
    return list.map((entry) => ({ ...entry, referenceId }));
  }

  /** Tells whether the subrequest failed only because an `@{...}` reference had no value. */
  unresolved(referenceId: string): boolean {
    const errors = this.errors(referenceId);
    return (
      errors.length > 0 &&
      errors.every((entry) => entry.errorCode === 'PROCESSING_HALTED')
    );
  }

  /**
   * Returns every error that caused a failure: all non-`PROCESSING_HALTED` errors
   * of every subrequest. When every failed subrequest returned `PROCESSING_HALTED`,
   * the cause was a reference with no value, and those errors are returned.
   */
  causes(): ApiErrorEntry[] {
    const all = [...this.byReference.keys()].flatMap((ref) => this.errors(ref));
    const causes = all.filter(
      (entry) => entry.errorCode !== 'PROCESSING_HALTED',
    );
    return causes.length > 0 ? causes : all;
  }

  failed(): boolean {
    return [...this.byReference.values()].some((r) => r.httpStatusCode >= 400);
  }

  /** Throws the causes as one error, if any subrequest failed. */
  throwIfFailed(): void {
    if (this.failed()) {
      throw new SalesforceCallError(this.operation, this.causes());
    }
  }
}

/**
 * Sends one `POST /composite` call. Salesforce returns one sub-response per
 * subrequest, so a body without `compositeResponse` or without the sub-response
 * of a subrequest raises a `malformed` error instead of reading as no records.
 */
export async function sendComposite(
  api: SalesforceApi,
  operation: string,
  subrequests: Subrequest[],
  allOrNone: boolean,
): Promise<CompositeResult> {
  checkLimits(operation, subrequests);
  const body = await api.send<unknown>(operation, {
    method: 'POST',
    url: '/composite',
    body: JSON.stringify({ allOrNone, compositeRequest: subrequests }),
  });
  const response = checkResponse<{ compositeResponse: SubResponse[] }>(
    operation,
    'the composite response',
    COMPOSITE_RESPONSE,
    body,
  );
  const result = new CompositeResult(operation, response.compositeResponse);
  const missing = subrequests
    .map((subrequest) => subrequest.referenceId)
    .filter((referenceId) => !result.has(referenceId));
  if (missing.length > 0) {
    throw malformedResponse(
      operation,
      `the composite response has no sub-response for ${missing.join(', ')}`,
    );
  }
  return result;
}

/**
 * Returns every record of a query result, following `nextRecordsUrl` (one more
 * API call per page of up to 2,000 records). Each page is checked, so a page
 * without `records` raises a `malformed` error.
 */
export async function allRecords(
  api: SalesforceApi,
  operation: string,
  page: QueryPage,
): Promise<Record<string, unknown>[]> {
  const first = checkResponse<QueryPage>(
    operation,
    'the query result',
    QUERY_PAGE,
    page,
  );
  const records = [...first.records];
  let next = first.done ? undefined : first.nextRecordsUrl;
  while (next) {
    const more = await readQueryPage(api, `${operation} (next page)`, next);
    records.push(...more.records);
    next = more.done ? undefined : more.nextRecordsUrl;
  }
  return records;
}

/**
 * Reads one page of a query result from the REST API, such as the page that a
 * `nextRecordsUrl` names, and raises a `malformed` error for a page without
 * `records`.
 */
export async function readQueryPage(
  api: SalesforceApi,
  operation: string,
  url: string,
): Promise<QueryPage> {
  return checkResponse<QueryPage>(
    operation,
    'the query result',
    QUERY_PAGE,
    await api.read<unknown>(operation, { method: 'GET', url }),
  );
}

/** Runs one SOQL query outside a composite call and returns every record. */
export async function queryRecords(
  api: SalesforceApi,
  operation: string,
  soql: string,
): Promise<Record<string, unknown>[]> {
  const page = await api.read<QueryPage>(operation, {
    method: 'GET',
    url: `/query?q=${encodeURIComponent(soql)}`,
  });
  return allRecords(api, operation, page);
}

function checkLimits(operation: string, subrequests: Subrequest[]): void {
  const queries = subrequests.filter((s) =>
    /\/(query|queryAll)(\/|\?|$)|\/composite\/sobjects/.test(s.url),
  ).length;
  if (subrequests.length > MAX_SUBREQUESTS || queries > MAX_QUERY_SUBREQUESTS) {
    throw new Error(
      `${operation} builds ${subrequests.length} composite subrequests (${queries} queries); ` +
        `Salesforce allows ${MAX_SUBREQUESTS} (${MAX_QUERY_SUBREQUESTS} queries) in one call`,
    );
  }
}

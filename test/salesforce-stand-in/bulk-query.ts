import {
  jsonParserError,
  notFound,
  SalesforceApiError,
  type ApiResponse,
} from './api-error.js';
import {
  COLUMN_DELIMITERS,
  csvColumns,
  csvRows,
  renderCsv,
} from './bulk-csv.js';
import { formatDateTime } from './field-values.js';
import { runSoql } from './query-routes.js';
import type { ApiCall, Router } from './router.js';
import { compileQuery, type CompiledQuery } from './soql/compile.js';
import type { StandInState } from './state.js';

type JobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted';

interface BulkJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  soql: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  apiVersion: string;
  columnDelimiter: string;
  lineEnding: 'LF' | 'CRLF';
  /** Job information requests served so far; the job completes after the configured number. */
  polls: number;
  columns: string[];
  rows: string[][] | undefined;
}

/** Bulk API 2.0 query jobs by Id. */
export class BulkJobs {
  readonly jobs = new Map<string, BulkJob>();
}

export function registerBulkRoutes(router: Router): void {
  router.add('POST', 'jobs/query', 'bulk-query', createJob);
  router.add('GET', 'jobs/query', 'bulk-query', (state) => ({
    status: 200,
    body: {
      done: true,
      records: [...state.bulkJobs.jobs.values()].map(jobInfo),
      nextRecordsUrl: null,
    },
  }));
  router.add('GET', 'jobs/query/:id', 'bulk-query', (state, call, params) => {
    const job = findJob(state, params.id);
    advance(state, job);
    return { status: 200, body: jobInfo(job) };
  });
  router.add('PATCH', 'jobs/query/:id', 'bulk-query', (state, call, params) =>
    abortJob(state, call, findJob(state, params.id)),
  );
  router.add(
    'DELETE',
    'jobs/query/:id',
    'bulk-query',
    (state, call, params) => {
      state.bulkJobs.jobs.delete(findJob(state, params.id).id);
      return { status: 204 };
    },
  );
  router.add(
    'GET',
    'jobs/query/:id/results',
    'bulk-query',
    (state, call, params) => results(state, call, findJob(state, params.id)),
  );
}

function apiError(status: number, message: string): SalesforceApiError {
  return new SalesforceApiError(status, 'API_ERROR', message);
}

function createJob(state: StandInState, call: ApiCall): ApiResponse {
  const body = (call.body ?? {}) as Record<string, unknown>;
  const operation = body.operation;
  if (operation !== 'query' && operation !== 'queryAll') {
    // NOTE: the error code for a bad operation is assumed.
    throw new SalesforceApiError(
      400,
      'INVALIDJOB',
      `Invalid operation: ${String(operation)}. Use query or queryAll.`,
    );
  }
  if (typeof body.query !== 'string' || body.query.trim() === '') {
    throw jsonParserError("'query' is a required field: the SOQL to run.");
  }

  const delimiterName = String(body.columnDelimiter ?? 'COMMA');
  const lineEnding = String(body.lineEnding ?? 'LF');
  if (
    !(delimiterName in COLUMN_DELIMITERS) ||
    !['LF', 'CRLF'].includes(lineEnding)
  ) {
    throw new SalesforceApiError(
      400,
      'INVALIDJOB',
      `Invalid columnDelimiter ${delimiterName} or lineEnding ${lineEnding}`,
    );
  }
  const compiled = compileQuery(body.query, {
    schema: state.schema,
    now: state.now(),
    timeZone: state.settings.timeZone,
  });
  rejectUnsupported(compiled);

  const now = formatDateTime(state.now().getTime());
  const job: BulkJob = {
    id: state.ids.generate('750'),
    operation,
    object: compiled.object.name,
    soql: body.query,
    createdById: call.user.id,
    createdDate: now,
    systemModstamp: now,
    state: 'UploadComplete',
    apiVersion: call.apiVersion,
    columnDelimiter: delimiterName,
    lineEnding: lineEnding as 'LF' | 'CRLF',
    polls: 0,
    columns: csvColumns(compiled),
    rows: undefined,
  };
  state.bulkJobs.jobs.set(job.id, job);
  return { status: 200, body: jobInfo(job) };
}

/** SOQL that Bulk API 2.0 rejects: parent-to-child subqueries, aggregates and OFFSET. */
function rejectUnsupported(query: CompiledQuery): void {
  // NOTE: the subquery message is Salesforce's Bulk API 1.0 wording; the Bulk API 2.0 text is assumed to match.
  if (query.select.some((item) => item.kind === 'subquery')) {
    throw apiError(
      400,
      'FeatureNotEnabled : Aggregate Relationships not supported in Bulk Query with CSV content type',
    );
  }
  if (
    query.countOnly ||
    query.select.some((item) => item.kind === 'aggregate')
  ) {
    throw apiError(
      400,
      'FeatureNotEnabled : Aggregate functions such as COUNT() are not supported in Bulk API 2.0 queries',
    );
  }
  if (query.offset !== undefined) {
    throw apiError(
      400,
      'FeatureNotEnabled : OFFSET is not supported in Bulk API 2.0 queries',
    );
  }
}

function findJob(state: StandInState, id: string | undefined): BulkJob {
  const job = state.bulkJobs.jobs.get(id ?? '');
  if (!job) throw notFound();
  return job;
}

/** Moves a job along: InProgress for the configured number of polls, then JobComplete. */
function advance(state: StandInState, job: BulkJob): void {
  if (job.state !== 'UploadComplete' && job.state !== 'InProgress') return;
  job.polls++;
  job.systemModstamp = formatDateTime(state.now().getTime());
  if (job.polls <= state.settings.bulkPollsUntilComplete) {
    job.state = 'InProgress';
    return;
  }
  const rows = runSoql(
    state,
    job.soql,
    job.operation === 'queryAll',
    job.apiVersion,
  );
  job.rows = csvRows(job.columns, rows.records);
  job.state = 'JobComplete';
}

function abortJob(
  state: StandInState,
  call: ApiCall,
  job: BulkJob,
): ApiResponse {
  const wanted = (call.body as { state?: unknown } | null)?.state;
  if (wanted !== 'Aborted') {
    throw new SalesforceApiError(
      400,
      'INVALIDJOBSTATE',
      `A query job can only be set to Aborted, not ${String(wanted)}`,
    );
  }
  if (job.state === 'JobComplete' || job.state === 'Aborted') {
    throw new SalesforceApiError(
      400,
      'INVALIDJOBSTATE',
      `Job is already ${job.state} and can no longer be aborted`,
    );
  }
  job.state = 'Aborted';
  job.systemModstamp = formatDateTime(state.now().getTime());
  return { status: 200, body: jobInfo(job) };
}

function results(
  state: StandInState,
  call: ApiCall,
  job: BulkJob,
): ApiResponse {
  if (call.apiVersion !== job.apiVersion) {
    throw apiError(
      409,
      `The job was created with API version ${job.apiVersion}; request its results with the same version.`,
    );
  }
  if (job.state !== 'JobComplete' || !job.rows) {
    // NOTE: the error code for results of an unfinished job is assumed.
    throw apiError(
      400,
      `The query job ${job.id} is ${job.state}; get its results once its state is JobComplete.`,
    );
  }
  const maxRecords =
    call.query.maxRecords === undefined
      ? state.settings.bulkDefaultMaxRecords
      : Number(call.query.maxRecords);
  if (!Number.isInteger(maxRecords) || maxRecords < 1) {
    throw apiError(
      400,
      `maxRecords must be a positive whole number, not ${call.query.maxRecords}`,
    );
  }
  const start =
    call.query.locator === undefined ? 0 : decodeLocator(call.query.locator);
  if (start === undefined || start > job.rows.length) {
    throw apiError(400, `Invalid locator: ${call.query.locator}`);
  }
  const rows = job.rows.slice(start, start + maxRecords);
  const next = start + rows.length;
  return {
    status: 200,
    text: renderCsv(
      job.columns,
      rows,
      COLUMN_DELIMITERS[job.columnDelimiter] as string,
      job.lineEnding,
    ),
    headers: {
      'Content-Type': 'text/csv',
      'Sforce-Locator': next < job.rows.length ? encodeLocator(next) : 'null',
      'Sforce-NumberOfRecords': String(rows.length),
    },
  };
}

/** Locators are opaque to clients; these are the row offset in base64. */
function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64url');
}

function decodeLocator(locator: string): number | undefined {
  const offset = Number(Buffer.from(locator, 'base64url').toString());
  return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

function jobInfo(job: BulkJob) {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    jobType: 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: job.rows?.length ?? 0,
    retries: 0,
    totalProcessingTime: 0,
    isPkChunkingSupported: false,
  };
}

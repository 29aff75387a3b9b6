import { SalesforceApiError, type ApiResponse } from './api-error.js';
import type { ApiCall, Router } from './router.js';
import { compileQuery } from './soql/compile.js';
import {
  executeQuery,
  type JsonRecord,
  type QueryRows,
} from './soql/execute.js';
import type { StandInState } from './state.js';

interface Cursor {
  records: JsonRecord[];
  totalSize: number;
  batchSize: number;
  userId: string;
}

/**
 * Open query cursors, by locator Id, for `nextRecordsUrl`.
 * NOTE: cursors never expire here, while Salesforce expires idle ones.
 */
export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();

  open(id: string, cursor: Cursor): void {
    this.cursors.set(id, cursor);
  }

  get(id: string): Cursor | undefined {
    return this.cursors.get(id);
  }
}

/** Compiles and runs SOQL for `state`'s clock, time zone and store. */
export function runSoql(
  state: StandInState,
  soql: string,
  includeDeleted: boolean,
  apiVersion: string,
): QueryRows {
  const compiled = compileQuery(soql, {
    schema: state.schema,
    now: state.now(),
    timeZone: state.settings.timeZone,
  });
  return executeQuery(state.store, compiled, { includeDeleted, apiVersion });
}

export function registerQueryRoutes(router: Router): void {
  router.add('GET', 'query', 'query', (state, call) =>
    startQuery(state, call, false),
  );
  router.add('GET', 'queryAll', 'query', (state, call) =>
    startQuery(state, call, true),
  );
  router.add('GET', 'query/:locator', 'query-more', (state, call, params) =>
    nextBatch(state, call, params.locator as string),
  );
  router.add('GET', 'queryAll/:locator', 'query-more', (state, call, params) =>
    nextBatch(state, call, params.locator as string),
  );
}

function startQuery(
  state: StandInState,
  call: ApiCall,
  includeDeleted: boolean,
): ApiResponse {
  const soql = call.query.q;
  if (soql === undefined || soql.trim() === '') {
    throw new SalesforceApiError(
      400,
      'MALFORMED_QUERY',
      'A query string has to be specified',
    );
  }
  const rows = runSoql(state, soql, includeDeleted, call.apiVersion);
  const batchSize = batchSizeFor(state, call);
  if (rows.records.length <= batchSize) {
    return {
      status: 200,
      body: { totalSize: rows.totalSize, done: true, records: rows.records },
    };
  }
  const locatorId = state.ids.generate('01g');
  state.cursors.open(locatorId, {
    records: rows.records,
    totalSize: rows.totalSize,
    batchSize,
    userId: call.user.id,
  });
  return page(call, locatorId, rows.records, rows.totalSize, 0, batchSize);
}

function nextBatch(
  state: StandInState,
  call: ApiCall,
  locator: string,
): ApiResponse {
  const dash = locator.lastIndexOf('-');
  const cursor =
    dash > 0 ? state.cursors.get(locator.slice(0, dash)) : undefined;
  const position = Number(locator.slice(dash + 1));
  if (
    !cursor ||
    cursor.userId !== call.user.id ||
    !Number.isInteger(position) ||
    position < 0 ||
    position > cursor.records.length
  ) {
    throw new SalesforceApiError(
      400,
      'INVALID_QUERY_LOCATOR',
      'invalid query locator',
    );
  }
  return page(
    call,
    locator.slice(0, dash),
    cursor.records,
    cursor.totalSize,
    position,
    cursor.batchSize,
  );
}

function page(
  call: ApiCall,
  locatorId: string,
  records: JsonRecord[],
  totalSize: number,
  position: number,
  batchSize: number,
): ApiResponse {
  const end = position + batchSize;
  const done = end >= records.length;
  const body: Record<string, unknown> = { totalSize, done };
  if (!done) {
    body.nextRecordsUrl = `/services/data/v${call.apiVersion}/query/${locatorId}-${end}`;
  }
  body.records = records.slice(position, end);
  return { status: 200, body };
}

/**
 * Returns the batch size: the stand-in's setting, or `Sforce-Query-Options: batchSize=N`
 * clamped to Salesforce's range of 200 to 2,000.
 */
function batchSizeFor(state: StandInState, call: ApiCall): number {
  const header = call.headers['sforce-query-options'];
  const requested = header && /batchSize=(\d+)/i.exec(header)?.[1];
  if (!requested) return state.settings.queryBatchSize;
  return Math.min(2000, Math.max(200, Number(requested)));
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import {
  lockError,
  notFound,
  SalesforceApiError,
  type ApiResponse,
} from './api-error.js';
import { compositeSubrequests } from './composite.js';
import { rewritten, type ActiveFault } from './faults.js';
import { isServedVersion, versionsBody } from './limits-routes.js';
import { identityResponse, tokenResponse } from './oauth-routes.js';
import type { RecordedRequest, ResourceKind } from './request-log.js';
import { errorResponse, parseDataPath, type Router } from './router.js';
import type { StandInState } from './state.js';

const MAX_BODY_BYTES = 50 * 1024 * 1024;

interface Incoming {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

/** Returns the node:http listener that serves the stand-in's endpoints and logs each request. */
export function createListener(state: StandInState, router: Router) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void serve(state, router, req, res);
  };
}

async function serve(
  state: StandInState,
  router: Router,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = Date.now();
  const startedTick = performance.now();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const entry: RecordedRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    bodySize: 0,
    subrequestCount: 0,
    subrequests: [],
    resource: 'other',
    status: 0,
    username: null,
    apiCall: false,
    time: new Date(started).toISOString(),
    durationMs: 0,
  };
  let response: ApiResponse;
  try {
    const rawBody = await readBody(req);
    entry.bodySize = rawBody.length;
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    response = await route(state, router, entry, {
      method: entry.method,
      path: entry.path,
      query: entry.query,
      headers,
      rawBody,
    });
  } catch (error) {
    response = errorResponse(state, entry, error);
  }
  entry.status = response.status;
  entry.durationMs = Math.floor(performance.now() - startedTick);
  state.log.add(entry);
  state.logger.debug(
    {
      method: entry.method,
      path: entry.path,
      status: entry.status,
      durationMs: entry.durationMs,
    },
    'stand-in request',
  );
  send(
    state,
    res,
    response,
    entry.resource !== 'oauth' && entry.resource !== 'versions',
  );
}

async function route(
  state: StandInState,
  router: Router,
  entry: RecordedRequest,
  incoming: Incoming,
): Promise<ApiResponse> {
  const { method, path } = incoming;
  if (path === '/services/oauth2/token' && method === 'POST') {
    entry.resource = 'oauth';
    return tokenResponse(state, incoming.rawBody);
  }
  if (path === '/services/oauth2/revoke' && method === 'POST') {
    entry.resource = 'oauth';
    const token =
      new URLSearchParams(incoming.rawBody.toString()).get('token') ??
      incoming.query.token;
    return token && state.auth.revoke(token)
      ? { status: 200 }
      : {
          status: 400,
          body: { error: 'invalid_token', error_description: 'invalid token' },
        };
  }
  if (
    (path === '/services/data' || path === '/services/data/') &&
    method === 'GET'
  ) {
    entry.resource = 'versions';
    return { status: 200, body: versionsBody(state) };
  }
  const identity = /^\/id\/(\w{18})\/(\w{18})$/.exec(path);
  if (identity && method === 'GET') {
    entry.resource = 'oauth';
    return identityResponse(state, entry, incoming, identity[2] as string);
  }
  const dataPath = parseDataPath(path);
  if (!dataPath || !isServedVersion(state, dataPath.apiVersion)) {
    throw notFound();
  }
  return dataCall(state, router, entry, incoming, dataPath);
}

async function dataCall(
  state: StandInState,
  router: Router,
  entry: RecordedRequest,
  incoming: Incoming,
  dataPath: { apiVersion: string; segments: string[] },
): Promise<ApiResponse> {
  const { method } = incoming;
  entry.resource = router.resourceOf(method, dataPath.segments);
  const body = parseJson(incoming.rawBody);
  describeSubrequests(entry, body);
  const authorization = incoming.headers.authorization ?? '';
  const token = /^(Bearer|OAuth)\s+(.+)$/i.exec(authorization)?.[2];
  const user = token ? state.auth.userForToken(token) : undefined;

  const fault = state.faults.take(
    {
      method,
      path: incoming.path,
      query: incoming.query,
      body,
      subrequest: false,
    },
    isCollectionWrite(entry.resource, method),
  );
  if (fault) entry.fault = fault.kind;
  if (fault?.kind === 'slow') await waitAtLeast(fault.delayMs);
  const early = faultResponse(state, fault, token);
  if (early) return early;

  if (!user) {
    throw new SalesforceApiError(
      401,
      'INVALID_SESSION_ID',
      'Session expired or invalid',
    );
  }
  entry.username = user.username;
  if (state.log.apiCallsUsed >= state.settings.dailyApiRequestLimit) {
    throw new SalesforceApiError(
      403,
      'REQUEST_LIMIT_EXCEEDED',
      'TotalRequests Limit exceeded.',
    );
  }
  state.log.apiCallsUsed++;
  entry.apiCall = true;
  if (fault?.kind === 'lock')
    return { status: 400, body: lockError(dataPath.segments[2]).toBody() };
  if (fault?.kind === 'error' && fault.error) {
    return { status: 400, body: [fault.error] };
  }
  const response = await router.dispatch(state, {
    method,
    path: incoming.path,
    query: incoming.query,
    body,
    headers: incoming.headers,
    user,
    apiVersion: dataPath.apiVersion,
    segments: dataPath.segments,
    subrequest: false,
    fault: fault?.kind === 'partial' ? fault : undefined,
  });
  if (fault?.kind === 'malformed') {
    return malformedResponse(response, fault.replaceBody);
  }
  return rewritten(fault, response);
}

/** Replaces a served response's JSON body text, keeping its status and JSON content type. */
function malformedResponse(
  response: ApiResponse,
  replaceBody: (body: string) => string,
): ApiResponse {
  return {
    ...response,
    headers: {
      ...(response.headers ?? {}),
      'Content-Type': 'application/json;charset=UTF-8',
    },
    text: replaceBody(JSON.stringify(response.body ?? null)),
  };
}

function isCollectionWrite(resource: ResourceKind, method: string): boolean {
  return (
    (resource === 'composite' || resource === 'collections') && method !== 'GET'
  );
}

/** Returns the response of a fault that stops the call before it reaches the org. */
function faultResponse(
  state: StandInState,
  fault: ActiveFault | undefined,
  token: string | undefined,
): ApiResponse | undefined {
  switch (fault?.kind) {
    case '503':
      // NOTE: the body of a 503 is assumed; Salesforce documents only the status.
      return {
        status: 503,
        body: new SalesforceApiError(
          503,
          'SERVER_UNAVAILABLE',
          'Server is temporarily unavailable. Please try again later.',
        ).toBody(),
      };
    case 'expired-session':
      if (token) state.auth.revoke(token);
      return {
        status: 401,
        body: new SalesforceApiError(
          401,
          'INVALID_SESSION_ID',
          'Session expired or invalid',
        ).toBody(),
      };
    case 'request-limit':
      return {
        status: 403,
        body: new SalesforceApiError(
          403,
          'REQUEST_LIMIT_EXCEEDED',
          'TotalRequests Limit exceeded.',
        ).toBody(),
      };
    default:
      return undefined;
  }
}

function describeSubrequests(entry: RecordedRequest, body: unknown): void {
  if (entry.resource === 'composite') {
    const subrequests = compositeSubrequests(body) ?? [];
    entry.subrequestCount = subrequests.length;
    entry.subrequests = subrequests.map((sub) => ({
      method: String(sub?.method ?? ''),
      path: String(sub?.url ?? '').split('?')[0] ?? '',
    }));
  } else if (entry.resource === 'collections') {
    const records = (body as { records?: unknown } | undefined)?.records;
    entry.subrequestCount = Array.isArray(records)
      ? records.length
      : (entry.query.ids ?? '').split(',').filter(Boolean).length;
  }
}

function parseJson(rawBody: Buffer): unknown {
  if (rawBody.length === 0) return undefined;
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new SalesforceApiError(
        413,
        'REQUEST_TOO_LARGE',
        `The request body is larger than ${MAX_BODY_BYTES} bytes`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(
  state: StandInState,
  res: ServerResponse,
  response: ApiResponse,
  withLimitInfo: boolean,
): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  if (withLimitInfo) {
    headers['Sforce-Limit-Info'] =
      `api-usage=${state.log.apiCallsUsed}/${state.settings.dailyApiRequestLimit}`;
  }
  let payload: string | undefined;
  if (response.text !== undefined) {
    payload = response.text;
  } else if (response.body !== undefined && response.status !== 204) {
    payload = JSON.stringify(response.body);
    headers['Content-Type'] = 'application/json;charset=UTF-8';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

/**
 * Waits at least `ms` by the monotonic clock. A timer can fire a little early by
 * that clock because libuv starts it from the cached loop time, so the rest is waited again.
 */
async function waitAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) {
    await delay(Math.ceil(left));
  }
}

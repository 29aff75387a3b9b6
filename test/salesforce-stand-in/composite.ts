import {
  jsonParserError,
  lockError,
  SalesforceApiError,
  type ApiResponse,
} from './api-error.js';
import {
  resolveInBody,
  resolveInText,
  UnresolvedReference,
  type ReferenceTarget,
} from './composite-references.js';
import { rewritten } from './faults.js';
import { parseDataPath, type ApiCall, type Router } from './router.js';
import type { StandInState } from './state.js';

const MAX_SUBREQUESTS = 25;
const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubrequestResponse extends ApiResponse {
  /**
   * The body the caller receives when a `rewrite` fault changed it. `@{...}`
   * references of later subrequests read `body`, as a proxy in front of the
   * org would leave them.
   */
  servedBody?: unknown;
}

interface SubrequestResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

/**
 * `POST /composite`: subrequests run in order as the calling user, each reading
 * the responses before it through `@{referenceId.path}`. With allOrNone, the
 * first failure rolls back every write of the call, and every other subrequest
 * returns 400 PROCESSING_HALTED.
 */
export function registerCompositeRoute(router: Router): void {
  router.add('POST', 'composite', 'composite', (state, call) =>
    runComposite(router, state, call),
  );
}

export function compositeSubrequests(body: unknown): Subrequest[] | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const list = (body as { compositeRequest?: unknown }).compositeRequest;
  return Array.isArray(list) ? (list as Subrequest[]) : undefined;
}

function runComposite(
  router: Router,
  state: StandInState,
  call: ApiCall,
): ApiResponse {
  const subrequests = validate(call.body);
  const allOrNone = (call.body as { allOrNone?: unknown }).allOrNone === true;
  const failIndex =
    call.fault?.kind === 'partial'
      ? (call.fault.failIndex ?? subrequests.length - 1)
      : undefined;
  const { store } = state;
  return store.transaction(() => {
    const savepoint = store.savepoint();
    const targets = new Map<string, ReferenceTarget>();
    const results: SubrequestResult[] = [];
    let failedAt: number | undefined;
    for (const [index, subrequest] of subrequests.entries()) {
      if (allOrNone && failedAt !== undefined) {
        results.push(halted(subrequest.referenceId));
        continue;
      }
      const response =
        index === failIndex
          ? { status: 400, body: lockError().toBody() }
          : runSubrequest(router, state, call, subrequest, targets, allOrNone);
      targets.set(subrequest.referenceId, {
        status: response.status,
        body: response.body,
      });
      results.push({
        body:
          ('servedBody' in response ? response.servedBody : response.body) ??
          null,
        httpHeaders: response.headers ?? {},
        httpStatusCode: response.status,
        referenceId: subrequest.referenceId,
      });
      if (response.status >= 400 && failedAt === undefined) failedAt = index;
    }
    if (allOrNone && failedAt !== undefined) {
      store.rollbackTo(savepoint);
      for (const [index, result] of results.entries()) {
        if (index !== failedAt) results[index] = halted(result.referenceId);
      }
    }
    return { status: 200, body: { compositeResponse: results } };
  });
}

function halted(referenceId: string): SubrequestResult {
  return {
    body: [
      {
        errorCode: 'PROCESSING_HALTED',
        message:
          'The transaction was rolled back since another operation in the same transaction failed.',
      },
    ],
    httpHeaders: {},
    httpStatusCode: 400,
    referenceId,
  };
}

function runSubrequest(
  router: Router,
  state: StandInState,
  call: ApiCall,
  subrequest: Subrequest,
  targets: Map<string, ReferenceTarget>,
  allOrNone: boolean,
): SubrequestResponse {
  let url: string;
  let body: unknown;
  try {
    url = resolveInText(subrequest.url, targets);
    body = resolveInBody(subrequest.body, targets);
  } catch (error) {
    if (!(error instanceof UnresolvedReference)) throw error;
    return {
      status: 400,
      body: [{ errorCode: 'PROCESSING_HALTED', message: error.message }],
    };
  }

  const parsed = new URL(url, 'http://127.0.0.1');
  const dataPath = parseDataPath(parsed.pathname);
  const method = subrequest.method.toUpperCase();
  if (!dataPath || !isCompositeResource(dataPath.segments)) {
    return {
      status: 404,
      body: new SalesforceApiError(
        404,
        'NOT_FOUND',
        `The requested resource does not exist or is not supported in a composite request: ${subrequest.url}`,
      ).toBody(),
    };
  }

  const query = Object.fromEntries(parsed.searchParams);
  const fault = state.faults.take(
    { method, path: parsed.pathname, query, body, subrequest: true },
    false,
  );
  if (fault?.kind === 'lock') {
    const id = dataPath.segments[2];
    return { status: 400, body: lockError(id).toBody() };
  }
  if (fault?.kind === 'error' && fault.error) {
    return { status: 400, body: [fault.error] };
  }

  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(subrequest.httpHeaders ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const response: SubrequestResponse = router.dispatch(state, {
    method,
    path: parsed.pathname,
    query,
    body,
    headers,
    user: call.user,
    apiVersion: dataPath.apiVersion,
    segments: dataPath.segments,
    subrequest: true,
    outerAllOrNone: allOrNone,
  });
  if (fault?.kind === 'rewrite') {
    response.servedBody = rewritten(fault, response).body;
  }
  return response;
}

/** Composite runs sObject, query and sObject Collections requests only. */
function isCompositeResource(segments: string[]): boolean {
  const [first, second] = segments;
  return (
    first === 'sobjects' ||
    first === 'query' ||
    first === 'queryAll' ||
    (first === 'composite' && second === 'sobjects')
  );
}

function validate(body: unknown): Subrequest[] {
  const subrequests = compositeSubrequests(body);
  if (!subrequests) {
    throw jsonParserError("'compositeRequest' is a required field.");
  }
  if (subrequests.length > MAX_SUBREQUESTS) {
    // NOTE: the error code Salesforce gives past 25 subrequests is assumed.
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `A composite request can have at most ${MAX_SUBREQUESTS} subrequests; this one has ${subrequests.length}.`,
    );
  }
  const seen = new Set<string>();
  let queriesAndCollections = 0;
  for (const subrequest of subrequests) {
    for (const field of ['method', 'url', 'referenceId'] as const) {
      if (typeof subrequest?.[field] !== 'string' || subrequest[field] === '') {
        throw jsonParserError(`'${field}' is a required field.`);
      }
    }
    if (!/^[A-Za-z0-9_]+$/.test(subrequest.referenceId)) {
      throw jsonParserError(
        `Invalid referenceId '${subrequest.referenceId}': use only letters, numbers and underscores.`,
      );
    }
    if (seen.has(subrequest.referenceId)) {
      throw jsonParserError(
        `Duplicate referenceId '${subrequest.referenceId}': every subrequest needs its own.`,
      );
    }
    seen.add(subrequest.referenceId);
    if (
      /\/(query|queryAll)(\/|\?|$)|\/composite\/sobjects/.test(subrequest.url)
    ) {
      queriesAndCollections++;
    }
  }
  if (queriesAndCollections > MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `A composite request can have at most ${MAX_QUERY_OR_COLLECTION_SUBREQUESTS} query or sObject Collections subrequests; this one has ${queriesAndCollections}.`,
    );
  }
  return subrequests;
}

import type { ApiErrorEntry, ApiResponse } from './api-error.js';

/**
 * Failures injected on demand:
 * - `lock`: 400 `UNABLE_TO_LOCK_ROW`, on a request or on one composite subrequest;
 * - `error`: 400 with the spec's `error` as the body's one entry, on a request or
 *   on one composite subrequest, for codes and messages no handler produces;
 * - `503`: 503 `SERVER_UNAVAILABLE`;
 * - `slow`: the request waits `delayMs` and is then served as usual;
 * - `expired-session`: the caller's token is revoked and the call gets 401 `INVALID_SESSION_ID`;
 * - `request-limit`: 403 `REQUEST_LIMIT_EXCEEDED`;
 * - `partial`: in a composite or sObject Collections write, subrequest or record
 *   `failIndex` (default the last) fails with `UNABLE_TO_LOCK_ROW`, and the call's
 *   allOrNone setting decides what happens to the others;
 * - `malformed`: the call runs as usual, writes included, and then its JSON body
 *   is replaced by `replaceBody(body)` (default an HTML error page), still sent
 *   as `application/json`, as a proxy that rewrites responses would;
 * - `rewrite`: the request or composite subrequest is served as usual, and the
 *   spec's `rewrite` changes the JSON body of its response. It makes malformed
 *   responses that no handler produces, such as a field of the wrong type or a
 *   selected field left out, as a proxy in front of the org could send them.
 */
export type FaultKind =
  | 'lock'
  | 'error'
  | '503'
  | 'slow'
  | 'expired-session'
  | 'request-limit'
  | 'partial'
  | 'malformed'
  | 'rewrite';

/** The parts of a request or composite subrequest that a fault's `match` receives. */
export interface FaultRequestInfo {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** True for a subrequest of a composite call. */
  subrequest: boolean;
}

/**
 * A predicate, or a method and a path: a string matches any path that contains it,
 * a RegExp is tested against the path. Omitted parts match everything.
 */
export type FaultMatch =
  | ((request: FaultRequestInfo) => boolean)
  | { method?: string; path?: string | RegExp; subrequest?: boolean };

export interface FaultSpec {
  kind: FaultKind;
  /** Which requests; every request when omitted. */
  match?: FaultMatch;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** For `slow`: the delay in milliseconds; default 1000. */
  delayMs?: number;
  /** For `partial`: the subrequest or record that fails; default the last. */
  failIndex?: number;
  /** For `error`, and required there: the error entry that the response returns. */
  error?: ApiErrorEntry;
  /** For `malformed`: returns the text sent in place of the JSON body text. */
  replaceBody?: (body: string) => string;
  /**
   * For `rewrite`, and required there: returns the body to send instead of the
   * response's JSON body. It gets a copy, which it may change in place. The
   * status stays, and later subrequests of a composite call still read the
   * body the org made.
   */
  rewrite?: (body: unknown) => unknown;
}

export interface ActiveFault {
  kind: FaultKind;
  delayMs: number;
  failIndex: number | undefined;
  error: ApiErrorEntry | undefined;
  replaceBody: (body: string) => string;
  rewrite: ((body: unknown) => unknown) | undefined;
}

/** The body of a `malformed` fault without `replaceBody`: a proxy's error page. */
const HTML_ERROR_PAGE = '<html><body>502 Bad Gateway</body></html>';

interface FaultRule {
  spec: FaultSpec;
  remaining: number;
}

/** Only `lock`, `error` and `rewrite` can hit a single composite subrequest. The other kinds act on whole HTTP calls. */
const SUBREQUEST_KINDS: ReadonlySet<FaultKind> = new Set([
  'lock',
  'error',
  'rewrite',
]);

export class FaultInjector {
  private rules: FaultRule[] = [];

  /** Queues a fault for the next matching request(s). */
  next(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new Error(
        `Fault times must be a whole number of at least 1, not ${times}`,
      );
    }
    if (spec.kind === 'error' && spec.error === undefined) {
      throw new Error(
        "A fault of kind 'error' is missing its error entry. Set `error` to the entry the response returns.",
      );
    }
    if (spec.kind === 'rewrite' && spec.rewrite === undefined) {
      throw new Error(
        "A fault of kind 'rewrite' is missing its rewrite function. Set `rewrite` to a function that returns the body to send.",
      );
    }
    this.rules.push({ spec, remaining: times });
  }

  /** Drops every queued fault. */
  clear(): void {
    this.rules = [];
  }

  /** Faults queued and not yet used up. */
  pending(): number {
    return this.rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /**
   * Takes the first queued fault that matches the request and can act on it,
   * using up one of its `times`.
   */
  take(
    request: FaultRequestInfo,
    isCollectionWrite: boolean,
  ): ActiveFault | undefined {
    const rule = this.rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        applies(candidate.spec.kind, request, isCollectionWrite) &&
        matches(candidate.spec.match, request),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.rules = this.rules.filter((candidate) => candidate.remaining > 0);
    return {
      kind: rule.spec.kind,
      delayMs: rule.spec.delayMs ?? 1000,
      failIndex: rule.spec.failIndex,
      error: rule.spec.error,
      replaceBody: rule.spec.replaceBody ?? (() => HTML_ERROR_PAGE),
      rewrite: rule.spec.rewrite,
    };
  }
}

function applies(
  kind: FaultKind,
  request: FaultRequestInfo,
  isCollectionWrite: boolean,
): boolean {
  if (request.subrequest) return SUBREQUEST_KINDS.has(kind);
  return kind !== 'partial' || isCollectionWrite;
}

function matches(
  match: FaultMatch | undefined,
  request: FaultRequestInfo,
): boolean {
  if (match === undefined) return true;
  if (typeof match === 'function') return match(request);
  if (
    match.method !== undefined &&
    match.method.toUpperCase() !== request.method.toUpperCase()
  ) {
    return false;
  }
  if (
    match.subrequest !== undefined &&
    match.subrequest !== request.subrequest
  ) {
    return false;
  }
  if (match.path === undefined) return true;
  return typeof match.path === 'string'
    ? request.path.includes(match.path)
    : match.path.test(request.path);
}

/**
 * Applies a `rewrite` fault to a response with a JSON body; any other fault,
 * or a response without a body, is returned as it is.
 */
export function rewritten(
  fault: ActiveFault | undefined,
  response: ApiResponse,
): ApiResponse {
  if (fault?.kind !== 'rewrite' || !fault.rewrite) return response;
  if (response.body === undefined) return response;
  return { ...response, body: fault.rewrite(structuredClone(response.body)) };
}

import type { ZodError } from 'zod';
import { DomainError } from '../domain/domain-error.js';
import { StoredValueError } from '../domain/stored-value.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  GatewayError,
  OrgAuthenticationError,
  OrgRejectedError,
  OrgRequestLimitError,
  OrgResponseInvalidError,
  PendingRequestExistsError,
  RecordLockedError,
  RecordNotFoundError,
  StoreUnavailableError,
} from '../org/errors.js';
import { ReportError } from '../reports/report-error.js';
import { isIdempotencyKeyClash } from '../app/write-conflict.js';
import { echoText } from './echoed-text.js';

/** An RFC 9457 problem document with this API's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  fix: string;
  value?: unknown;
  issues?: Array<{ path: string; message: string; code: string }>;
  unmet?: unknown[];
  pendingRequestId?: string;
  instance?: string;
}

const STATUS_BY_CODE: Record<string, number> = {
  invalid_request: 400,
  invalid_id: 400,
  malformed_http_request: 400,
  unknown_stage: 400,
  unauthenticated: 401,
  unknown_acting_user: 403,
  not_on_deal: 403,
  wrong_side: 403,
  requester_cannot_confirm: 403,
  not_channel_manager: 403,
  not_partner_user: 403,
  wrong_partner_account: 403,
  vendor_only: 403,
  not_report_viewer: 403,
  no_cosell_access: 403,
  partner_contact_missing: 403,
  deal_not_found: 404,
  account_not_found: 404,
  registration_not_found: 404,
  request_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  request_timeout: 408,
  chunk_extensions_too_large: 413,
  unsupported_media_type: 415,
  request_pending: 409,
  registration_decided: 409,
  registration_conflict: 409,
  request_not_pending: 409,
  requester_left_side: 409,
  concurrent_change: 409,
  record_locked: 409,
  invalid_transition: 409,
  unknown_model: 409,
  stage_not_in_model: 409,
  no_partner_account: 409,
  criteria_unmet: 422,
  idempotency_key_reused: 422,
  invalid_owner: 422,
  attribution_invalid: 422,
  not_partner_account: 422,
  org_rejected: 422,
  rate_limited: 429,
  header_fields_too_large: 431,
  store_unavailable: 503,
  org_response_invalid: 502,
  org_request_limit_exceeded: 503,
  org_authentication_failed: 503,
  internal_error: 500,
  currency_rate_missing: 500,
  invalid_stored_value: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * An error the HTTP layer raises itself, already in problem form, with the response
 * headers it needs (such as `WWW-Authenticate` on a 401).
 */
export class HttpProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fix: string,
    readonly extra: Partial<Problem> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export function problem(
  code: string,
  detail: string,
  fix: string,
  extra: Partial<Problem> = {},
): Problem {
  const status = extra.status ?? statusForCode(code);
  return {
    type: `https://cosell-stages.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    fix,
    ...extra,
  };
}

/** Maximum number of unknown key names that a problem echoes. */
export const MAX_ECHOED_NAMES = 10;

/**
 * Returns the unknown key names a problem echoes: the first `MAX_ECHOED_NAMES`,
 * each cut as `echoText` cuts, so that a request of long or many keys gets a
 * short problem.
 */
export function echoedNames(keys: readonly string[]): string[] {
  return keys.slice(0, MAX_ECHOED_NAMES).map((key) => echoText(key).text);
}

/**
 * Returns the value a zod issue rejected, as a problem's `value`. That is a
 * scalar as the client sent it in `input`, before a transform such as
 * `.trim()`, or the names of unknown keys (see `echoedNames`). It is null when
 * the value is missing or is an object or array.
 */
function rejectedValue(
  issue: ZodError['issues'][number],
  input: unknown,
): unknown {
  if (issue.code === 'unrecognized_keys') return echoedNames(issue.keys);
  const sent = valueAt(input, issue.path) ?? issue.input;
  if (typeof sent === 'string') return sent;
  if (typeof sent === 'number' || typeof sent === 'boolean') return sent;
  return null;
}

/** Returns the value at `path` in parsed JSON or a query, or undefined when absent. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (typeof key === 'symbol' || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Names of the request parts that `validate` checks, as a problem's detail uses them. */
const PART_NAMES = {
  params: 'path',
  body: 'body',
  query: 'query string',
} as const;

/**
 * Builds the 400 problem of a failed zod parse of `input`. `value` is the first
 * issue's rejected value, cut as `echoText` cuts, and `issues` has the paths.
 * Run the parse with `reportInput`, for values that `input` does not contain.
 */
export function zodProblem(
  error: ZodError,
  where: 'params' | 'body' | 'query',
  input: unknown,
): Problem {
  const issues = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
  const first = error.issues[0];
  const value = first ? rejectedValue(first, input) : null;
  const echoed = typeof value === 'string' ? echoText(value) : undefined;
  return problem(
    'invalid_request',
    `The request ${PART_NAMES[where]} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.${echoed?.note ?? ''}`,
    'Correct the listed fields; GET /openapi.json describes every request.',
    { issues, value: echoed ? echoed.text : value },
  );
}

/**
 * Seconds a caller should wait before sending a call again after a record lock
 * or an unreachable store. An estimate: a few seconds let most locks and short
 * outages clear while a user waits little.
 */
export const RETRY_AFTER_SECONDS = 5;

/** A problem, whether the error was expected, and the response headers it needs. */
export interface MappedProblem {
  problem: Problem;
  expected: boolean;
  headers?: Readonly<Record<string, string>>;
}

/** Maps any thrown value to a problem; unknown errors become a 500 without details. */
export function toProblem(error: unknown): MappedProblem {
  if (error instanceof HttpProblem) {
    return {
      problem: problem(error.code, error.message, error.fix, error.extra),
      expected: true,
    };
  }
  if (
    error instanceof StoredValueError ||
    (error instanceof ReportError && error.code === 'invalid_stored_value')
  ) {
    const echoed =
      typeof error.value === 'string' ? echoText(error.value) : undefined;
    return {
      problem: problem(
        error.code,
        `${error.message}${echoed?.note ?? ''}`,
        error.fix,
        { value: echoed ? echoed.text : error.value },
      ),
      expected: true,
    };
  }
  if (error instanceof DomainError) {
    return {
      problem: problem(error.code, error.message, error.fix, {
        ...(error.details.value !== undefined
          ? { value: error.details.value }
          : {}),
        ...(error.details.unmet ? { unmet: error.details.unmet } : {}),
        ...(error.details.pendingRequestId
          ? { pendingRequestId: error.details.pendingRequestId }
          : {}),
      }),
      expected: true,
    };
  }
  if (error instanceof ConcurrentChangeError) {
    return {
      problem: problem(
        'concurrent_change',
        `The deal changed while this call ran: ${error.message}.`,
        'Read the deal again; the request may already be answered.',
      ),
      expected: true,
    };
  }
  if (error instanceof PendingRequestExistsError) {
    return {
      problem: problem(
        'request_pending',
        error.message,
        'Answer the pending request first.',
        {
          ...(error.pendingRequestId
            ? { pendingRequestId: error.pendingRequestId }
            : {}),
        },
      ),
      expected: true,
    };
  }
  if (isIdempotencyKeyClash(error)) {
    // The stored key is a hash of the caller's key, so it means nothing to the
    // caller. Use cases that know the caller's key name it themselves.
    return {
      problem: problem(
        'concurrent_change',
        'The Idempotency-Key was used by another call at the same time.',
        'Send the request again with the same Idempotency-Key: once the other call has finished, it returns that first response.',
      ),
      expected: true,
    };
  }
  if (error instanceof DuplicateKeyError) {
    return {
      problem: problem(
        'concurrent_change',
        `${error.message}; another call did the same thing first.`,
        'Read the deal again to see the result.',
      ),
      expected: true,
    };
  }
  if (error instanceof RecordNotFoundError) {
    return {
      problem: problem('not_found', error.message, 'Check the Id.', {
        value: error.recordId,
      }),
      expected: true,
    };
  }
  if (error instanceof OrgRejectedError) {
    // Not expected, so the request's log line carries the error with the deal Id
    // and every org error, for the admin who has to change the org.
    return {
      problem: problem('org_rejected', error.message, error.fix, {
        value: error.orgErrors,
      }),
      expected: false,
    };
  }
  if (error instanceof OrgResponseInvalidError) {
    // Not expected, so the request's log line carries the error, which names
    // the call and the part of the response that was malformed.
    return {
      problem: problem('org_response_invalid', error.message, error.fix),
      expected: false,
    };
  }
  if (error instanceof RecordLockedError) {
    return {
      problem: problem(
        'record_locked',
        error.message,
        "Another transaction, such as a trigger, a flow or a data load, held the lock longer than the middleware retried. Send the call again after the seconds in the Retry-After header; if the record stays locked, have the org's admin find what holds it.",
        { value: error.recordId },
      ),
      expected: false,
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  if (
    error instanceof OrgRequestLimitError ||
    error instanceof OrgAuthenticationError
  ) {
    // No Retry-After: a retry fails the same way until the admin acts or
    // older calls leave the org's 24-hour window.
    return {
      problem: problem(error.code, error.message, error.fix),
      expected: false,
    };
  }
  if (error instanceof StoreUnavailableError) {
    return {
      problem: problem(
        'store_unavailable',
        'The store of record could not be reached.',
        'Try again shortly; if it persists, check the middleware logs.',
      ),
      expected: false,
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof GatewayError) {
    return {
      problem: problem(
        'store_unavailable',
        `The store of record refused the call (${error.code}).`,
        'Try again; if it persists, check the middleware logs.',
      ),
      expected: false,
    };
  }
  return {
    problem: problem(
      'internal_error',
      'An unexpected error occurred.',
      'Try again; if it persists, report it with the X-Request-Id of this response.',
    ),
    expected: false,
  };
}

/** One entry of a Salesforce REST error body, `[{ errorCode, message, fields? }]`. */
export interface ApiErrorEntry {
  errorCode: string;
  message: string;
  fields?: string[];
  /** The composite subrequest that returned it. */
  referenceId?: string;
}

/** What a retry can do about a failed call. */
export type FailureKind =
  /** The org refused the call for a reason a retry cannot change. */
  | 'rejected'
  /** A row lock or 503: nothing was applied, and a retry may succeed. */
  | 'transient'
  /** A timeout or a broken connection: the call may or may not have been applied. */
  | 'uncertain'
  /** The access token expired or was revoked. */
  | 'session'
  /** The org's daily API request limit is used up; retrying only uses more. */
  | 'limit'
  /**
   * The response is not the shape the call expects (not JSON, or a part is
   * missing), so a write may or may not have been applied. Not retried.
   */
  | 'malformed';

const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'ERROR_HTTP_503',
]);
/**
 * The code of an error that only reports that another error of the same
 * composite call rolled back or skipped this part, so the other errors decide
 * what a retry can do.
 */
const CONSEQUENCE_CODE = 'PROCESSING_HALTED';
const UNCERTAIN_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * A failed Salesforce call with every error it returned. jsforce 3 errors carry
 * `errorCode` and `data` but no HTTP status, so the kind is read from the codes.
 * The gateway maps this to the port's error classes in one place.
 */
export class SalesforceCallError extends Error {
  readonly kind: FailureKind;
  /** Attempts made, the failed last one included: `SalesforceApi.retrying` sets it, and a call outside it made 1. */
  attempts = 1;

  constructor(
    readonly operation: string,
    readonly errors: ApiErrorEntry[],
    options: { kind?: FailureKind; status?: number; cause?: unknown } = {},
  ) {
    super(`${operation} failed: ${describeErrors(errors)}`, {
      cause: options.cause,
    });
    this.name = 'SalesforceCallError';
    this.kind = options.kind ?? kindOf(errors, options.status);
  }

  /** Whether any error has this code. */
  has(errorCode: string): boolean {
    return this.errors.some((entry) => entry.errorCode === errorCode);
  }
}

/** Lists every error as `CODE: message [fields] (referenceId)`, joined by `; `. */
export function describeErrors(errors: readonly ApiErrorEntry[]): string {
  if (errors.length === 0) return 'no error detail returned';
  return errors
    .map((entry) => {
      const fields =
        entry.fields && entry.fields.length > 0
          ? ` [${entry.fields.join(', ')}]`
          : '';
      const where = entry.referenceId ? ` (${entry.referenceId})` : '';
      return `${entry.errorCode}: ${entry.message}${fields}${where}`;
    })
    .join('; ');
}

function kindOf(errors: ApiErrorEntry[], status?: number): FailureKind {
  const codes = errors.map((entry) => entry.errorCode);
  if (codes.includes('REQUEST_LIMIT_EXCEEDED')) return 'limit';
  if (codes.includes('INVALID_SESSION_ID') || status === 401) return 'session';
  if (status === 503) return 'transient';
  // A call is transient only when every error that caused it is. A permanent
  // error in one composite part fails again on each retry, whatever the other
  // parts hit, so retrying it only delays the rejection.
  const causes = errors.filter((entry) => entry.errorCode !== CONSEQUENCE_CODE);
  if (causes.length > 0 && causes.every(isTransientEntry)) return 'transient';
  return 'rejected';
}

/**
 * Tells whether a retry may clear this error: a row lock or a 503 of one part.
 * A trigger or flow that hits a row lock while it saves another record makes
 * Salesforce report CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY, with the
 * DmlException in the message ("...first error: UNABLE_TO_LOCK_ROW, unable to
 * obtain exclusive access to this record"), and that lock clears like any other.
 * NOTE: a trigger that catches the DmlException and adds an error of its own
 * hides the lock, and such a save stays rejected.
 *
 * "Apex CPU time limit exceeded" in a trigger stays permanent, although the
 * same save may pass on a less loaded server. The limit counts the CPU time of
 * the save's own triggers and flows, and a retry seconds later runs them again
 * on the same record, so it is likely to fail the same way. Each attempt can
 * also spend up to 10 s of the org's CPU, the synchronous limit in Salesforce's
 * "Execution Governors and Limits". The org's admin has to make that
 * automation do less work.
 */
function isTransientEntry(entry: ApiErrorEntry): boolean {
  return TRANSIENT_CODES.has(entry.errorCode) || isRowLock(entry);
}

/** Tells whether an error reports a row lock on the saved record, or on another record that a trigger saved. */
export function isRowLock(entry: ApiErrorEntry): boolean {
  return (
    entry.errorCode === 'UNABLE_TO_LOCK_ROW' ||
    (entry.errorCode === 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY' &&
      entry.message.includes('UNABLE_TO_LOCK_ROW'))
  );
}

/** Reads error entries from a REST error body: an array, or a single entry. */
export function errorEntries(body: unknown): ApiErrorEntry[] {
  const list = Array.isArray(body) ? body : [body];
  const entries: ApiErrorEntry[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object') continue;
    const record = item as Record<string, unknown>;
    const code = record.errorCode ?? record.statusCode ?? record.error;
    const message = record.message ?? record.error_description;
    if (typeof code !== 'string' && typeof message !== 'string') continue;
    const entry: ApiErrorEntry = {
      errorCode: typeof code === 'string' ? code : 'UNKNOWN_ERROR',
      message: typeof message === 'string' ? message : '',
    };
    if (Array.isArray(record.fields)) {
      entry.fields = record.fields.map(String);
    }
    entries.push(entry);
  }
  return entries;
}

/**
 * Converts anything a jsforce call or `fetch` threw into a `SalesforceCallError`.
 * A jsforce `HttpApiError` has `errorCode` and `data` (one entry, or the list of a
 * `MULTIPLE_API_ERRORS` response); aborts and socket errors are `uncertain`.
 */
export function toCallError(
  operation: string,
  error: unknown,
): SalesforceCallError {
  if (error instanceof SalesforceCallError) return error;
  const record = (error ?? {}) as Record<string, unknown>;
  const name = typeof record.name === 'string' ? record.name : '';
  const code = typeof record.code === 'string' ? record.code : undefined;
  const message =
    error instanceof Error ? error.message : String(error ?? 'unknown error');
  if (
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    (code !== undefined && UNCERTAIN_NETWORK_CODES.has(code)) ||
    isFetchFailure(error)
  ) {
    return new SalesforceCallError(
      operation,
      [{ errorCode: code ?? name ?? 'NETWORK_ERROR', message }],
      { kind: 'uncertain', cause: error },
    );
  }
  if (typeof record.errorCode === 'string') {
    const fromData = errorEntries(record.data);
    const entries =
      record.errorCode === 'MULTIPLE_API_ERRORS' && fromData.length > 0
        ? fromData
        : [
            {
              errorCode: record.errorCode,
              message,
              ...(fromData[0]?.fields ? { fields: fromData[0].fields } : {}),
            },
          ];
    return new SalesforceCallError(operation, entries, { cause: error });
  }
  return new SalesforceCallError(
    operation,
    [{ errorCode: 'UNEXPECTED_ERROR', message }],
    { kind: 'rejected', cause: error },
  );
}

/** Node's fetch reports a refused or reset connection as `TypeError: fetch failed`. */
function isFetchFailure(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    error.message === 'fetch failed' &&
    error.cause !== undefined
  );
}

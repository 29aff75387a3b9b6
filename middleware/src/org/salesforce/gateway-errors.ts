import { isSalesforceId } from '../../domain/salesforce-id.js';
import {
  GatewayError,
  OrgAuthenticationError,
  OrgRejectedError,
  OrgRequestLimitError,
  OrgResponseInvalidError,
  RecordLockedError,
  RecordNotFoundError,
  StoreUnavailableError,
  type OrgErrorEntry,
} from '../errors.js';
import {
  describeErrors,
  isRowLock,
  SalesforceCallError,
  toCallError,
  type ApiErrorEntry,
} from './api-error.js';
import { TokenRequestError, tokenErrorHint } from './jwt-bearer.js';

const NOT_FOUND_CODES = new Set([
  'NOT_FOUND',
  'ENTITY_IS_DELETED',
  'INVALID_CROSS_REFERENCE_KEY',
]);

/**
 * Codes with which Salesforce rejects a record save because of the org's rules,
 * automation, field settings or sharing. A retry fails the same way, and the
 * org is reachable, so these are not an outage.
 */
const RECORD_REJECTION_CODES = new Set([
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
  'FIELD_INTEGRITY_EXCEPTION',
  'REQUIRED_FIELD_MISSING',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'STRING_TOO_LONG',
  'DUPLICATES_DETECTED',
  'ENTITY_IS_LOCKED',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
]);

/** The fix of a rejection when the gateway cannot tell which org setting caused it. */
const REJECTION_FIX =
  "Change the record or the org's configuration that the errors name (a validation rule's message names its condition), then send the call again.";

/** The fix of a call whose response was not the shape it expects. */
const MALFORMED_RESPONSE_FIX =
  'Check that COSELL_SF_INSTANCE_URL points at the org and that no proxy between the middleware and the org replaces or cuts its responses. A write whose response was malformed and that a read did not find may still have been applied, so read the record before you send the write again.';

/** The text of the `System.LimitException` that Salesforce raises at the Apex CPU time limit. */
const CPU_LIMIT_MESSAGE = 'Apex CPU time limit exceeded';

/** The fix of a save that the org's triggers or flows failed by running past the Apex CPU time limit. */
const CPU_LIMIT_FIX =
  "The org's triggers or flows that run on this save went past the Apex CPU time limit. Have the org's admin find that automation (a debug log of the integration user shows it) and make it do less work in one save, then send the call again.";

/** The fix of a call that failed because the org's 24-hour API request limit is used up. */
const REQUEST_LIMIT_FIX =
  "The org's API requests of the last 24 hours have reached its limit, so every call to the org fails until calls older than 24 hours free part of it. The org's admin sees the use and the limit in Setup > Company Information (API Requests, Last 24 Hours), and can stop the integration that uses them up or buy a higher limit from Salesforce.";

/** The fix of a session the org rejected right after a renewal, or when no renewal is set up. */
const SESSION_REJECTED_FIX =
  "The org rejected the integration user's session. Have the org's admin check that the integration user is active and allowed to use the connected app (its Permitted Users and session policies), then send the call again.";

/**
 * Maps a failed call to the port's error classes; the one place where jsforce
 * and Salesforce errors become `GatewayError`s. Port errors pass through, so an
 * operation can map its own cases first. The message lists every error the org
 * returned, and the original error is the `cause`.
 */
export function toGatewayError(
  operation: string,
  error: unknown,
  notFound?: { objectName: string; recordId: string },
): GatewayError {
  if (error instanceof GatewayError) return error;
  const failure = toCallError(operation, error);
  const detail = describeErrors(failure.errors);
  switch (failure.kind) {
    case 'limit':
      return new OrgRequestLimitError(
        `${operation}: the org's API request limit for the last 24 hours is used up, so the call was not retried (${detail})`,
        REQUEST_LIMIT_FIX,
        { cause: failure },
      );
    case 'session':
      return new OrgAuthenticationError(
        `${operation}: the Salesforce session is invalid and could not be renewed (${detail})`,
        authenticationFix(failure),
        { cause: failure },
      );
    case 'malformed':
      return new OrgResponseInvalidError(
        `${operation}: ${detail}`,
        MALFORMED_RESPONSE_FIX,
        { cause: failure },
      );
    case 'transient':
    case 'uncertain':
      if (failure.kind === 'transient' && onlyRowLocks(failure.errors)) {
        const recordId = lockedRecordId(failure.errors);
        return new RecordLockedError(
          `${operation}: ${recordId ? `record ${recordId}` : 'a record the call needs'} is locked by another transaction, and ${describeAttempts(failure.attempts)} (${detail})`,
          recordId,
          { cause: failure },
        );
      }
      return new StoreUnavailableError(
        `${operation}: ${describeAttempts(failure.attempts)} (${detail}); try again later`,
        { cause: failure },
      );
    default:
      break;
  }
  if (
    notFound &&
    failure.errors.some((e) => NOT_FOUND_CODES.has(e.errorCode))
  ) {
    return new RecordNotFoundError(notFound.objectName, notFound.recordId, {
      cause: failure,
    });
  }
  if (failure.errors.some((e) => RECORD_REJECTION_CODES.has(e.errorCode))) {
    return new OrgRejectedError(
      `${operation}: the org rejected the write: ${detail}`,
      toOrgErrors(failure.errors),
      failure.errors.some((e) => e.message.includes(CPU_LIMIT_MESSAGE))
        ? CPU_LIMIT_FIX
        : REJECTION_FIX,
      { cause: failure },
    );
  }
  return new StoreUnavailableError(
    `${operation}: the org rejected the call: ${detail}`,
    {
      cause: failure,
    },
  );
}

/** Copies the code, message and fields of each error, for a caller to see. */
export function toOrgErrors(errors: readonly ApiErrorEntry[]): OrgErrorEntry[] {
  return errors.map((entry) => ({
    errorCode: entry.errorCode,
    message: entry.message,
    ...(entry.fields && entry.fields.length > 0
      ? { fields: [...entry.fields] }
      : {}),
  }));
}

/**
 * Returns what the admin should check for a rejected session: the hint of the
 * OAuth error when the token request was rejected, and otherwise the user's
 * access to the connected app.
 */
function authenticationFix(failure: SalesforceCallError): string {
  if (!(failure.cause instanceof TokenRequestError)) {
    return SESSION_REJECTED_FIX;
  }
  return `The org rejected the integration user's token request (${failure.cause.error}). Have the middleware's operator or the org's admin ${tokenErrorHint(failure.cause)}, then send the call again.`;
}

/**
 * Tells whether every error that caused a failure is a row lock. It leaves out
 * `PROCESSING_HALTED` parts, because they only follow another part's error.
 */
function onlyRowLocks(errors: readonly ApiErrorEntry[]): boolean {
  const causes = errors.filter((e) => e.errorCode !== 'PROCESSING_HALTED');
  return causes.length > 0 && causes.every(isRowLock);
}

/**
 * Returns the Id of the locked record, which Salesforce names at the end of a
 * row lock message ("unable to obtain exclusive access to this record or 1
 * records: 0068d000000000xAAA"), or null when no message names one.
 */
function lockedRecordId(errors: readonly ApiErrorEntry[]): string | null {
  for (const entry of errors) {
    const id = /records?: ([A-Za-z0-9]{15,18})\b/.exec(entry.message)?.[1];
    if (isSalesforceId(id)) return id;
  }
  return null;
}

/** Describes the attempts behind a failure, so a message claims retries only when they ran. */
function describeAttempts(attempts: number): string {
  if (attempts <= 1) return 'the Salesforce call failed and was not retried';
  const retries = attempts - 1;
  return `the Salesforce call kept failing after ${retries} ${retries === 1 ? 'retry' : 'retries'}`;
}

/** Returns the errors of a failed call that came from one composite subrequest. */
export function errorsOf(error: unknown, referenceId: string) {
  return error instanceof SalesforceCallError
    ? error.errors.filter((entry) => entry.referenceId === referenceId)
    : [];
}

/** Tells whether every error of a composite failure is `PROCESSING_HALTED`, so a reference had no value. */
export function onlyHalted(error: unknown): boolean {
  return (
    error instanceof SalesforceCallError &&
    error.kind === 'rejected' &&
    error.errors.length > 0 &&
    error.errors.every((entry) => entry.errorCode === 'PROCESSING_HALTED')
  );
}

import {
  GatewayError,
  OrgRejectedError,
  OrgResponseInvalidError,
  RecordNotFoundError,
  StoreUnavailableError,
  type OrgErrorEntry,
} from '../errors.js';
import {
  describeErrors,
  SalesforceCallError,
  toCallError,
  type ApiErrorEntry,
} from './api-error.js';

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
      return new StoreUnavailableError(
        `${operation}: the org's daily API request limit is used up (${detail}); the call was not retried. Wait for the 24-hour window to free calls, or raise the org's limit`,
        { cause: failure },
      );
    case 'session':
      return new StoreUnavailableError(
        `${operation}: the Salesforce session is invalid and could not be renewed (${detail}); check the integration user and the connected app`,
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

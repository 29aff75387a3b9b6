/** Errors that every `OrgGateway` implementation raises, so use cases map them once. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The deal changed (version or request status) between the read and the write. */
export class ConcurrentChangeError extends GatewayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'concurrent_change', options);
  }
}

/** The deal already has a pending request. */
export class PendingRequestExistsError extends GatewayError {
  constructor(
    readonly dealId: string,
    readonly pendingRequestId: string | null,
    options?: { cause?: unknown },
  ) {
    super(
      `Deal ${dealId} already has a pending stage request` +
        (pendingRequestId ? ` (${pendingRequestId})` : ''),
      'request_pending',
      options,
    );
  }
}

/** A unique key (idempotency key, transition key) was already used. */
export class DuplicateKeyError extends GatewayError {
  constructor(
    readonly keyField: string,
    readonly keyValue: string,
    options?: { cause?: unknown },
  ) {
    super(`${keyField} ${keyValue} already exists`, 'duplicate_key', options);
  }
}

/** A record that the write names does not exist. */
export class RecordNotFoundError extends GatewayError {
  constructor(
    readonly objectName: string,
    readonly recordId: string,
    options?: { cause?: unknown },
  ) {
    super(`${objectName} ${recordId} was not found`, 'not_found', options);
  }
}

/** One error the org returned for a rejected write: its code, message and fields. */
export interface OrgErrorEntry {
  errorCode: string;
  message: string;
  /** The fields the error names, as Salesforce lists them. */
  fields?: string[];
}

/**
 * The org rejected a write for a reason a retry cannot change, such as a
 * validation rule or a missing permission. The org is reachable, so this is not
 * an outage, and `fix` names what to change in the org or the record.
 */
export class OrgRejectedError extends GatewayError {
  constructor(
    message: string,
    readonly orgErrors: OrgErrorEntry[],
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, 'org_rejected', options);
  }
}

/**
 * The org's response was not the shape the call expects: not JSON, or without
 * the part the call reads. Its result is unknown, so it never reads as "no
 * records", and `fix` names what to check.
 */
export class OrgResponseInvalidError extends GatewayError {
  constructor(
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, 'org_response_invalid', options);
  }
}

/**
 * The store or org cannot be reached or refused the call for a reason not above.
 * Every request may fail the same way, so /readyz reports not ready after one.
 */
export class StoreUnavailableError extends GatewayError {
  constructor(
    message: string,
    options?: { cause?: unknown },
    code = 'store_unavailable',
  ) {
    super(message, code, options);
  }
}

/**
 * An error for the org's API request limit of the last 24 hours being used up,
 * so every call fails until older calls leave that window. `fix` names where
 * the admin finds the usage and how to raise the limit.
 */
export class OrgRequestLimitError extends StoreUnavailableError {
  constructor(
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options, 'org_request_limit_exceeded');
  }
}

/**
 * The org did not accept the integration user's credentials. It rejected the
 * token request, or rejected a new session at once. `fix` names the settings
 * of the connected app and the integration user to check.
 */
export class OrgAuthenticationError extends StoreUnavailableError {
  constructor(
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options, 'org_authentication_failed');
  }
}

/**
 * Another transaction held a lock on a record that the call needed for longer
 * than the retries waited. Only calls on that record fail, so this is not an
 * outage. `recordId` is the locked record when the org names it.
 */
export class RecordLockedError extends GatewayError {
  constructor(
    message: string,
    readonly recordId: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, 'record_locked', options);
  }
}

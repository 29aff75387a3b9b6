import { IDEMPOTENCY_FIELDS, REQUEST_FIELDS } from '../domain/api-names.js';
import { DomainError } from '../domain/domain-error.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  PendingRequestExistsError,
} from '../org/errors.js';
import type { IdempotencyInput } from './cosell-context.js';

/** The `keyField` values of a `DuplicateKeyError` on a scoped idempotency key. */
const IDEMPOTENCY_KEY_FIELDS: ReadonlySet<string> = new Set([
  `Idempotency_Record__c.${IDEMPOTENCY_FIELDS.key}`,
  `Stage_Request__c.${REQUEST_FIELDS.idempotencyKey}`,
]);

/**
 * Tells whether a write failed because another call changed the same records
 * between this call's read and its write. A use case then reads again, because
 * the other call may be an identical one with the same Idempotency-Key, whose
 * stored response this call must replay.
 */
export function isWriteConflict(error: unknown): boolean {
  return (
    error instanceof ConcurrentChangeError ||
    error instanceof PendingRequestExistsError ||
    error instanceof DuplicateKeyError
  );
}

/** Tells whether `error` is a clash on a stored, hashed idempotency key. */
export function isIdempotencyKeyClash(
  error: unknown,
): error is DuplicateKeyError {
  return (
    error instanceof DuplicateKeyError &&
    IDEMPOTENCY_KEY_FIELDS.has(error.keyField)
  );
}

/**
 * Throws the write conflict that a second read could not turn into a replay.
 * A clash on the idempotency key names the key as the caller sent it, because
 * the stored key is a hash that the caller cannot match to anything.
 */
export function throwWriteConflict(
  error: unknown,
  idempotency: IdempotencyInput | undefined,
): never {
  if (idempotency && isIdempotencyKeyClash(error)) {
    throw new DomainError(
      'concurrent_change',
      `Idempotency-Key "${idempotency.clientKey}" was used by another call at the same time.`,
      'Send the request again with the same Idempotency-Key: once the other call has finished, it returns that first response.',
      { value: idempotency.clientKey },
    );
  }
  throw error;
}

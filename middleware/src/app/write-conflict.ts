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

/** Maximum number of the caller's key characters that a problem echoes. */
const MAX_ECHOED_KEY_CHARS = 100;

/**
 * Returns the key as the caller sent it, for a problem's detail and value. It
 * is cut to `MAX_ECHOED_KEY_CHARS`, and each character outside U+0021 to U+007E
 * is escaped as `\xHH` or `\uHHHH`. The HTTP layer accepts only printable
 * ASCII keys, so the escape guards other callers of the use cases.
 */
export function echoedClientKey(idempotency: IdempotencyInput): string {
  return idempotency.clientKey
    .slice(0, MAX_ECHOED_KEY_CHARS)
    .replace(/[^\x21-\x7e]/g, (character) => {
      const code = character.charCodeAt(0);
      return code <= 0xff
        ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
        : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    });
}

/**
 * Builds the 422 for a key that an earlier call with another method, path,
 * acting user or body used. It names the key as the caller sent it, because
 * the stored key is a hash.
 */
export function idempotencyKeyReused(
  idempotency: IdempotencyInput,
): DomainError {
  const key = echoedClientKey(idempotency);
  return new DomainError(
    'idempotency_key_reused',
    `Idempotency-Key "${key}" was already used with a different request.`,
    'Use a new Idempotency-Key for a different request, or resend the original body.',
    { value: key },
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
    const key = echoedClientKey(idempotency);
    throw new DomainError(
      'concurrent_change',
      `Idempotency-Key "${key}" was used by another call at the same time.`,
      'Send the request again with the same Idempotency-Key: once the other call has finished, it returns that first response.',
      { value: key },
    );
  }
  throw error;
}

import type { IdempotencyRecord } from '../../domain/cosell.js';
import type { IdempotencyInput } from '../cosell-context.js';
import {
  idempotencyKeyReused,
  isWriteConflict,
  throwWriteConflict,
} from '../write-conflict.js';
import type { LifecycleContext } from './lifecycle-context.js';

/**
 * Returns the stored record of an earlier call with the same key, or null on a
 * first call. The same key with a different request fails with 422.
 */
export async function earlierCall(
  lc: LifecycleContext,
  idempotency: IdempotencyInput | undefined,
): Promise<IdempotencyRecord | null> {
  if (!idempotency) return null;
  const stored = await lc.store.findIdempotency(idempotency.key);
  if (!stored) return null;
  if (stored.fingerprint !== idempotency.fingerprint) {
    throw idempotencyKeyReused(idempotency);
  }
  return stored;
}

/**
 * Returns the stored record of an identical call with the same key that wrote
 * between this call's read and its write, after the write failed with `error`.
 * Throws `error` when it is no write conflict or no such record exists.
 */
export async function earlierCallAfterConflict(
  lc: LifecycleContext,
  idempotency: IdempotencyInput | undefined,
  error: unknown,
): Promise<IdempotencyRecord> {
  if (!idempotency || !isWriteConflict(error)) throw error;
  lc.cosell.logger.info(
    { err: error },
    'registration write conflict; reading the idempotency key again',
  );
  const earlier = await earlierCall(lc, idempotency);
  if (earlier) return earlier;
  return throwWriteConflict(error, idempotency);
}

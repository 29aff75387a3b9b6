import type { IdempotencyRecord } from '../../domain/cosell.js';
import { DomainError } from '../../domain/domain-error.js';
import type { IdempotencyInput } from '../cosell-context.js';
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
    throw new DomainError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request.',
      'Use a new Idempotency-Key for a different request, or resend the original body.',
      { value: 'Idempotency-Key' },
    );
  }
  return stored;
}

import type { SalesforceCallError } from './api-error.js';
import type { SalesforceApi } from './salesforce-api.js';

/**
 * Runs a write with the API's retries, and settles the one case retries leave
 * open. A retried write is safe because each write here fails harmlessly when it
 * was already applied: it inserts a record with a unique key, or it names a
 * request that must still be Pending, or it raises the deal's version, which the
 * org's validation rule accepts only once. But when an earlier attempt timed out
 * (`uncertain`), the retry's "already exists" or "no longer pending" may be the
 * earlier attempt's own success. Then `findApplied` reads the org: if it finds
 * this write's records, the write is reported as applied; otherwise the retry's
 * error stands. A write is never reported as applied before a response or a read
 * shows it was.
 */
export async function writeOnce<T>(
  api: SalesforceApi,
  operation: string,
  attempt: () => Promise<T>,
  findApplied: () => Promise<T | null>,
): Promise<T> {
  let uncertain = false;
  try {
    return await api.retrying(operation, attempt, (failure) => {
      if (failure.kind === 'uncertain') uncertain = true;
    });
  } catch (error) {
    const failure = error as SalesforceCallError;
    if (!uncertain || failure.kind !== 'rejected') throw error;
    const applied = await findApplied();
    if (applied === null) throw error;
    api.logger.warn(
      { operation, errorCodes: failure.errors?.map((e) => e.errorCode) },
      'a timed-out attempt had been applied; reporting it as applied',
    );
    return applied;
  }
}

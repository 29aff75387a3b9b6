import type { SalesforceCallError } from './api-error.js';
import type { SalesforceApi } from './salesforce-api.js';

/**
 * Runs a write with the API's retries, and settles the cases retries leave
 * open. A retried write is safe because each write here fails harmlessly when it
 * was already applied: it inserts a record with a unique key, or it names a
 * request that must still be Pending, or it raises the deal's version, which the
 * org's validation rule accepts only once. But when an earlier attempt timed out
 * (`uncertain`), the retry's "already exists" or "no longer pending" may be the
 * earlier attempt's own success. And when the last response was `malformed`, the
 * org may have committed the write before a proxy or a fault replaced or cut the
 * body. In both cases `findApplied` reads the org: if it finds this write's
 * records, the write is reported as applied; otherwise the error is raised. A write
 * is never reported as applied before a response or a read shows it was.
 * `logIds` names the records of the write in the log line of that case.
 */
export async function writeOnce<T>(
  api: SalesforceApi,
  operation: string,
  attempt: () => Promise<T>,
  findApplied: () => Promise<T | null>,
  logIds: Record<string, string | undefined> = {},
): Promise<T> {
  let uncertain = false;
  try {
    return await api.retrying(operation, attempt, (failure) => {
      if (failure.kind === 'uncertain') uncertain = true;
    });
  } catch (error) {
    const failure = error as SalesforceCallError;
    const maybeApplied =
      failure.kind === 'malformed' ||
      (uncertain && failure.kind === 'rejected');
    if (!maybeApplied) throw error;
    const applied = await findApplied();
    if (applied === null) throw error;
    api.logger.warn(
      {
        operation,
        ...logIds,
        errorCodes: failure.errors?.map((e) => e.errorCode),
      },
      failure.kind === 'malformed'
        ? "the org's response to the write was malformed, but a read shows the write was applied; reporting it as applied"
        : 'a timed-out attempt had been applied; reporting it as applied',
    );
    return applied;
  }
}

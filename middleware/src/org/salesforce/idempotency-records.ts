import { IDEMPOTENCY_FIELDS, REQUEST_FIELDS } from '../../domain/api-names.js';
import type { IdempotencyRecord } from '../../domain/cosell.js';
import { DuplicateKeyError } from '../errors.js';
import { SalesforceCallError } from './api-error.js';
import { queryRecords, type Subrequest } from './composite.js';
import { errorsOf, toGatewayError } from './gateway-errors.js';
import { checkResponse, COLLECTION_RESULTS } from './org-response.js';
import type { SalesforceApi } from './salesforce-api.js';
import { soqlDateTime, soqlString } from './soql.js';
import { idempotencyInsertBody } from './workflow-records.js';

/** The `keyField` of a `DuplicateKeyError` on an idempotency record. */
export const IDEMPOTENCY_KEY_FIELD = `Idempotency_Record__c.${IDEMPOTENCY_FIELDS.key}`;

/** Builds the subrequest `idempotency`, which inserts an idempotency record. */
export function idempotencySubrequest(
  api: SalesforceApi,
  record: IdempotencyRecord,
): Subrequest {
  return {
    method: 'POST',
    url: `${api.dataPath}/sobjects/Idempotency_Record__c`,
    referenceId: 'idempotency',
    body: idempotencyInsertBody(record),
  };
}

/** Returns a `DuplicateKeyError` when the `idempotency` subrequest hit a used key. */
export function duplicateIdempotency(
  error: unknown,
  record: IdempotencyRecord | undefined,
): DuplicateKeyError | null {
  const duplicate = errorsOf(error, 'idempotency').some(
    (e) => e.errorCode === 'DUPLICATE_VALUE',
  );
  return duplicate && record
    ? new DuplicateKeyError(IDEMPOTENCY_KEY_FIELD, record.key, {
        cause: error,
      })
    : null;
}

/**
 * Runs a write that inserts an idempotency record. When the key belongs to a
 * record that has expired, deletes that record and runs the write once more.
 * Keys are kept for their lifetime only, but `Key__c` stays unique in the org, so
 * without this an expired key could never be used again.
 */
export async function reusingExpiredKey<T>(
  api: SalesforceApi,
  record: IdempotencyRecord | undefined,
  now: Date,
  write: () => Promise<T>,
): Promise<T> {
  return retryOnceFreed(api, write, {
    keyField: IDEMPOTENCY_KEY_FIELD,
    free: record ? () => deleteExpired(api, record.key, now) : undefined,
    message: 'deleted an expired idempotency record whose key was used again',
  });
}

/**
 * Runs `write`, and when it fails on a duplicate of `keyField` and `free`
 * releases the key, runs it once more. The failed write was all-or-none, so
 * the second run cannot apply twice.
 */
async function retryOnceFreed<T>(
  api: SalesforceApi,
  write: () => Promise<T>,
  options: {
    keyField: string;
    free: (() => Promise<boolean>) | undefined;
    message: string;
  },
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (
      !options.free ||
      !(error instanceof DuplicateKeyError) ||
      error.keyField !== options.keyField ||
      !(await options.free())
    ) {
      throw error;
    }
    api.logger.info(
      { operation: 'reuse expired idempotency key' },
      options.message,
    );
    return write();
  }
}

/** The `keyField` of a `DuplicateKeyError` on a stage request's key. */
const REQUEST_KEY_FIELD = `Stage_Request__c.${REQUEST_FIELDS.idempotencyKey}`;

/**
 * Runs a request insert. When its `key` is still on an older request although
 * no live idempotency record has that key, clears the key on the older request
 * and runs the insert once more. `Stage_Request__c.Idempotency_Key__c` is
 * unique, so without this a key could never be used again after its window,
 * and the expiry sweep deleting the record would not free it.
 */
export async function reusingStaleRequestKey<T>(
  api: SalesforceApi,
  key: string | null,
  now: Date,
  write: () => Promise<T>,
): Promise<T> {
  return retryOnceFreed(api, write, {
    keyField: REQUEST_KEY_FIELD,
    free:
      key === null ? undefined : () => releaseStaleRequestKey(api, key, now),
    message: 'cleared an expired idempotency key from an older stage request',
  });
}

/**
 * Clears `key` from the request that has it, unless a live idempotency record
 * has the key. Returns whether the key is free now.
 */
async function releaseStaleRequestKey(
  api: SalesforceApi,
  key: string,
  now: Date,
): Promise<boolean> {
  const operation = 'release expired stage request key';
  const f = IDEMPOTENCY_FIELDS;
  try {
    const live = await queryRecords(
      api,
      operation,
      `SELECT Id FROM Idempotency_Record__c WHERE ${f.key} = ${soqlString(key)} AND ${f.expiresAt} > ${soqlDateTime(now)} LIMIT 1`,
    );
    if (live.length > 0) return false;
    const [row] = await queryRecords(
      api,
      operation,
      `SELECT Id FROM Stage_Request__c WHERE ${REQUEST_FIELDS.idempotencyKey} = ${soqlString(key)} LIMIT 1`,
    );
    // A concurrent insert with the same key cleared it first.
    if (!row) return true;
    await api.read<unknown>(operation, {
      method: 'PATCH',
      url: `/sobjects/Stage_Request__c/${String(row.Id)}`,
      body: JSON.stringify({ [REQUEST_FIELDS.idempotencyKey]: null }),
    });
    return true;
  } catch (error) {
    throw toGatewayError(operation, error);
  }
}

/** Deletes the record of `key` if it expired by `now`; returns whether one was deleted. */
async function deleteExpired(
  api: SalesforceApi,
  key: string,
  now: Date,
): Promise<boolean> {
  const operation = 'delete expired idempotency record';
  const f = IDEMPOTENCY_FIELDS;
  try {
    const [row] = await queryRecords(
      api,
      operation,
      `SELECT Id FROM Idempotency_Record__c WHERE ${f.key} = ${soqlString(key)} AND ${f.expiresAt} <= ${soqlDateTime(now)}`,
    );
    if (!row) return false;
    await api.read<unknown>(operation, {
      method: 'DELETE',
      url: `/sobjects/Idempotency_Record__c/${String(row.Id)}`,
    });
    return true;
  } catch (error) {
    // Deleted by a concurrent write with the same key: the record is gone either way.
    if (
      error instanceof SalesforceCallError &&
      (error.has('ENTITY_IS_DELETED') || error.has('NOT_FOUND'))
    ) {
      return true;
    }
    throw toGatewayError(operation, error);
  }
}

/** The most records one sObject Collections delete takes; it returns results in Id order. */
const MAX_COLLECTION_IDS = 200;

interface CollectionResult {
  id: string | null;
  success: boolean;
  errors: Array<{ statusCode?: string; message?: string }>;
}

/**
 * Deletes up to `limit` idempotency records that expired by `now`, oldest first:
 * one query and one sObject Collections delete, which may delete some records and
 * not others. A record that is already deleted is not counted; any other failure
 * is logged with the record Id and left for the next sweep.
 */
export async function purgeExpiredRecords(
  api: SalesforceApi,
  now: string,
  limit: number,
): Promise<number> {
  const operation = 'purge expired idempotency records';
  const fields = IDEMPOTENCY_FIELDS;
  const rows = await queryRecords(
    api,
    operation,
    `SELECT Id FROM Idempotency_Record__c WHERE ${fields.expiresAt} <= ${soqlDateTime(now)} ` +
      `ORDER BY ${fields.expiresAt} LIMIT ${Math.min(limit, MAX_COLLECTION_IDS)}`,
  );
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => String(row.Id));
  const results = checkResponse<CollectionResult[]>(
    operation,
    'the sObject Collections result',
    COLLECTION_RESULTS,
    await api.read<unknown>(operation, {
      method: 'DELETE',
      url: `/composite/sobjects?ids=${ids.join(',')}&allOrNone=false`,
    }),
  );
  let deleted = 0;
  results.forEach((result, index) => {
    if (result.success) {
      deleted += 1;
      return;
    }
    const codes = result.errors.map((error) => error.statusCode);
    if (codes.includes('ENTITY_IS_DELETED')) return;
    api.logger.warn(
      { operation, recordId: result.id ?? ids[index], errorCodes: codes },
      'could not delete an expired idempotency record; the next sweep tries again',
    );
  });
  return deleted;
}

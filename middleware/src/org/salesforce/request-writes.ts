import { REQUEST_FIELDS } from '../../domain/api-names.js';
import type { IdempotencyRecord, StageRequest } from '../../domain/cosell.js';
import type { FieldValue } from '../../domain/records.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  PendingRequestExistsError,
  RecordNotFoundError,
} from '../errors.js';
import type {
  NewStageRequest,
  RequestSnapshotWrite,
  RequestStatusWrite,
} from '../gateway.js';
import {
  queryRecords,
  querySubrequest,
  sendComposite,
  type Subrequest,
} from './composite.js';
import { errorsOf, onlyHalted, toGatewayError } from './gateway-errors.js';
import {
  duplicateIdempotency,
  idempotencySubrequest,
} from './idempotency-records.js';
import type { RecordNormalizer } from './record-normalizer.js';
import type { SalesforceApi } from './salesforce-api.js';
import { recordId, soqlId } from './soql.js';
import {
  REQUEST_SELECT,
  requestInsertBody,
  toStageRequest,
} from './workflow-records.js';
import { writeOnce } from './write-once.js';

const f = REQUEST_FIELDS;

/** Reads one request by Id; `null` when there is none. */
export async function getRequest(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  id: string,
): Promise<StageRequest | null> {
  const [row] = await queryRecords(
    api,
    'get stage request',
    `SELECT ${REQUEST_SELECT.join(', ')} FROM Stage_Request__c WHERE Id = ${soqlId(id)}`,
  );
  return row ? toStageRequest(normalizer.fromJson(row)) : null;
}

/**
 * Inserts a pending request and its idempotency record in one all-or-none
 * composite call, and reads the request back in the same call. The org allows one
 * pending request per deal through the unique `Pending_Deal_Key__c` (the deal Id
 * while pending), and one request per key through the unique `Idempotency_Key__c`,
 * so a repeated insert fails instead of creating a second request.
 */
export async function createRequest(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  request: NewStageRequest,
  idempotency?: IdempotencyRecord,
): Promise<StageRequest> {
  const operation = 'create stage request';
  const base = `${api.dataPath}/sobjects`;
  const subrequests: Subrequest[] = [
    {
      method: 'POST',
      url: `${base}/Stage_Request__c`,
      referenceId: 'request',
      body: requestInsertBody({ ...request, dealId: recordId(request.dealId) }),
    },
  ];
  if (idempotency) subrequests.push(idempotencySubrequest(api, idempotency));
  subrequests.push({
    method: 'GET',
    url: `${base}/Stage_Request__c/@{request.id}?fields=${REQUEST_SELECT.join(',')}`,
    referenceId: 'readBack',
  });
  try {
    return await writeRequest(
      api,
      normalizer,
      operation,
      subrequests,
      async () => {
        const pending = await pendingRequest(api, normalizer, request.dealId);
        return pending &&
          pending.requestedById === request.requestedById &&
          pending.toStage === request.toStage &&
          sameSecond(pending.expiresAt, request.expiresAt)
          ? pending
          : null;
      },
      { dealId: request.dealId },
    );
  } catch (error) {
    throw await mapCreateError(api, normalizer, request, idempotency, error);
  }
}

/**
 * Sets a pending request's final status in one all-or-none composite call. The
 * `guard` query finds the request only while it is Pending and the PATCH takes its
 * Id from the guard's row. So a request closed in the meantime rolls the call
 * back, and a second apply of the same close fails the same way.
 */
export async function closeRequest(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  write: RequestStatusWrite,
): Promise<StageRequest> {
  const operation = 'close stage request';
  const base = `${api.dataPath}/sobjects`;
  const id = recordId(write.id);
  const body: Record<string, FieldValue> = {
    [f.status]: write.status,
    [f.respondedBy]: write.respondedById,
    [f.respondedAt]: write.respondedAt,
    [f.responseReason]: write.responseReason,
    [f.pendingDealKey]: null,
  };
  const subrequests: Subrequest[] = [
    querySubrequest(
      api,
      'guard',
      `SELECT Id FROM Stage_Request__c WHERE Id = '${id}' AND ${f.status} = 'Pending'`,
    ),
    {
      method: 'PATCH',
      url: `${base}/Stage_Request__c/@{guard.records[0].Id}`,
      referenceId: 'request',
      body,
    },
  ];
  if (write.idempotency) {
    subrequests.push(idempotencySubrequest(api, write.idempotency));
  }
  subrequests.push({
    method: 'GET',
    url: `${base}/Stage_Request__c/${id}?fields=${REQUEST_SELECT.join(',')}`,
    referenceId: 'readBack',
  });
  try {
    return await writeRequest(
      api,
      normalizer,
      operation,
      subrequests,
      async () => {
        const current = await getRequest(api, normalizer, id);
        return current &&
          current.status === write.status &&
          current.respondedAt !== null &&
          sameSecond(current.respondedAt, write.respondedAt)
          ? current
          : null;
      },
      { requestId: write.id },
    );
  } catch (error) {
    if (onlyHalted(error)) {
      const current = await getRequest(api, normalizer, id).catch(() => null);
      if (!current) {
        throw new RecordNotFoundError('Stage_Request__c', id, { cause: error });
      }
      throw new ConcurrentChangeError(
        `Stage request ${id} is ${current.status}, no longer Pending`,
        { cause: error },
      );
    }
    throw (
      duplicateIdempotency(error, write.idempotency) ??
      toGatewayError(operation, error, {
        objectName: 'Stage_Request__c',
        recordId: id,
      })
    );
  }
}

/** Stores the latest evaluation on a request; a repeated PATCH changes nothing more. */
export async function updateRequestSnapshot(
  api: SalesforceApi,
  write: RequestSnapshotWrite,
): Promise<void> {
  const operation = 'update stage request snapshot';
  const id = recordId(write.id);
  try {
    await api.read<unknown>(operation, {
      method: 'PATCH',
      url: `/sobjects/Stage_Request__c/${id}`,
      body: JSON.stringify({
        [f.evaluationSnapshot]: write.evaluationSnapshot,
      }),
    });
  } catch (error) {
    throw toGatewayError(operation, error, {
      objectName: 'Stage_Request__c',
      recordId: id,
    });
  }
}

/**
 * Sends an all-or-none request write whose last subrequest, `readBack`, reads the
 * request; returns that request once the write succeeded.
 */
function writeRequest(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  operation: string,
  subrequests: Subrequest[],
  findApplied: () => Promise<StageRequest | null>,
  logIds: Record<string, string>,
): Promise<StageRequest> {
  return writeOnce(
    api,
    operation,
    async () => {
      const result = await sendComposite(api, operation, subrequests, true);
      result.throwIfFailed();
      return toStageRequest(
        normalizer.fromJson(result.record('readBack'), 'Stage_Request__c'),
      );
    },
    findApplied,
    logIds,
  );
}

/** Returns the deal's pending request, found by `Pending_Deal_Key__c`. */
export async function pendingRequest(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  dealId: string,
): Promise<StageRequest | null> {
  const [row] = await queryRecords(
    api,
    'find pending stage request',
    `SELECT ${REQUEST_SELECT.join(', ')} FROM Stage_Request__c WHERE ${f.pendingDealKey} = ${soqlId(dealId)}`,
  );
  return row ? toStageRequest(normalizer.fromJson(row)) : null;
}

/**
 * Maps a failed request insert to the port's errors. A duplicate is either the
 * pending-request key or the idempotency key. Salesforce names the field in its
 * message but translates messages to the user's language, so the pending request
 * is looked up, to name it and to decide when the message names neither field.
 */
async function mapCreateError(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  request: NewStageRequest,
  idempotency: IdempotencyRecord | undefined,
  error: unknown,
): Promise<Error> {
  const duplicates = errorsOf(error, 'request').filter(
    (e) => e.errorCode === 'DUPLICATE_VALUE',
  );
  if (duplicates.length > 0) {
    const text = duplicates.map((e) => e.message).join(' ');
    const namesKey = text.includes(f.idempotencyKey);
    const namesPending = text.includes(f.pendingDealKey);
    if (namesKey && !namesPending && request.idempotencyKey) {
      return new DuplicateKeyError(
        `Stage_Request__c.${f.idempotencyKey}`,
        request.idempotencyKey,
        { cause: error },
      );
    }
    let pending: StageRequest | null = null;
    try {
      pending = await pendingRequest(api, normalizer, request.dealId);
    } catch (lookupError) {
      api.logger.warn(
        { err: lookupError, dealId: request.dealId },
        'could not look up the pending request that blocked a new one',
      );
    }
    if (pending || namesPending || !request.idempotencyKey) {
      return new PendingRequestExistsError(
        recordId(request.dealId),
        pending?.id ?? null,
        { cause: error },
      );
    }
    return new DuplicateKeyError(
      `Stage_Request__c.${f.idempotencyKey}`,
      request.idempotencyKey,
      { cause: error },
    );
  }
  return (
    duplicateIdempotency(error, idempotency) ??
    toGatewayError('create stage request', error, {
      objectName: 'Opportunity',
      recordId: request.dealId,
    })
  );
}

/** Compares two instants to the second, as orgs may drop milliseconds. */
function sameSecond(a: string, b: string): boolean {
  return Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}

import {
  OPPORTUNITY_FIELDS as O,
  REGISTRATION_FIELDS as G,
  REQUEST_FIELDS as R,
  TRANSITION_FIELDS as T,
} from '../../domain/api-names.js';
import type { FieldValue } from '../../domain/records.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  RecordNotFoundError,
} from '../errors.js';
import type {
  ApprovalWrite,
  NewIdempotencyRecord,
  NewRegistration,
  RegistrationCloseWrite,
  RegistrationRecord,
} from '../lifecycle-store.js';
import {
  querySubrequest,
  sendComposite,
  type QueryPage,
  type Subrequest,
} from './composite.js';
import { errorsOf, onlyHalted, toGatewayError } from './gateway-errors.js';
import {
  duplicateIdempotency,
  idempotencySubrequest,
} from './idempotency-records.js';
import { registrationFields } from '../lifecycle-fields.js';
import { REGISTRATION_SELECT, toRegistration } from './lifecycle-records.js';
import type { RecordNormalizer } from './record-normalizer.js';
import type { SalesforceApi } from './salesforce-api.js';
import { soqlId } from './soql.js';
import { transitionInsertBody } from './workflow-records.js';
import { writeOnce } from './write-once.js';

const OPEN = `${G.status} IN ('Submitted', 'Approved')`;

/** Reads a registration back in the same composite call, by Id or `@{...}` reference. */
function readBack(api: SalesforceApi, idLiteral: string): Subrequest {
  return querySubrequest(
    api,
    'readBack',
    `SELECT ${REGISTRATION_SELECT.join(', ')} FROM Deal_Registration__c WHERE Id = ${idLiteral}`,
  );
}

/** Builds the subrequest `guard`, which finds the registration only while it is open. */
function openGuard(api: SalesforceApi, id: string): Subrequest {
  return querySubrequest(
    api,
    'guard',
    `SELECT Id FROM Deal_Registration__c WHERE Id = ${soqlId(id)} AND ${OPEN}`,
  );
}

function readBackRecord(
  normalizer: RecordNormalizer,
  page: QueryPage,
  operation: string,
): RegistrationRecord {
  const [row] = page.records;
  if (!row) {
    throw new RecordNotFoundError('Deal_Registration__c', `(${operation})`);
  }
  return toRegistration(normalizer.fromJson(row));
}

/**
 * Inserts a Submitted registration and, when given, its idempotency record,
 * whose body is the new registration's Id, in one all-or-none composite call.
 * Without an idempotency key the insert is sent once and never retried, because
 * nothing would stop a retry from making a second registration.
 */
export async function createRegistration(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  registration: NewRegistration,
  idempotency: NewIdempotencyRecord | undefined,
  findByKey: (key: string) => Promise<RegistrationRecord | null>,
): Promise<RegistrationRecord> {
  const operation = 'create deal registration';
  const subrequests: Subrequest[] = [
    {
      method: 'POST',
      url: `${api.dataPath}/sobjects/Deal_Registration__c`,
      referenceId: 'registration',
      body: registrationFields(registration),
    },
  ];
  const record = idempotency && {
    ...idempotency,
    responseBody: '@{registration.id}',
  };
  if (record) subrequests.push(idempotencySubrequest(api, record));
  subrequests.push(readBack(api, "'@{registration.id}'"));
  const send = async () => {
    const result = await sendComposite(api, operation, subrequests, true);
    result.throwIfFailed();
    return readBackRecord(normalizer, result.queryPage('readBack'), operation);
  };
  try {
    if (!record) return await send();
    return await writeOnce(api, operation, send, () => findByKey(record.key));
  } catch (error) {
    throw (
      duplicateIdempotency(error, record) ??
      toGatewayError(operation, error, {
        objectName: 'Account',
        recordId: registration.partnerAccountId,
      })
    );
  }
}

/**
 * Rejects or expires a registration in one all-or-none composite call. The
 * PATCH takes the Id from the `guard` query, which finds the registration only
 * while it is open, so a registration decided in the meantime rolls it back.
 */
export async function closeRegistration(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  write: RegistrationCloseWrite,
  read: (id: string) => Promise<RegistrationRecord | null>,
): Promise<RegistrationRecord> {
  const operation = 'close deal registration';
  const subrequests: Subrequest[] = [
    openGuard(api, write.id),
    {
      method: 'PATCH',
      url: `${api.dataPath}/sobjects/Deal_Registration__c/@{guard.records[0].Id}`,
      referenceId: 'registration',
      body: {
        [G.status]: write.status,
        [G.decidedBy]: write.decidedById,
        [G.decidedAt]: write.decidedAt,
        [G.decisionReason]: write.reason,
      },
    },
  ];
  if (write.idempotency) {
    subrequests.push(idempotencySubrequest(api, write.idempotency));
  }
  subrequests.push(readBack(api, soqlId(write.id)));
  try {
    return await writeOnce(
      api,
      operation,
      async () => {
        const result = await sendComposite(api, operation, subrequests, true);
        result.throwIfFailed();
        return readBackRecord(
          normalizer,
          result.queryPage('readBack'),
          operation,
        );
      },
      async () => {
        const current = await read(write.id);
        return current?.status === write.status &&
          current.decidedAt !== null &&
          sameSecond(current.decidedAt, write.decidedAt)
          ? current
          : null;
      },
      { registrationId: write.id },
    );
  } catch (error) {
    if (onlyHalted(error)) throw await decidedError(write.id, read, error);
    throw (
      duplicateIdempotency(error, write.idempotency) ??
      toGatewayError(operation, error, {
        objectName: 'Deal_Registration__c',
        recordId: write.id,
      })
    );
  }
}

/**
 * Approves a registration and creates or links its deal in one all-or-none
 * composite call. `guard` finds the registration only while it is open, and
 * `dealGuard` finds a linked deal only while it is open at the version read
 * and, when the approval gives it its first stage, has no pending request.
 * `deal` inserts or PATCHes the deal, `transition` records the move that gave
 * it its first stage, `registration` marks it Converted and `readBack` reads it.
 * The org's stage guard accepts the new stage only at the prior version plus
 * one, and the transition's `Key__c` is unique, so the approval applies once.
 */
export async function approveRegistration(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  write: ApprovalWrite,
  read: (id: string) => Promise<RegistrationRecord | null>,
): Promise<{ registration: RegistrationRecord; dealId: string }> {
  const operation = 'approve deal registration';
  const subrequests = approvalSubrequests(api, write);
  try {
    const registration = await writeOnce(
      api,
      operation,
      async () => {
        const result = await sendComposite(api, operation, subrequests, true);
        result.throwIfFailed();
        return readBackRecord(
          normalizer,
          result.queryPage('readBack'),
          operation,
        );
      },
      async () => {
        const current = await read(write.registrationId);
        return current?.status === 'Converted' &&
          current.decidedById === write.decidedById &&
          current.decidedAt !== null &&
          sameSecond(current.decidedAt, write.decidedAt)
          ? current
          : null;
      },
      { registrationId: write.registrationId },
    );
    return { registration, dealId: String(registration.opportunityId) };
  } catch (error) {
    throw await approvalError(write, read, error);
  }
}

function approvalSubrequests(
  api: SalesforceApi,
  write: ApprovalWrite,
): Subrequest[] {
  const base = `${api.dataPath}/sobjects`;
  const deal = write.deal;
  const subrequests: Subrequest[] = [openGuard(api, write.registrationId)];
  let dealId: string;
  if (deal.kind === 'create') {
    subrequests.push({
      method: 'POST',
      url: `${base}/Opportunity`,
      referenceId: 'deal',
      body: {
        Name: deal.name,
        OwnerId: deal.ownerId,
        StageName: deal.stageName,
        Amount: deal.amount,
        CurrencyIsoCode: deal.currencyIsoCode,
        CloseDate: deal.closeDate,
        [O.stage]: deal.stage,
        [O.model]: deal.model,
        [O.stageEnteredAt]: deal.enteredAt,
        [O.stageVersion]: 1,
        [O.partnerAccount]: deal.partnerAccountId,
        [O.vendorOwner]: deal.vendorOwnerId,
        [O.partnerOwner]: deal.partnerOwnerId,
      },
    });
    dealId = '@{deal.id}';
  } else {
    const version =
      deal.expectedVersion === 0
        ? `(${O.stageVersion} = 0 OR ${O.stageVersion} = null)`
        : `${O.stageVersion} = ${deal.expectedVersion}`;
    // A request made at no stage could no longer be confirmed once the deal has one.
    const noPending = deal.firstStage
      ? ` AND Id NOT IN (SELECT ${R.opportunity} FROM Stage_Request__c WHERE ${R.status} = 'Pending')`
      : '';
    subrequests.push(
      querySubrequest(
        api,
        'dealGuard',
        `SELECT Id FROM Opportunity WHERE Id = ${soqlId(deal.dealId)} AND IsClosed = false AND ${version}${noPending}`,
      ),
    );
    const body: Record<string, FieldValue> = {
      [O.partnerAccount]: deal.partnerAccountId,
      [O.vendorOwner]: deal.vendorOwnerId,
      [O.partnerOwner]: deal.partnerOwnerId,
    };
    if (deal.firstStage) {
      body[O.stage] = deal.firstStage.stage;
      body[O.model] = deal.firstStage.model;
      body[O.stageEnteredAt] = deal.firstStage.enteredAt;
      body[O.stageVersion] = deal.expectedVersion + 1;
    }
    subrequests.push({
      method: 'PATCH',
      url: `${base}/Opportunity/@{dealGuard.records[0].Id}`,
      referenceId: 'deal',
      body,
    });
    dealId = '@{dealGuard.records[0].Id}';
  }
  if (write.transition) {
    subrequests.push({
      method: 'POST',
      url: `${base}/Stage_Transition__c`,
      referenceId: 'transition',
      body: transitionInsertBody({ ...write.transition, dealId }),
    });
  }
  subrequests.push({
    method: 'PATCH',
    url: `${base}/Deal_Registration__c/@{guard.records[0].Id}`,
    referenceId: 'registration',
    body: {
      [G.status]: 'Converted',
      [G.opportunity]: dealId,
      [G.decidedBy]: write.decidedById,
      [G.decidedAt]: write.decidedAt,
      [G.conflictStatus]: write.conflictStatus,
      [G.conflictMatches]: write.conflictMatches,
    },
  });
  if (write.idempotency) {
    subrequests.push(idempotencySubrequest(api, write.idempotency));
  }
  subrequests.push(readBack(api, soqlId(write.registrationId)));
  return subrequests;
}

async function approvalError(
  write: ApprovalWrite,
  read: (id: string) => Promise<RegistrationRecord | null>,
  error: unknown,
): Promise<Error> {
  if (onlyHalted(error)) {
    const current = await read(write.registrationId).catch(() => null);
    if (
      current &&
      current.status !== 'Submitted' &&
      current.status !== 'Approved'
    ) {
      return decidedError(write.registrationId, read, error);
    }
    const dealId = write.deal.kind === 'link' ? write.deal.dealId : null;
    return new ConcurrentChangeError(
      `Deal ${dealId ?? ''} changed since it was read (closed, moved past version ${write.deal.kind === 'link' ? write.deal.expectedVersion : 0}${write.deal.kind === 'link' && write.deal.firstStage ? ', or given a pending stage request' : ''})`,
      { cause: error },
    );
  }
  if (
    write.transition &&
    errorsOf(error, 'transition').some((e) => e.errorCode === 'DUPLICATE_VALUE')
  ) {
    return new DuplicateKeyError(
      `Stage_Transition__c.${T.key}`,
      write.transition.key,
      { cause: error },
    );
  }
  return (
    duplicateIdempotency(error, write.idempotency) ??
    toGatewayError('approve deal registration', error, {
      objectName: 'Deal_Registration__c',
      recordId: write.registrationId,
    })
  );
}

/** Builds the error for a registration that is no longer open, or not there at all. */
async function decidedError(
  id: string,
  read: (id: string) => Promise<RegistrationRecord | null>,
  cause: unknown,
): Promise<Error> {
  const current = await read(id).catch(() => null);
  if (!current)
    return new RecordNotFoundError('Deal_Registration__c', id, { cause });
  return new ConcurrentChangeError(
    `Deal registration ${id} is ${current.status}; it was decided by another call`,
    { cause },
  );
}

/** Compares two instants to the second, as orgs may drop milliseconds. */
function sameSecond(a: string, b: string): boolean {
  return Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}

import {
  OPPORTUNITY_FIELDS,
  REQUEST_FIELDS,
  TRANSITION_FIELDS,
} from '../../domain/api-names.js';
import { PERMISSION_SETS, type StageTransition } from '../../domain/cosell.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  OrgRejectedError,
} from '../errors.js';
import type { MoveWrite } from '../gateway.js';
import {
  queryRecords,
  querySubrequest,
  sendComposite,
  type Subrequest,
} from './composite.js';
import { describeErrors, type ApiErrorEntry } from './api-error.js';
import {
  errorsOf,
  onlyHalted,
  toGatewayError,
  toOrgErrors,
} from './gateway-errors.js';
import type { RecordNormalizer } from './record-normalizer.js';
import type { SalesforceApi } from './salesforce-api.js';
import { recordId, soqlId, soqlString } from './soql.js';
import {
  duplicateIdempotency,
  idempotencySubrequest,
} from './idempotency-records.js';
import {
  toStageTransition,
  transitionInsertBody,
  TRANSITION_SELECT,
} from './workflow-records.js';
import { writeOnce } from './write-once.js';

const OPERATION = 'apply stage move';

/**
 * Applies a confirmed move in one all-or-none `POST /composite` call:
 *
 * 1. `guard` queries the request on this deal, only while it is Pending, or for
 *    an override only while it is Expired (skipped for a move with no request);
 * 2. `deal` PATCHes the stage, the time it was entered and the version
 *    `expectedVersion + 1`; with a guard its URL takes the deal Id from the guard's
 *    row, so a request in another status leaves the reference without a value and
 *    the whole call rolls back;
 * 3. `request` PATCHes the request to Applied and clears `Pending_Deal_Key__c`,
 *    or for an override records the channel manager in `Responded_By__c` and
 *    adds the override's reason to the expiry text in `Response_Reason__c`;
 * 4. `transition` inserts the transition with its unique `Key__c`;
 * 5. `idempotency` inserts the idempotency record (unique `Key__c`);
 * 6. `readBack` reads the new transition.
 *
 * Exactly once: the org's `Cosell_Stage_Change_Guard` rule accepts a stage change
 * only at the prior version plus 1, so of two moves computed from the same read
 * one fails, and `Key__c` (`request:<id>`) is unique, so one request yields at most
 * one transition. The guard closes the window that REST cannot close with a
 * conditional update: two confirms of one request are serialised by the version
 * rule, while a confirm racing a reject or withdraw is caught by the guard when the
 * other write committed first. NOTE: in a real org the guard's read and the PATCH are
 * not one atomic step, so a reject that commits between them can be overwritten by
 * the confirm; the move itself still happens once.
 */
export async function applyMove(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  move: MoveWrite,
): Promise<StageTransition> {
  const subrequests = moveSubrequests(api, move);
  try {
    return await writeOnce(
      api,
      OPERATION,
      async () => {
        const result = await sendComposite(api, OPERATION, subrequests, true);
        result.throwIfFailed();
        return toStageTransition(
          normalizer.fromJson(result.record('readBack'), 'Stage_Transition__c'),
        );
      },
      () => findTransition(api, normalizer, move),
      {
        dealId: move.dealId,
        requestId: move.request?.id ?? move.overriddenRequest?.id,
        transitionKey: move.transition.key,
      },
    );
  } catch (error) {
    throw await mapMoveError(api, move, error);
  }
}

function moveSubrequests(api: SalesforceApi, move: MoveWrite): Subrequest[] {
  const base = `${api.dataPath}/sobjects`;
  const subrequests: Subrequest[] = [];
  let dealUrl = `${base}/Opportunity/${recordId(move.dealId)}`;
  const guarded = guardedRequest(move);
  if (guarded) {
    subrequests.push(
      querySubrequest(
        api,
        'guard',
        `SELECT Id, ${REQUEST_FIELDS.opportunity} FROM Stage_Request__c ` +
          `WHERE Id = ${soqlId(guarded.id)} AND ${REQUEST_FIELDS.status} = '${guarded.status}' ` +
          `AND ${REQUEST_FIELDS.opportunity} = ${soqlId(move.dealId)}`,
      ),
    );
    dealUrl = `${base}/Opportunity/@{guard.records[0].${REQUEST_FIELDS.opportunity}}`;
  }
  subrequests.push({
    method: 'PATCH',
    url: dealUrl,
    referenceId: 'deal',
    body: {
      [OPPORTUNITY_FIELDS.stage]: move.toStage,
      [OPPORTUNITY_FIELDS.stageEnteredAt]: move.enteredAt,
      [OPPORTUNITY_FIELDS.stageVersion]: move.expectedVersion + 1,
    },
  });
  if (move.request) {
    subrequests.push({
      method: 'PATCH',
      url: `${base}/Stage_Request__c/${recordId(move.request.id)}`,
      referenceId: 'request',
      body: {
        [REQUEST_FIELDS.status]: move.request.status,
        [REQUEST_FIELDS.respondedBy]: move.request.respondedById,
        [REQUEST_FIELDS.respondedAt]: move.request.respondedAt,
        [REQUEST_FIELDS.evaluationSnapshot]: move.request.evaluationSnapshot,
        [REQUEST_FIELDS.pendingDealKey]: null,
      },
    });
  }
  if (move.overriddenRequest) {
    subrequests.push({
      method: 'PATCH',
      url: `${base}/Stage_Request__c/${recordId(move.overriddenRequest.id)}`,
      referenceId: 'request',
      body: {
        [REQUEST_FIELDS.respondedBy]: move.overriddenRequest.respondedById,
        [REQUEST_FIELDS.respondedAt]: move.overriddenRequest.respondedAt,
        [REQUEST_FIELDS.responseReason]: move.overriddenRequest.responseReason,
      },
    });
  }
  subrequests.push({
    method: 'POST',
    url: `${base}/Stage_Transition__c`,
    referenceId: 'transition',
    body: transitionInsertBody(move.transition),
  });
  if (move.idempotency) {
    subrequests.push(idempotencySubrequest(api, move.idempotency));
  }
  subrequests.push({
    method: 'GET',
    url: `${base}/Stage_Transition__c/@{transition.id}?fields=${TRANSITION_SELECT.join(',')}`,
    referenceId: 'readBack',
  });
  return subrequests;
}

/** Returns the request whose status the move's guard checks, or null for none. */
function guardedRequest(
  move: MoveWrite,
): { id: string; status: 'Pending' | 'Expired' } | null {
  if (move.request) return { id: move.request.id, status: 'Pending' };
  if (move.overriddenRequest) {
    return { id: move.overriddenRequest.id, status: 'Expired' };
  }
  return null;
}

/** Finds the transition this move writes, in case an earlier attempt wrote it. */
async function findTransition(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  move: MoveWrite,
): Promise<StageTransition | null> {
  const [row] = await queryRecords(
    api,
    `${OPERATION} (check)`,
    `SELECT ${TRANSITION_SELECT.join(', ')} FROM Stage_Transition__c WHERE ${TRANSITION_FIELDS.key} = ${soqlString(move.transition.key)}`,
  );
  if (!row) return null;
  const found = toStageTransition(normalizer.fromJson(row));
  return found.dealId === move.transition.dealId &&
    found.version === move.transition.version &&
    found.confirmedById === move.transition.confirmedById
    ? found
    : null;
}

async function mapMoveError(
  api: SalesforceApi,
  move: MoveWrite,
  error: unknown,
): Promise<Error> {
  if (move.request && onlyHalted(error)) {
    return new ConcurrentChangeError(
      `Stage request ${move.request.id} is no longer pending on deal ${move.dealId}: it was confirmed, rejected, withdrawn or expired after it was read`,
      { cause: error },
    );
  }
  if (move.overriddenRequest && onlyHalted(error)) {
    return new ConcurrentChangeError(
      `Stage request ${move.overriddenRequest.id} is not an expired request of deal ${move.dealId}, so it cannot be overridden`,
      { cause: error },
    );
  }
  const transitionErrors = errorsOf(error, 'transition');
  if (transitionErrors.some((e) => e.errorCode === 'DUPLICATE_VALUE')) {
    return new DuplicateKeyError(
      `Stage_Transition__c.${TRANSITION_FIELDS.key}`,
      move.transition.key,
      { cause: error },
    );
  }
  const duplicateKey = duplicateIdempotency(error, move.idempotency);
  if (duplicateKey) return duplicateKey;
  const dealErrors = errorsOf(error, 'deal');
  if (
    dealErrors.some((e) => e.errorCode === 'FIELD_CUSTOM_VALIDATION_EXCEPTION')
  ) {
    return versionConflict(api, move, error);
  }
  return toGatewayError(OPERATION, error, {
    objectName: 'Opportunity',
    recordId: move.dealId,
  });
}

/**
 * Tells a stale version from another rejection of the deal's PATCH. The stage
 * guard rejects a stale version and a user without the `Cosell_Integration`
 * permission with the same message, so the deal's version is read.
 */
async function versionConflict(
  api: SalesforceApi,
  move: MoveWrite,
  error: unknown,
): Promise<Error> {
  const field = OPPORTUNITY_FIELDS.stageVersion;
  let current: unknown;
  try {
    const [row] = await queryRecords(
      api,
      `${OPERATION} (version check)`,
      `SELECT ${field} FROM Opportunity WHERE Id = ${soqlId(move.dealId)}`,
    );
    current = row?.[field] ?? null;
  } catch (readError) {
    return toGatewayError(OPERATION, readError);
  }
  const version = typeof current === 'number' ? current : 0;
  if (version !== move.expectedVersion) {
    return new ConcurrentChangeError(
      `Deal ${move.dealId} is at version ${version}, not ${move.expectedVersion} as read: another move was applied first`,
      { cause: error },
    );
  }
  const dealErrors = errorsOf(error, 'deal');
  return new OrgRejectedError(
    `${OPERATION}: the org's validation rules rejected the stage change of deal ${move.dealId} at its current version ${version}: ${describeErrors(dealErrors)}`,
    toOrgErrors(dealErrors),
    stageGuardRejected(dealErrors)
      ? `Assign the ${PERMISSION_SETS.integration} permission set to the middleware's integration user: the org's stage guard rules accept a stage change only from a user with that custom permission.`
      : "An Opportunity validation rule of the org, whose message is in detail, blocks the update of the deal. Change the deal so that it meets the rule, or have the org's admin change the rule, then confirm again.",
    { cause: error },
  );
}

/**
 * Tells whether the package's stage guard rules raised the errors: they show
 * their message on `Cosell_Stage__c` or `Cosell_Stage_Version__c`, and at a
 * current version they fail only for a user without `Cosell_Integration`.
 * NOTE: an org's own rule that shows its message on one of these fields is
 * taken for the stage guard too.
 */
function stageGuardRejected(errors: readonly ApiErrorEntry[]): boolean {
  const guarded = new Set<string>([
    OPPORTUNITY_FIELDS.stage,
    OPPORTUNITY_FIELDS.stageVersion,
  ]);
  return errors.some((entry) =>
    (entry.fields ?? []).some((field) => guarded.has(field)),
  );
}

import type { OrgUser, RequestKind, Side, StageRequest } from './cosell.js';
import { DomainError } from './domain-error.js';
import { nextStage } from './evaluation.js';
import type { CriterionResult } from './evaluation.js';
import type { DealRole } from './sides.js';
import type { LoadedModel, LoadedStage } from './stage-model.js';

/**
 * Works out the target stage of a requested move and checks that the move is one the
 * model allows: advances go forward to an open or won stage, back moves to an earlier
 * open stage, Close Lost to the lost stage, and nothing leaves a closed stage.
 */
export function planMove(
  model: LoadedModel,
  from: LoadedStage | null,
  kind: RequestKind,
  toStage: string | undefined,
): LoadedStage {
  if (from?.closed) {
    throw new DomainError(
      'invalid_transition',
      `The deal is closed (${from.value}) and a closed deal is never moved.`,
      'Open a new deal for new business with this customer.',
      { value: from.value },
    );
  }
  const named = toStage === undefined ? undefined : findStage(model, toStage);
  switch (kind) {
    case 'Advance': {
      const to = named ?? nextStage(model, from);
      if (!to || to === model.lostStage || to.order <= (from?.order ?? 0)) {
        throw new DomainError(
          'invalid_transition',
          `An Advance must go to a later stage than ${from?.value ?? 'no stage'}, not ${toStage}.`,
          'Name a later stage in toStage, or use kind "Back" or "Close Lost".',
          { value: toStage },
        );
      }
      return to;
    }
    case 'Back': {
      if (!named || !from || named.closed || named.order >= from.order) {
        throw new DomainError(
          'invalid_transition',
          `A Back move must name an earlier open stage than ${from?.value ?? 'no stage'}; got ${toStage ?? 'none'}.`,
          `Set toStage to one of: ${
            model.openStages
              .filter((s) => from && s.order < from.order)
              .map((s) => s.value)
              .join(', ') || '(none: the deal is at its first stage)'
          }.`,
          { value: toStage ?? null },
        );
      }
      return named;
    }
    case 'Close Lost': {
      if (named && named !== model.lostStage) {
        throw new DomainError(
          'invalid_transition',
          `A Close Lost request goes to ${model.lostStage.value}, not ${toStage}.`,
          'Leave toStage out, or use kind "Advance" or "Back".',
          { value: toStage },
        );
      }
      return model.lostStage;
    }
  }
}

function findStage(model: LoadedModel, value: string): LoadedStage {
  const stage = model.stageByValue.get(value);
  if (!stage) {
    throw new DomainError(
      'unknown_stage',
      `Stage "${value}" is not a stage of model ${model.developerName}.`,
      `Use one of: ${model.stages.map((s) => s.value).join(', ')}.`,
      { value },
    );
  }
  return stage;
}

/**
 * Returns the side the acting user is on, or raises `not_on_deal`. The error names
 * only the user and the deal, never a stage request, so a user off the deal learns
 * nothing from it about the deal's requests, such as which side made one.
 */
export function assertOnDeal(
  role: DealRole,
  userId: string,
  dealId: string,
): Side {
  if (role.side) return role.side;
  throw new DomainError(
    'not_on_deal',
    role.isInfluencingPartner
      ? `User ${userId} belongs to an influencing partner of deal ${dealId}; influencing partners see their attribution but do not request or confirm stages.`
      : `User ${userId} is on neither side of deal ${dealId}.`,
    'Act as a user of the deal: its owner, vendor owner, team, a channel manager, or a partner seller of its partner account.',
    { value: userId },
  );
}

/**
 * Fails with 409 `request_pending` when the deal has a pending request, naming
 * its stages by the labels of `model`.
 */
export function assertNoPendingRequest(
  pending: StageRequest | null,
  dealId: string,
  model: LoadedModel,
): void {
  if (!pending) return;
  const label = (value: string) =>
    `"${model.stageByValue.get(value)?.label ?? value}"`;
  const from =
    pending.fromStage === null ? 'no stage' : label(pending.fromStage);
  throw new DomainError(
    'request_pending',
    `Deal ${dealId} already has a pending request ${pending.id} (${from} to ${label(pending.toStage)}).`,
    `Confirm, reject or withdraw request ${pending.id} first.`,
    { value: pending.id, pendingRequestId: pending.id },
  );
}

export function assertCriteriaMet(
  results: CriterionResult[],
  what: string,
): void {
  const unmet = results.filter((r) => !r.met);
  if (unmet.length === 0) return;
  throw new DomainError(
    'criteria_unmet',
    `${what} is blocked by ${unmet.length} unmet ${unmet.length === 1 ? 'criterion' : 'criteria'}: ${unmet.map((r) => r.label).join('; ')}.`,
    'Record the missing evidence on the deal, then try again.',
    { unmet },
  );
}

export function isExpired(request: StageRequest, now: Date): boolean {
  return (
    request.status === 'Pending' &&
    Date.parse(request.expiresAt) <= now.getTime()
  );
}

/**
 * Raises 409 `request_not_pending` unless the request is Pending. The error names
 * the status and the user who responded and when, for a request closed before
 * this call as for one closed while it ran. Pass `requesterOnSide` false when the
 * requester has left the requesting side, so the fix does not offer a Close Lost
 * override, which would get `requester_left_side`.
 */
export function assertPending(
  request: StageRequest,
  requesterOnSide: boolean,
): void {
  if (request.status === 'Pending') return;
  throw requestNotPendingError(request, requesterOnSide);
}

/** Builds 409 `request_not_pending` for a request that is no longer Pending. */
export function requestNotPendingError(
  request: StageRequest,
  requesterOnSide: boolean,
): DomainError {
  const answeredBy = request.respondedById
    ? `user ${request.respondedById} made it ${request.status}`
    : `it became ${request.status}`;
  const answeredAt = request.respondedAt ? ` at ${request.respondedAt}` : '';
  return new DomainError(
    'request_not_pending',
    `Request ${request.id} is ${request.status}, not Pending: ${answeredBy}${answeredAt}.`,
    notPendingFix(request, requesterOnSide),
    { value: request.status },
  );
}

function notPendingFix(
  request: StageRequest,
  requesterOnSide: boolean,
): string {
  if (request.status === 'Applied') {
    return 'Read the deal to see the applied move; nothing is left to do for this request.';
  }
  if (
    request.status === 'Expired' &&
    request.kind === 'Close Lost' &&
    requesterOnSide
  ) {
    return 'Make a new request. A channel manager may instead apply this expired Close Lost request with /override, while the deal has not moved and no later request was made on it.';
  }
  if (request.status === 'Expired') {
    return 'Make a new request if the move is still wanted.';
  }
  return 'Read the request to see its outcome, and make a new request if the move is still wanted.';
}

/**
 * Checks that a user on `side` of the deal may confirm or reject the request,
 * which needs the other side and another user than the requester. Call
 * `assertOnDeal` first, so that a user off the deal never reaches these checks.
 */
export function assertCanConfirm(
  request: StageRequest,
  side: Side,
  userId: string,
  action: 'confirm' | 'reject',
): void {
  if (request.requestedById === userId) {
    throw new DomainError(
      'requester_cannot_confirm',
      `User ${userId} made request ${request.id} and cannot ${action} it.`,
      action === 'confirm'
        ? 'Ask a user of the other side to confirm it.'
        : 'Withdraw the request instead.',
      { value: userId },
    );
  }
  if (side === request.requestingSide) {
    throw new DomainError(
      'wrong_side',
      `User ${userId} is on the ${side.toLowerCase()} side, which made request ${request.id}; only the other side can ${action} it.`,
      `Ask a user of the ${side === 'Vendor' ? 'partner' : 'vendor'} side to ${action} it.`,
      { value: side },
    );
  }
}

/**
 * Returns whether the requester of `request` is still on the side that made it.
 * `requesterRole` is their role on the deal as it is now, or null when the
 * requester is not a user of the org.
 */
export function isRequesterOnSide(
  request: StageRequest,
  requesterRole: DealRole | null,
): boolean {
  return requesterRole?.side === request.requestingSide;
}

/**
 * Raises 409 `requester_left_side` when the requester is no longer on the side
 * that made the request, for example a partner user after the deal's
 * `Partner_Account__c` changed. Such a request no longer has the requesting
 * side behind it, so confirming it, or applying it as a Close Lost override,
 * would move the deal with one side only. Rejecting it raises this error too,
 * because a rejection responds to the requesting side and there is none. Either side may
 * withdraw it instead (see `assertCanWithdraw`), which records what happened.
 */
export function assertRequesterOnSide(
  request: StageRequest,
  requester: OrgUser | null,
  requesterRole: DealRole | null,
  dealId: string,
  action: 'confirm' | 'reject' | 'override',
): void {
  if (isRequesterOnSide(request, requesterRole)) return;
  const side = request.requestingSide.toLowerCase();
  const who = requester
    ? `${requester.name} (${request.requestedById})`
    : `user ${request.requestedById}`;
  const verb = { confirm: 'confirm', reject: 'reject', override: 'apply' }[
    action
  ];
  throw new DomainError(
    'requester_left_side',
    `Request ${request.id} was made by ${who}, who is no longer on the ${side} side of deal ${dealId}, so the ${side} side no longer stands behind it and no one can ${verb} it.`,
    action === 'override'
      ? `Make a new Close Lost request from the current stage.`
      : `Withdraw request ${request.id} (a user of either side may, because its requester left the ${side} side), then make a new request if the move is still wanted.`,
    { value: request.requestedById },
  );
}

/**
 * Checks that a user on `side` of the deal may withdraw the request, which any
 * user of the requesting side may do, and any user of the other side once the
 * requester has left the requesting side, because no one else can then close
 * it before it expires. Call `assertOnDeal` first.
 */
export function assertCanWithdraw(
  request: StageRequest,
  side: Side,
  userId: string,
  requesterOnSide: boolean,
): void {
  if (side === request.requestingSide || !requesterOnSide) return;
  throw new DomainError(
    'wrong_side',
    `User ${userId} is on the ${side.toLowerCase()} side and cannot withdraw request ${request.id}; only the ${request.requestingSide.toLowerCase()} side that made it can.`,
    'Reject it instead.',
    { value: side },
  );
}

/**
 * Checks that the user is a channel manager and the request an expired Close
 * Lost request, which a one-sided move may apply. Call `assertOnDeal` first.
 */
export function assertCanOverride(
  request: StageRequest,
  role: DealRole,
  userId: string,
): void {
  if (!role.isChannelManager) {
    throw new DomainError(
      'not_channel_manager',
      `User ${userId} is not a channel manager; only a channel manager may apply an expired Close Lost request.`,
      'Ask a user with the Cosell_Channel_Manager permission set.',
      { value: userId },
    );
  }
  if (request.kind === 'Close Lost' && request.status === 'Pending') {
    throw notYetExpiredError(request);
  }
  if (request.kind !== 'Close Lost' || request.status !== 'Expired') {
    throw new DomainError(
      'invalid_transition',
      `Request ${request.id} has kind ${request.kind} and status ${request.status}. Only an expired Close Lost request can be applied one-sidedly.`,
      'Ask the other side to confirm the request instead.',
      { value: `${request.status} ${request.kind}` },
    );
  }
}

/**
 * Builds 409 `invalid_transition` for an override of a Close Lost request that
 * is still Pending, naming its `Expires_At__c` as an ISO 8601 instant in UTC.
 * The first read of the deal from that instant on expires the request, so an
 * override sent then can apply it.
 */
function notYetExpiredError(request: StageRequest): DomainError {
  const expiresAt = Date.parse(request.expiresAt);
  // NOTE: a request with a malformed stored Expires_At__c never expires, so
  // this echoes the stored text in place of an instant.
  const instant = Number.isNaN(expiresAt)
    ? request.expiresAt
    : new Date(expiresAt).toISOString();
  return new DomainError(
    'invalid_transition',
    `Request ${request.id} is a Close Lost request that stays Pending until its Expires_At__c, ${instant}. Only an expired Close Lost request can be applied one-sidedly, so an override is possible from ${instant}.`,
    `Ask the other side to confirm the request before ${instant}, or override it from ${instant} if it is still unanswered.`,
    { value: `${request.status} ${request.kind}` },
  );
}

/**
 * Returns the side that must confirm or reject a request, or null once it is
 * closed. It is null too while the requester is off the requesting side
 * (`requesterOnSide` false), because then no side can confirm or reject it and
 * only a withdrawal or the expiry closes it.
 */
export function waitingFor(
  request: StageRequest,
  requesterOnSide: boolean,
): Side | null {
  if (request.status !== 'Pending' || !requesterOnSide) return null;
  return request.requestingSide === 'Vendor' ? 'Partner' : 'Vendor';
}

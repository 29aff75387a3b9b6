import type { StageRequest, StageTransition } from '../domain/cosell.js';
import { DomainError } from '../domain/domain-error.js';
import { currentStage, evaluateMove } from '../domain/evaluation.js';
import type { CriterionResult } from '../domain/evaluation.js';
import {
  assertCanConfirm,
  assertCanOverride,
  assertCanWithdraw,
  assertOnDeal,
  assertPending,
  assertRequesterOnSide,
  requestNotPendingError,
} from '../domain/stage-requests.js';
import { resolveDealRole } from '../domain/sides.js';
import type { DealRole } from '../domain/sides.js';
import type {
  Actor,
  CosellContext,
  IdempotencyInput,
} from './cosell-context.js';
import { idempotencyRecord } from './idempotency.js';
import {
  assertIdempotencyMatches,
  assertKnownStage,
  loadDeal,
  requesterIsOnSide,
} from './load-deal.js';
import type { LoadedDeal } from './load-deal.js';
import { redactAttribution, redactResults } from './redaction.js';
import type { UseCaseResult } from './request-stage.js';
import { transitionView, viewerRequestView } from './views.js';
import type { StageRequestView, TransitionView } from './views.js';
import {
  isIdempotencyKeyClash,
  isWriteConflict,
  throwWriteConflict,
} from './write-conflict.js';
import { attributionSnapshot } from './attribution-snapshot.js';
import {
  assertAttributionValid,
  attributionProblems,
} from './lifecycle/attribution-check.js';

export interface MoveResult {
  request: StageRequestView;
  transition: TransitionView;
}

/**
 * Confirms a request as the other side. The criteria are evaluated again; when one is
 * unmet the request stays pending with the new evaluation, so the evidence can be
 * fixed and the confirmation retried.
 */
export async function confirmRequest(
  ctx: CosellContext,
  actor: Actor,
  requestId: string,
  idempotency?: IdempotencyInput,
): Promise<UseCaseResult<MoveResult>> {
  const loaded = await loadDeal(ctx, actor, { requestId, idempotency });
  const request = requireRequest(loaded);
  const side = assertOnDeal(loaded.role, loaded.user.id, loaded.dealId);
  if (assertIdempotencyMatches(loaded, idempotency)) {
    return replayMove(ctx, loaded, request);
  }
  assertPending(request, requesterIsOnSide(loaded, request));
  assertCanConfirm(request, side, loaded.user.id, 'confirm');
  assertRequesterStillOnSide(loaded, request, 'confirm');
  assertKnownStage(loaded);
  const { model, deal, dealId, env } = loaded;
  const from = currentStage(model, deal);
  if ((from?.value ?? null) !== request.fromStage) {
    throw new DomainError(
      'concurrent_change',
      `Deal ${dealId} is at ${from?.value ?? 'no stage'}, but request ${request.id} was made at ${request.fromStage ?? 'no stage'}.`,
      'Withdraw this request and make a new one from the current stage.',
      { value: from?.value ?? null },
    );
  }
  const to = model.stageByValue.get(request.toStage);
  if (!to) {
    throw new DomainError(
      'unknown_stage',
      `Request ${request.id} targets stage ${request.toStage}, which model ${model.developerName} no longer has.`,
      'The requesting side can withdraw the request and the other side can reject it; then request the move to a stage the model has.',
      { value: request.toStage },
    );
  }
  const results = evaluateMove(model, from, to, deal, env);
  const snapshot = JSON.stringify(results);
  const attribution = to.won ? attributionProblems(deal) : [];
  if (results.some((r) => !r.met) || attribution.length > 0) {
    await ctx.gateway.updateRequestSnapshot({
      id: request.id,
      evaluationSnapshot: snapshot,
    });
    assertAttributionValid(
      attribution,
      dealId,
      unmetOf(results, loaded),
      'confirm',
      { side: loaded.role.side, accountId: loaded.user.accountId },
    );
    throwUnmet(results, loaded, request, 'confirm');
  }
  const now = env.now.toISOString();
  let transition: StageTransition;
  try {
    transition = await ctx.gateway.applyMove({
      dealId,
      expectedVersion: loaded.version,
      toStage: to.value,
      enteredAt: now,
      transition: {
        dealId,
        fromStage: request.fromStage,
        toStage: to.value,
        requestId: request.id,
        requestedById: request.requestedById,
        confirmedById: loaded.user.id,
        at: now,
        evidenceSnapshot: snapshot,
        attributionSnapshot: to.won ? attributionSnapshot(deal, now) : null,
        oneSided: false,
        key: `request:${request.id}`,
        version: loaded.version + 1,
      },
      request: {
        id: request.id,
        status: 'Applied',
        respondedById: loaded.user.id,
        respondedAt: now,
        evaluationSnapshot: snapshot,
      },
      idempotency: idempotencyRecord(idempotency, env.now, 200, {
        operation: 'confirm',
        requestId: request.id,
      }),
    });
  } catch (error) {
    return replayMoveAfterConflict(ctx, actor, requestId, idempotency, error, {
      override: false,
    });
  }
  ctx.logger.info(
    {
      dealId,
      requestId: request.id,
      transitionId: transition.id,
      to: to.value,
    },
    'stage move applied',
  );
  const applied: StageRequest = {
    ...request,
    status: 'Applied',
    respondedById: loaded.user.id,
    respondedAt: now,
    evaluationSnapshot: snapshot,
  };
  return moveResult(loaded, applied, transition, false);
}

/** Rejects a request as the other side, with a reason. */
export async function rejectRequest(
  ctx: CosellContext,
  actor: Actor,
  requestId: string,
  reason: string,
  idempotency?: IdempotencyInput,
): Promise<UseCaseResult<StageRequestView>> {
  const loaded = await loadDeal(ctx, actor, { requestId, idempotency });
  const request = requireRequest(loaded);
  const side = assertOnDeal(loaded.role, loaded.user.id, loaded.dealId);
  if (assertIdempotencyMatches(loaded, idempotency)) {
    return {
      status: 200,
      body: viewerRequestView(loaded, request),
      replayed: true,
    };
  }
  assertPending(request, requesterIsOnSide(loaded, request));
  assertCanConfirm(request, side, loaded.user.id, 'reject');
  assertRequesterStillOnSide(loaded, request, 'reject');
  return closeAs(ctx, actor, loaded, request, 'Rejected', reason, idempotency);
}

/** Withdraws a request as its requester or the requesting side. */
export async function withdrawRequest(
  ctx: CosellContext,
  actor: Actor,
  requestId: string,
  reason: string | undefined,
  idempotency?: IdempotencyInput,
): Promise<UseCaseResult<StageRequestView>> {
  const loaded = await loadDeal(ctx, actor, { requestId, idempotency });
  const request = requireRequest(loaded);
  const side = assertOnDeal(loaded.role, loaded.user.id, loaded.dealId);
  if (assertIdempotencyMatches(loaded, idempotency)) {
    return {
      status: 200,
      body: viewerRequestView(loaded, request),
      replayed: true,
    };
  }
  assertPending(request, requesterIsOnSide(loaded, request));
  assertCanWithdraw(
    request,
    side,
    loaded.user.id,
    requesterIsOnSide(loaded, request),
  );
  return closeAs(
    ctx,
    actor,
    loaded,
    request,
    'Withdrawn',
    reason ?? null,
    idempotency,
  );
}

/**
 * Applies an expired, unanswered Close Lost request as a channel manager. The move is
 * recorded as one-sided; the lost stage's closing criteria must still hold.
 */
export async function overrideRequest(
  ctx: CosellContext,
  actor: Actor,
  requestId: string,
  reason: string,
  idempotency?: IdempotencyInput,
): Promise<UseCaseResult<MoveResult>> {
  const loaded = await loadDeal(ctx, actor, { requestId, idempotency });
  const request = requireRequest(loaded);
  assertOnDeal(loaded.role, loaded.user.id, loaded.dealId);
  if (assertIdempotencyMatches(loaded, idempotency)) {
    return replayMove(ctx, loaded, request);
  }
  assertCanOverride(request, loaded.role, loaded.user.id);
  // The override replaces only the other side's missing response. The
  // requesting side must still be behind the request, or the move would have
  // no side behind it but the channel manager's.
  assertRequesterStillOnSide(loaded, request, 'override');
  assertKnownStage(loaded);
  const { model, deal, dealId, env } = loaded;
  const from = currentStage(model, deal);
  if (
    (from?.value ?? null) !== request.fromStage ||
    loaded.read.pendingRequest
  ) {
    throw new DomainError(
      'concurrent_change',
      `Deal ${dealId} changed since request ${request.id} expired (now at ${from?.value ?? 'no stage'}${loaded.read.pendingRequest ? `, with pending request ${loaded.read.pendingRequest.id}` : ''}).`,
      'Make a new Close Lost request from the current stage.',
      { value: from?.value ?? null },
    );
  }
  const { version } = loaded;
  if (version !== request.dealVersion) {
    // Back at the same stage after moves both sides confirmed since the request.
    throw new DomainError(
      'concurrent_change',
      `Deal ${dealId} moved since request ${request.id} was made (version ${request.dealVersion} then, ${version} now), so the expired request no longer describes it.`,
      'Make a new Close Lost request from the current stage.',
      { value: version },
    );
  }
  // NOTE: a request made between this read and the move below stays Pending on the closed deal until it expires.
  const later = await ctx.gateway.findRequestCreatedAfter(
    dealId,
    request.createdAt,
  );
  if (later) {
    throw new DomainError(
      'concurrent_change',
      `Request ${later.id} (${later.kind}, ${later.status}) was made on deal ${dealId} after request ${request.id}, so it supersedes the expired request.`,
      'Make a new Close Lost request from the current stage.',
      { value: later.id },
    );
  }
  const results = evaluateMove(model, from, model.lostStage, deal, env);
  if (results.some((r) => !r.met)) {
    throwUnmet(results, loaded, request, 'override');
  }
  const now = env.now.toISOString();
  const overriddenRequest = {
    id: request.id,
    respondedById: loaded.user.id,
    respondedAt: now,
    responseReason: overrideResponseReason(request, reason),
  };
  let transition: StageTransition;
  try {
    transition = await ctx.gateway.applyMove({
      dealId,
      expectedVersion: version,
      toStage: model.lostStage.value,
      enteredAt: now,
      transition: {
        dealId,
        fromStage: request.fromStage,
        toStage: model.lostStage.value,
        requestId: request.id,
        requestedById: request.requestedById,
        confirmedById: loaded.user.id,
        at: now,
        evidenceSnapshot: JSON.stringify(results),
        attributionSnapshot: null,
        oneSided: true,
        key: `override:${request.id}`,
        version: version + 1,
      },
      request: null,
      overriddenRequest,
      idempotency: idempotencyRecord(idempotency, env.now, 200, {
        operation: 'override',
        requestId: request.id,
      }),
    });
  } catch (error) {
    return replayMoveAfterConflict(ctx, actor, requestId, idempotency, error, {
      override: true,
    });
  }
  // The reason is user text, kept on the request; the log line names the records.
  ctx.logger.warn(
    {
      dealId,
      requestId: request.id,
      transitionId: transition.id,
      channelManagerId: loaded.user.id,
    },
    'one-sided Close Lost override applied',
  );
  const overridden: StageRequest = { ...request, ...overriddenRequest };
  return moveResult(loaded, overridden, transition, false);
}

/**
 * Builds the response reason of an overridden request: the expiry text it has,
 * then the override's reason, so the record keeps both.
 */
function overrideResponseReason(request: StageRequest, reason: string): string {
  const expiry = request.responseReason ?? 'Expired unanswered.';
  return `${expiry} Applied as a one-sided Close Lost override: ${reason}`;
}

/** Returns the requester's current role on the deal, or null when they are not a user. */
function requesterRole(loaded: LoadedDeal): DealRole | null {
  const requester = loaded.read.requester;
  if (!requester) return null;
  return resolveDealRole(requester, loaded.deal, loaded.read.teamMemberIds);
}

function assertRequesterStillOnSide(
  loaded: LoadedDeal,
  request: StageRequest,
  action: 'confirm' | 'reject' | 'override',
): void {
  assertRequesterOnSide(
    request,
    loaded.read.requester,
    requesterRole(loaded),
    loaded.dealId,
    action,
  );
}

function requireRequest(loaded: LoadedDeal): StageRequest {
  const request = loaded.read.request;
  if (!request)
    throw new Error('loadDeal returned no request for a request call');
  return request;
}

function unmetOf(
  results: CriterionResult[],
  loaded: LoadedDeal,
): CriterionResult[] {
  return redactResults(
    results.filter((r) => !r.met),
    loaded.model,
    loaded.role,
  );
}

/**
 * Throws `criteria_unmet` for a confirmation, which leaves the request pending,
 * or for an override of an expired Close Lost request, which leaves it expired.
 */
function throwUnmet(
  results: CriterionResult[],
  loaded: LoadedDeal,
  request: StageRequest,
  operation: 'confirm' | 'override',
): never {
  const unmet = unmetOf(results, loaded);
  const label = (value: string) =>
    `"${loaded.model.stageByValue.get(value)?.label ?? value}"`;
  const from =
    request.fromStage === null ? 'no stage' : label(request.fromStage);
  const outcome =
    operation === 'confirm'
      ? 'The request stays pending.'
      : 'The request stays expired and the deal keeps its stage.';
  throw new DomainError(
    'criteria_unmet',
    `Request ${request.id} (${from} to ${label(request.toStage)}) is blocked by ${unmet.length} unmet ${unmet.length === 1 ? 'criterion' : 'criteria'}: ${unmet.map((r) => r.label).join('; ')}. ${outcome}`,
    operation === 'confirm'
      ? 'Record the missing evidence on the deal, then confirm again.'
      : 'Record the missing evidence on the deal, then apply the override again.',
    { unmet },
  );
}

async function closeAs(
  ctx: CosellContext,
  actor: Actor,
  loaded: LoadedDeal,
  request: StageRequest,
  status: 'Rejected' | 'Withdrawn',
  reason: string | null,
  idempotency: IdempotencyInput | undefined,
): Promise<UseCaseResult<StageRequestView>> {
  const now = loaded.env.now;
  let closed: StageRequest;
  try {
    closed = await ctx.gateway.closeRequest({
      id: request.id,
      status,
      respondedById: loaded.user.id,
      respondedAt: now.toISOString(),
      responseReason: reason,
      idempotency: idempotencyRecord(idempotency, now, 200, {
        operation: status.toLowerCase(),
        requestId: request.id,
      }),
    });
  } catch (error) {
    if (!isWriteConflict(error)) throw error;
    const reloaded = await rereadAfterConflict(
      ctx,
      actor,
      request.id,
      idempotency,
      error,
    );
    if (reloaded.replay) {
      return {
        status: 200,
        body: viewerRequestView(reloaded.loaded, reloaded.request),
        replayed: true,
      };
    }
    throw answeredError(reloaded.loaded, reloaded.request) ?? error;
  }
  ctx.logger.info(
    { dealId: loaded.dealId, requestId: request.id, status },
    'stage request closed',
  );
  return {
    status: 200,
    body: viewerRequestView(loaded, closed),
    replayed: false,
  };
}

interface RereadRequest {
  loaded: LoadedDeal;
  request: StageRequest;
  /** Whether a call with this Idempotency-Key and body stored its response. */
  replay: boolean;
}

/**
 * Reads the request again after a write conflict. Another call with the same
 * Idempotency-Key may have won the race, and then this call replays its
 * response. A clash on the key without a stored response throws at once.
 */
async function rereadAfterConflict(
  ctx: CosellContext,
  actor: Actor,
  requestId: string,
  idempotency: IdempotencyInput | undefined,
  error: unknown,
): Promise<RereadRequest> {
  ctx.logger.info(
    { requestId, err: error },
    'stage request write conflict; reading the request again',
  );
  const loaded = await loadDeal(ctx, actor, { requestId, idempotency });
  const request = requireRequest(loaded);
  if (assertIdempotencyMatches(loaded, idempotency)) {
    return { loaded, request, replay: true };
  }
  if (isIdempotencyKeyClash(error)) throwWriteConflict(error, idempotency);
  return { loaded, request, replay: false };
}

/**
 * Replays the move of an identical keyed call that won the race to `applyMove`;
 * otherwise throws what the second read shows, or `error` itself.
 */
async function replayMoveAfterConflict(
  ctx: CosellContext,
  actor: Actor,
  requestId: string,
  idempotency: IdempotencyInput | undefined,
  error: unknown,
  options: { override: boolean },
): Promise<UseCaseResult<MoveResult>> {
  if (!isWriteConflict(error)) throw error;
  const reloaded = await rereadAfterConflict(
    ctx,
    actor,
    requestId,
    idempotency,
    error,
  );
  if (reloaded.replay) {
    return replayMove(ctx, reloaded.loaded, reloaded.request);
  }
  // An override leaves the request Expired, so its status cannot show whether
  // another override won. The call throws the write's own error instead.
  if (options.override) throw error;
  throw answeredError(reloaded.loaded, reloaded.request) ?? error;
}

/**
 * Builds 409 `request_not_pending` for a request that another call confirmed,
 * rejected or withdrew while this one ran. Returns null while the request is
 * still pending.
 */
function answeredError(
  loaded: LoadedDeal,
  request: StageRequest,
): DomainError | null {
  if (request.status === 'Pending') return null;
  return requestNotPendingError(request, requesterIsOnSide(loaded, request));
}

async function replayMove(
  ctx: CosellContext,
  loaded: LoadedDeal,
  request: StageRequest,
): Promise<UseCaseResult<MoveResult>> {
  const transitions = await ctx.gateway.listTransitions(loaded.dealId);
  const transition = transitions.find((t) => t.requestId === request.id);
  if (!transition) {
    throw new DomainError(
      'concurrent_change',
      `The first use of this Idempotency-Key on request ${request.id} did not finish.`,
      'Send the request again with a new Idempotency-Key.',
      { value: request.id },
    );
  }
  return moveResult(loaded, request, transition, true);
}

function moveResult(
  loaded: LoadedDeal,
  request: StageRequest,
  transition: StageTransition,
  replayed: boolean,
): UseCaseResult<MoveResult> {
  const names = new Map([[loaded.user.id, loaded.user]]);
  // The acting user is the confirmer, on a replay too, because the key's
  // fingerprint includes the acting user.
  const view = transitionView(transition, names, {
    requestedBy: request.requestingSide,
    confirmedBy: loaded.role.side,
  });
  view.evidence = redactResults(view.evidence, loaded.model, loaded.role);
  view.attribution = redactAttribution(
    view.attribution,
    loaded.model,
    loaded.role,
    loaded.user.accountId,
  );
  return {
    status: 200,
    body: { request: viewerRequestView(loaded, request), transition: view },
    replayed,
  };
}

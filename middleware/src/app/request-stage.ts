import { OPPORTUNITY_FIELDS } from '../domain/api-names.js';
import type { RequestKind } from '../domain/cosell.js';
import { DomainError } from '../domain/domain-error.js';
import { currentStage, evaluateMove } from '../domain/evaluation.js';
import type { RecordData } from '../domain/records.js';
import {
  assertCriteriaMet,
  assertNoPendingRequest,
  assertOnDeal,
  planMove,
} from '../domain/stage-requests.js';
import { PendingRequestExistsError } from '../org/errors.js';
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
} from './load-deal.js';
import type { LoadedDeal } from './load-deal.js';
import {
  assertAttributionValid,
  attributionProblems,
} from './lifecycle/attribution-check.js';
import { redactResults } from './redaction.js';
import { viewerRequestView } from './views.js';
import type { StageRequestView } from './views.js';
import {
  isIdempotencyKeyClash,
  isWriteConflict,
  throwWriteConflict,
} from './write-conflict.js';

export interface RequestStageInput {
  dealId: string;
  kind: RequestKind;
  toStage?: string;
  reason?: string;
}

export interface UseCaseResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Opens a stage request: checks the user's side, that no other request is pending,
 * that the move is allowed, and that its criteria hold now; the other side confirms.
 */
export async function requestStage(
  ctx: CosellContext,
  actor: Actor,
  input: RequestStageInput,
  idempotency?: IdempotencyInput,
): Promise<UseCaseResult<StageRequestView>> {
  const loaded = await loadDeal(ctx, actor, {
    dealId: input.dealId,
    idempotency,
  });
  const { deal, dealId, model, role, user, env } = loaded;
  // Membership comes first, so a user off the deal learns nothing from a key.
  const side = assertOnDeal(role, user.id, dealId);
  const replay = await replayRequest(ctx, loaded, idempotency);
  if (replay) return replay;
  assertNoPendingRequest(loaded.read.pendingRequest, dealId, model);
  assertKnownStage(loaded);
  assertHasPartner(deal, dealId);
  const from = currentStage(model, deal);
  const to = planMove(model, from, input.kind, input.toStage);
  const results = evaluateMove(model, from, to, deal, env);
  if (to.won) {
    assertAttributionValid(
      attributionProblems(deal),
      dealId,
      redactResults(
        results.filter((r) => !r.met),
        model,
        role,
      ),
      'request',
      { side: role.side, accountId: loaded.user.accountId },
    );
  }
  assertCriteriaMet(
    redactResults(results, model, role),
    `Moving deal ${dealId} from ${from ? `"${from.label}"` : 'no stage'} to "${to.label}"`,
  );
  const now = env.now;
  try {
    const created = await ctx.gateway.createRequest(
      {
        dealId,
        fromStage: from?.value ?? null,
        toStage: to.value,
        kind: input.kind,
        requestedById: user.id,
        requestingSide: side,
        status: 'Pending',
        respondedById: null,
        respondedAt: null,
        reason: input.reason ?? null,
        responseReason: null,
        expiresAt: new Date(
          now.getTime() + model.requestExpiryHours * 3_600_000,
        ).toISOString(),
        createdAt: now.toISOString(),
        idempotencyKey: idempotency?.key ?? null,
        evaluationSnapshot: JSON.stringify(results),
        dealVersion: loaded.version,
      },
      idempotencyRecord(idempotency, now, 201, { operation: 'request' }),
    );
    ctx.logger.info(
      {
        dealId,
        requestId: created.id,
        from: created.fromStage,
        to: created.toStage,
      },
      'stage request created',
    );
    return {
      status: 201,
      body: viewerRequestView(loaded, created),
      replayed: false,
    };
  } catch (error) {
    if (idempotency && isWriteConflict(error)) {
      // An identical call with the same key may have written between our read
      // and our write, and then its stored response is the one to replay.
      ctx.logger.info(
        { dealId, err: error },
        'stage request write conflict; reading the idempotency key again',
      );
      const reloaded = await loadDeal(ctx, actor, {
        dealId: input.dealId,
        idempotency,
      });
      const replayed = await replayRequest(ctx, reloaded, idempotency);
      if (replayed) return replayed;
      if (isIdempotencyKeyClash(error)) throwWriteConflict(error, idempotency);
    }
    if (error instanceof PendingRequestExistsError) {
      // A concurrent request won the race between our read and our write.
      // Reading it gives the same detail as a request that was already there.
      const pending = error.pendingRequestId
        ? await ctx.gateway.getRequest(error.pendingRequestId)
        : null;
      if (pending?.status === 'Pending') {
        assertNoPendingRequest(pending, dealId, model);
      }
      throw new DomainError(
        'request_pending',
        `${error.message}.`,
        error.pendingRequestId
          ? `Confirm, reject or withdraw request ${error.pendingRequestId} first.`
          : 'Read the deal for its pending request, and confirm, reject or withdraw that request first.',
        {
          value: error.pendingRequestId,
          pendingRequestId: error.pendingRequestId ?? undefined,
        },
      );
    }
    throw error;
  }
}

/**
 * Returns the first response again when the stored key of `loaded` matches this
 * call, or null on a first call.
 */
async function replayRequest(
  ctx: CosellContext,
  loaded: LoadedDeal,
  idempotency: IdempotencyInput | undefined,
): Promise<UseCaseResult<StageRequestView> | null> {
  if (!idempotency || !assertIdempotencyMatches(loaded, idempotency)) {
    return null;
  }
  const earlier = await ctx.gateway.findRequestByIdempotencyKey(
    idempotency.key,
  );
  if (!earlier) return null;
  // The fingerprint includes the acting user, so the acting user is the
  // requester here, as in the first response.
  return {
    status: 201,
    body: viewerRequestView(loaded, earlier),
    replayed: true,
  };
}

/**
 * Fails with 409 `no_partner_account` on a deal without a partner account,
 * such as an imported Opportunity: no partner user could confirm the move, so
 * the request could only expire.
 */
function assertHasPartner(deal: RecordData, dealId: string): void {
  const account = deal[OPPORTUNITY_FIELDS.partnerAccount];
  if (typeof account === 'string' && account !== '') return;
  throw new DomainError(
    'no_partner_account',
    `Deal ${dealId} has no partner account, so no partner user can confirm a stage move.`,
    "Link the deal to its partner first, by approving the partner's registration with opportunityId set to the deal, then request the move again.",
    { value: dealId },
  );
}

import type { StageRequest } from '../domain/cosell.js';
import type { RequestStatusWrite } from '../org/gateway.js';
import type { CosellContext } from './cosell-context.js';

/**
 * Builds the write that expires a pending request. It is dated when the request's
 * time ran out, not when a read or the sweep noticed, which may be days later.
 */
export function expiryWrite(request: StageRequest): RequestStatusWrite {
  return {
    id: request.id,
    status: 'Expired',
    respondedById: null,
    respondedAt: request.expiresAt,
    responseReason: 'Expired unanswered.',
  };
}

/**
 * Marks pending requests whose time ran out as Expired. Runs periodically; reads also
 * expire what they find, so a missed sweep delays nothing that a user looks at.
 */
export async function expireDueRequests(
  ctx: CosellContext,
  batchSize = 200,
): Promise<number> {
  const now = ctx.now();
  const due = await ctx.gateway.listExpiredPending(
    now.toISOString(),
    batchSize,
  );
  let expired = 0;
  for (const request of due) {
    try {
      await ctx.gateway.closeRequest(expiryWrite(request));
      expired += 1;
    } catch (error) {
      ctx.logger.warn(
        { err: error, requestId: request.id },
        'could not expire request; it was answered or expired concurrently',
      );
    }
  }
  if (expired > 0) ctx.logger.info({ expired }, 'expired stage requests');
  return expired;
}

/**
 * Deletes idempotency records whose replay window has passed, one batch per run,
 * so the store keeps little more than the live keys. Runs with the expiry sweep.
 */
export async function purgeExpiredIdempotency(
  ctx: CosellContext,
  batchSize = 200,
): Promise<number> {
  const purged = await ctx.gateway.purgeExpiredIdempotency(
    ctx.now().toISOString(),
    batchSize,
  );
  if (purged > 0) {
    ctx.logger.info({ purged }, 'deleted expired idempotency records');
  }
  return purged;
}

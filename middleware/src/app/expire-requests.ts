import type { CosellContext } from './cosell-context.js';

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
      await ctx.gateway.closeRequest({
        id: request.id,
        status: 'Expired',
        respondedById: null,
        respondedAt: now.toISOString(),
        responseReason: 'Expired unanswered.',
      });
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

import { Router } from 'express';
import type { CosellContext } from '../../app/cosell-context.js';
import { DomainError } from '../../domain/domain-error.js';
import {
  getDeal,
  getEvaluation,
  getTransitions,
} from '../../app/explain-deal.js';
import { requestStage } from '../../app/request-stage.js';
import { listStageModels } from '../../app/stage-models-view.js';
import { idempotencyFrom } from '../idempotency-header.js';
import { CreateStageRequestBodySchema, DealParamsSchema } from '../schemas.js';
import type { z } from '../zod-openapi.js';
import { validate, validated } from '../validate.js';

type DealParams = z.infer<typeof DealParamsSchema>;
type CreateBody = z.infer<typeof CreateStageRequestBodySchema>;

export function dealRoutes(ctx: CosellContext): Router {
  const router = Router();

  router.get('/stage-models', validate({}), async (req, res) => {
    const [user] = await ctx.gateway.getUsers([req.actor!.userId]);
    if (!user?.isActive) {
      throw new DomainError(
        'unknown_acting_user',
        `Acting user ${req.actor!.userId} is ${user ? 'inactive' : 'not a user of the org'}.`,
        'Send the Id of an active Salesforce user in the X-Cosell-Acting-User header.',
        { value: req.actor!.userId },
      );
    }
    // Internal users see the vendor's stage settings; partner users, as on a deal,
    // do not see those the model lists as vendor-only.
    const side = user.userType === 'Standard' ? 'Vendor' : 'Partner';
    res.json(listStageModels(ctx.models, side));
  });

  router.get(
    '/deals/:dealId',
    validate({ params: DealParamsSchema }),
    async (req, res) => {
      const { params } = validated<DealParams, unknown, unknown>(req);
      res.json(await getDeal(ctx, req.actor!, params.dealId));
    },
  );

  router.get(
    '/deals/:dealId/evaluation',
    validate({ params: DealParamsSchema }),
    async (req, res) => {
      const { params } = validated<DealParams, unknown, unknown>(req);
      res.json(await getEvaluation(ctx, req.actor!, params.dealId));
    },
  );

  router.get(
    '/deals/:dealId/transitions',
    validate({ params: DealParamsSchema }),
    async (req, res) => {
      const { params } = validated<DealParams, unknown, unknown>(req);
      res.json(await getTransitions(ctx, req.actor!, params.dealId));
    },
  );

  router.post(
    '/deals/:dealId/stage-requests',
    validate({ params: DealParamsSchema, body: CreateStageRequestBodySchema }),
    async (req, res) => {
      const { params, body } = validated<DealParams, CreateBody, unknown>(req);
      const result = await requestStage(
        ctx,
        req.actor!,
        { dealId: params.dealId, ...body },
        idempotencyFrom(req),
      );
      if (result.replayed) res.set('Idempotent-Replayed', 'true');
      res
        .status(result.status)
        .location(`/v1/stage-requests/${result.body.id}`);
      res.json(result.body);
    },
  );

  return router;
}

import { Router } from 'express';
import type { Response } from 'express';
import {
  confirmRequest,
  overrideRequest,
  rejectRequest,
  withdrawRequest,
} from '../../app/answer-request.js';
import type { CosellContext } from '../../app/cosell-context.js';
import { assertCanRead, loadDeal } from '../../app/load-deal.js';
import type { UseCaseResult } from '../../app/request-stage.js';
import { needsResponderRead, viewerRequestView } from '../../app/views.js';
import { idempotencyFrom } from '../idempotency-header.js';
import {
  ConfirmBodySchema,
  OverrideBodySchema,
  RejectBodySchema,
  RequestParamsSchema,
  WithdrawBodySchema,
} from '../schemas.js';
import type { z } from '../zod-openapi.js';
import { validate, validated } from '../validate.js';

type RequestParams = z.infer<typeof RequestParamsSchema>;

function send<T>(res: Response, result: UseCaseResult<T>): void {
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(result.status).json(result.body);
}

export function stageRequestRoutes(ctx: CosellContext): Router {
  const router = Router();

  router.get(
    '/stage-requests/:requestId',
    validate({ params: RequestParamsSchema }),
    async (req, res) => {
      const { params } = validated<RequestParams, unknown, unknown>(req);
      const loaded = await loadDeal(ctx, req.actor!, {
        requestId: params.requestId,
      });
      assertCanRead(loaded);
      const request = loaded.read.request!;
      const responders = needsResponderRead(loaded, request)
        ? await ctx.gateway.getUsers([request.respondedById!])
        : [];
      res.json(viewerRequestView(loaded, request, responders));
    },
  );

  router.post(
    '/stage-requests/:requestId/confirm',
    validate({ params: RequestParamsSchema, body: ConfirmBodySchema }),
    async (req, res) => {
      const { params } = validated<RequestParams, unknown, unknown>(req);
      send(
        res,
        await confirmRequest(
          ctx,
          req.actor!,
          params.requestId,
          idempotencyFrom(req),
        ),
      );
    },
  );

  router.post(
    '/stage-requests/:requestId/reject',
    validate({ params: RequestParamsSchema, body: RejectBodySchema }),
    async (req, res) => {
      const { params, body } = validated<
        RequestParams,
        z.infer<typeof RejectBodySchema>,
        unknown
      >(req);
      send(
        res,
        await rejectRequest(
          ctx,
          req.actor!,
          params.requestId,
          body.reason,
          idempotencyFrom(req),
        ),
      );
    },
  );

  router.post(
    '/stage-requests/:requestId/withdraw',
    validate({ params: RequestParamsSchema, body: WithdrawBodySchema }),
    async (req, res) => {
      const { params, body } = validated<
        RequestParams,
        z.infer<typeof WithdrawBodySchema>,
        unknown
      >(req);
      send(
        res,
        await withdrawRequest(
          ctx,
          req.actor!,
          params.requestId,
          body.reason,
          idempotencyFrom(req),
        ),
      );
    },
  );

  router.post(
    '/stage-requests/:requestId/override',
    validate({ params: RequestParamsSchema, body: OverrideBodySchema }),
    async (req, res) => {
      const { params, body } = validated<
        RequestParams,
        z.infer<typeof OverrideBodySchema>,
        unknown
      >(req);
      send(
        res,
        await overrideRequest(
          ctx,
          req.actor!,
          params.requestId,
          body.reason,
          idempotencyFrom(req),
        ),
      );
    },
  );

  return router;
}

import { Router } from 'express';
import type { Response } from 'express';
import {
  approveRegistration,
  rejectRegistration,
} from '../../app/lifecycle/decide-registration.js';
import type { LifecycleContext } from '../../app/lifecycle/lifecycle-context.js';
import { getRegistration } from '../../app/lifecycle/read-registration.js';
import { registerDeal } from '../../app/lifecycle/register-deal.js';
import type { UseCaseResult } from '../../app/request-stage.js';
import { idempotencyFrom } from '../idempotency-header.js';
import {
  ApproveRegistrationBodySchema,
  CreateRegistrationBodySchema,
  RegistrationParamsSchema,
  RejectRegistrationBodySchema,
} from '../lifecycle-schemas.js';
import { validate, validated } from '../validate.js';
import type { z } from '../zod-openapi.js';

type Params = z.infer<typeof RegistrationParamsSchema>;

function send<T>(res: Response, result: UseCaseResult<T>): void {
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(result.status).json(result.body);
}

/** `POST /v1/registrations`, `GET /v1/registrations/{id}`, and approve and reject. */
export function registrationRoutes(lc: LifecycleContext): Router {
  const router = Router();

  router.post(
    '/registrations',
    validate({ body: CreateRegistrationBodySchema }),
    async (req, res) => {
      const { body } = validated<
        unknown,
        z.infer<typeof CreateRegistrationBodySchema>,
        unknown
      >(req);
      const result = await registerDeal(
        lc,
        req.actor!,
        body,
        idempotencyFrom(req),
      );
      res.location(`/v1/registrations/${result.body.id}`);
      send(res, result);
    },
  );

  router.get(
    '/registrations/:registrationId',
    validate({ params: RegistrationParamsSchema }),
    async (req, res) => {
      const { params } = validated<Params, unknown, unknown>(req);
      res.json(await getRegistration(lc, req.actor!, params.registrationId));
    },
  );

  router.post(
    '/registrations/:registrationId/approve',
    validate({
      params: RegistrationParamsSchema,
      body: ApproveRegistrationBodySchema,
    }),
    async (req, res) => {
      const { params, body } = validated<
        Params,
        z.infer<typeof ApproveRegistrationBodySchema>,
        unknown
      >(req);
      send(
        res,
        await approveRegistration(
          lc,
          req.actor!,
          params.registrationId,
          body,
          idempotencyFrom(req),
        ),
      );
    },
  );

  router.post(
    '/registrations/:registrationId/reject',
    validate({
      params: RegistrationParamsSchema,
      body: RejectRegistrationBodySchema,
    }),
    async (req, res) => {
      const { params, body } = validated<
        Params,
        z.infer<typeof RejectRegistrationBodySchema>,
        unknown
      >(req);
      send(
        res,
        await rejectRegistration(
          lc,
          req.actor!,
          params.registrationId,
          body.reason,
          idempotencyFrom(req),
        ),
      );
    },
  );

  return router;
}

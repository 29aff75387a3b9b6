/**
 * The HTTP benchmark's stack-only routes: they validate the same parameters and
 * bodies as the stage-request routes and send replies recorded from a real request
 * and confirmation, so the middleware's HTTP layers can be timed without the store.
 */
import express from 'express';
import {
  ConfirmBodySchema,
  CreateStageRequestBodySchema,
  DealParamsSchema,
  RequestParamsSchema,
} from '../../middleware/src/http/schemas.js';
import { validate } from '../../middleware/src/http/validate.js';

/** The path prefix of the recorded-reply routes, after `/v1`. */
export const REPLY_PREFIX = '/bench';

/** The bodies of a real stage request's response and its confirmation's. */
export interface RecordedReplies {
  request: unknown;
  confirm: unknown;
}

/** Builds the two routes, each sending its recorded body on every call. */
export function recordedReplyRoutes(replies: RecordedReplies): express.Router {
  const router = express.Router();
  router.post(
    `${REPLY_PREFIX}/deals/:dealId/stage-requests`,
    validate({ params: DealParamsSchema, body: CreateStageRequestBodySchema }),
    (_req, res) => {
      res.status(201).json(replies.request);
    },
  );
  router.post(
    `${REPLY_PREFIX}/stage-requests/:requestId/confirm`,
    validate({ params: RequestParamsSchema, body: ConfirmBodySchema }),
    (_req, res) => {
      res.status(200).json(replies.confirm);
    },
  );
  return router;
}

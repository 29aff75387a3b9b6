import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
} from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import {
  AuthHeadersSchema,
  ConfirmBodySchema,
  CreateStageRequestBodySchema,
  DealParamsSchema,
  DealSchema,
  EvaluationSchema,
  IdempotencyHeaderSchema,
  ModelsSchema,
  MoveResultSchema,
  OverrideBodySchema,
  RejectBodySchema,
  RequestParamsSchema,
  StageRequestSchema,
  TransitionsSchema,
  WithdrawBodySchema,
} from './schemas.js';
import { BODY_ERRORS, problemResponse } from './openapi-problems.js';
import { registerLifecyclePaths } from './routes/lifecycle-openapi.js';
import { z } from './zod-openapi.js';

const ERRORS = {
  400: problemResponse(
    'Invalid path, body, header or Id (`invalid_request`, `invalid_id`).',
  ),
  401: problemResponse('Missing or wrong bearer token (`unauthenticated`).'),
  403: problemResponse(
    'The acting user is unknown, on neither side, on the wrong side, or the requester.',
  ),
  404: problemResponse('The deal or request does not exist.'),
};

function json(schema: ZodType, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

function body(schema: ZodType) {
  return { content: { 'application/json': { schema } } };
}

/** Registers every v1 path; route modules and this list change together. */
export function buildOpenApiDocument(): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      'COSELL_API_TOKEN, sent by the Named Credential in production.',
  });
  const headers = AuthHeadersSchema.omit({ authorization: true });
  const postHeaders = headers.extend(IdempotencyHeaderSchema.shape);
  const security = [{ bearerToken: [] }];

  registry.registerPath({
    method: 'get',
    path: '/v1/stage-models',
    summary: 'Models, stages and criteria',
    security,
    request: { headers },
    responses: {
      200: json(ModelsSchema, 'The loaded models.'),
      401: ERRORS[401],
    },
  });
  for (const [suffix, schema, summary] of [
    ['', DealSchema, 'The deal as the acting user may see it'],
    [
      '/evaluation',
      EvaluationSchema,
      "Each criterion of the deal's stage now, with evidence",
    ],
    ['/transitions', TransitionsSchema, "The deal's moves with their evidence"],
  ] as const) {
    registry.registerPath({
      method: 'get',
      path: `/v1/deals/{dealId}${suffix}`,
      summary,
      security,
      request: { params: DealParamsSchema, headers },
      responses: {
        200: json(schema, summary),
        ...ERRORS,
        409: problemResponse(
          suffix === '/evaluation'
            ? "The deal's model is not loaded (`unknown_model`), or the deal is stored at a stage its model does not have (`stage_not_in_model`)."
            : "The deal's model is not loaded (`unknown_model`).",
        ),
      },
    });
  }
  registry.registerPath({
    method: 'post',
    path: '/v1/deals/{dealId}/stage-requests',
    summary: 'Request a move: advance, back or close lost',
    security,
    request: {
      params: DealParamsSchema,
      headers: postHeaders,
      body: body(CreateStageRequestBodySchema),
    },
    responses: {
      201: json(
        StageRequestSchema,
        'The pending request; the other side confirms it.',
      ),
      ...ERRORS,
      ...BODY_ERRORS,
      409: problemResponse(
        'Another request is pending, the move is not allowed, the deal has no partner account (`no_partner_account`), or the deal is stored at a stage its model does not have (`stage_not_in_model`).',
      ),
      422: problemResponse(
        "Criteria unmet (`unmet` lists them), idempotency key reused, or the org rejected the write (`org_rejected`, with the org's errors in `value`).",
      ),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/stage-requests/{requestId}',
    summary: 'One stage request',
    security,
    request: { params: RequestParamsSchema, headers },
    responses: { 200: json(StageRequestSchema, 'The request.'), ...ERRORS },
  });
  const answers = [
    [
      'confirm',
      ConfirmBodySchema,
      MoveResultSchema,
      'Confirm as the other side; applies the move',
    ],
    [
      'reject',
      RejectBodySchema,
      StageRequestSchema,
      'Reject as the other side, with a reason',
    ],
    [
      'withdraw',
      WithdrawBodySchema,
      StageRequestSchema,
      'Withdraw as the requesting side',
    ],
    [
      'override',
      OverrideBodySchema,
      MoveResultSchema,
      'Apply an expired Close Lost request one-sidedly (channel manager)',
    ],
  ] as const;
  for (const [action, requestBody, response, summary] of answers) {
    registry.registerPath({
      method: 'post',
      path: `/v1/stage-requests/{requestId}/${action}`,
      summary,
      security,
      request: {
        params: RequestParamsSchema,
        headers: postHeaders,
        body: body(requestBody),
      },
      responses: {
        200: json(response, summary),
        ...ERRORS,
        ...BODY_ERRORS,
        409: problemResponse(
          'The request is no longer pending, the deal changed, or the deal is stored at a stage its model does not have (`stage_not_in_model`).',
        ),
        422: problemResponse(
          "Criteria unmet (a pending request stays pending, an expired one stays expired), idempotency key reused, or the org rejected the write (`org_rejected`, with the org's errors in `value`).",
        ),
      },
    });
  }
  for (const [path, summary] of [
    ['/healthz', 'Liveness'],
    ['/readyz', 'Readiness: the store answers and the models are loaded'],
  ] as const) {
    registry.registerPath({
      method: 'get',
      path,
      summary,
      responses: {
        200: json(z.object({ status: z.string() }), 'Healthy.'),
        503: problemResponse('Not ready.'),
      },
    });
  }

  registerLifecyclePaths(registry);

  const document = new OpenApiGeneratorV31(
    registry.definitions,
  ).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Cosell Stages middleware',
      version: '1.0.0',
      description:
        'Evaluates co-sell exit criteria and applies stage moves that both sides confirmed.',
    },
    servers: [{ url: '/' }],
  });
  allowNullInNullableEnums(document);
  return document;
}

/**
 * Adds `null` to the `enum` of every schema whose `type` allows null. The
 * generator (zod-to-openapi 8.3.2) writes a nullable zod enum as
 * `type: ["string", "null"]` with an `enum` of the strings only, so a JSON
 * Schema validator rejects the null that such a field legitimately holds.
 */
function allowNullInNullableEnums(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) allowNullInNullableEnums(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  const { type, enum: values } = schema;
  if (
    Array.isArray(type) &&
    type.includes('null') &&
    Array.isArray(values) &&
    !values.includes(null)
  ) {
    schema['enum'] = [...values, null];
  }
  for (const value of Object.values(schema)) allowNullInNullableEnums(value);
}

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

const STORED_VALUE_ERROR = {
  500: problemResponse(
    "A stored value the call cannot use (`invalid_stored_value`): a criterion or a transition read a malformed value, such as text in a date/time field, or the deal's `Cosell_Stage__c` is not text, its `Cosell_Stage_Version__c` is not a whole number of 0 or more, or the store's response lacks either. `detail` names the record, the field and, for a criterion, the criterion.",
  ),
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
      400: problemResponse(
        'The acting-user header is missing or not a Salesforce Id (`invalid_id`), or a query parameter was sent (`invalid_request`).',
      ),
      401: ERRORS[401],
      403: problemResponse(
        'The acting user is unknown or inactive (`unknown_acting_user`).',
      ),
    },
  });
  for (const [suffix, schema, summary] of [
    ['', DealSchema, 'The deal as the acting user may see it'],
    [
      '/evaluation',
      EvaluationSchema,
      "Each criterion of the deal's next move now, with evidence",
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
        ...STORED_VALUE_ERROR,
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
      ...STORED_VALUE_ERROR,
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
    responses: {
      200: json(StageRequestSchema, 'The request.'),
      ...ERRORS,
      ...STORED_VALUE_ERROR,
    },
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
        ...STORED_VALUE_ERROR,
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
  addCommonResponses(document as unknown as OpenApiPaths);
  return document;
}

/** The part of the generated document that `addCommonResponses` changes. */
interface OpenApiPaths {
  paths?: Record<string, Record<string, { responses?: OpenApiResponses }>>;
}

type OpenApiResponses = Record<
  string,
  { description: string; content?: unknown; headers?: Record<string, unknown> }
>;

const PROBLEM_CONTENT = {
  'application/problem+json': {
    schema: { $ref: '#/components/schemas/Problem' },
  },
};

/** The `record_locked` problem, which any /v1 call on COSELL_STORE=salesforce may get. */
const RECORD_LOCKED =
  "On COSELL_STORE=salesforce, another transaction held a lock on a record that the call needs for longer than the middleware retried (`record_locked`); `value` is the record's Id when the org names it, or null, and the Retry-After header says when to retry.";

/** Problems that any /v1 call may get, whatever its route. */
const V1_PROBLEMS = {
  409: RECORD_LOCKED,
  429: 'More requests in a minute than COSELL_RATE_LIMIT_PER_MINUTE allows (`rate_limited`); the RateLimit header says when to retry.',
  500: 'An unexpected error (`internal_error`), or a stored value or currency rate the middleware cannot use (`invalid_stored_value`, `currency_rate_missing`).',
  502: "The Salesforce org's response was not the shape the call expects (`org_response_invalid`); `fix` says what to check.",
  503: "The store or the Salesforce org cannot be reached (`store_unavailable`), and the Retry-After header says when to retry. On COSELL_STORE=salesforce also the org's API request limit for the last 24 hours is used up (`org_request_limit_exceeded`), or the org did not accept the integration user's credentials (`org_authentication_failed`). These two have no Retry-After, because a retry fails the same way until an admin acts or the limit frees, and `fix` says what the admin has to do.",
};

/** The header of a 409 `record_locked` and of a 503 `store_unavailable`. */
const RETRY_AFTER_HEADER = {
  'Retry-After': {
    description:
      'Seconds to wait before the next call. Sent with `record_locked` and `store_unavailable` only.',
    schema: { type: 'string' },
  },
};

const REQUEST_ID_HEADER = {
  description:
    'The id of this call in the middleware log: the X-Request-Id of the request when it is a valid id, otherwise a new UUID.',
  schema: { type: 'string' },
};

/** The headers of a 429, as express-rate-limit sends them (IETF draft 8). */
const RATE_LIMIT_HEADERS = {
  'Retry-After': {
    description: 'Seconds to wait before the next call.',
    schema: { type: 'string' },
  },
  RateLimit: {
    description: 'The calls left in the current window and when it resets.',
    schema: { type: 'string' },
  },
  'RateLimit-Policy': {
    description: 'The limit: COSELL_RATE_LIMIT_PER_MINUTE calls in 60 seconds.',
    schema: { type: 'string' },
  },
};

/**
 * Adds what every operation shares. Each /v1 call may get a 409
 * `record_locked`, 429, 500, 502 or 503 problem, and every response carries
 * X-Request-Id. A 201 adds `Location`, a POST's success `Idempotent-Replayed`,
 * a 429 the rate limit headers, a /v1 409 or 503 `Retry-After` and a 401
 * `WWW-Authenticate`.
 */
function addCommonResponses(document: OpenApiPaths): void {
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      const responses = (operation.responses ??= {});
      if (path.startsWith('/v1/')) {
        for (const [status, description] of Object.entries(V1_PROBLEMS)) {
          const own = responses[status];
          if (own === undefined) {
            responses[status] = { description, content: PROBLEM_CONTENT };
          } else if (status === '409') {
            own.description += ` ${RECORD_LOCKED}`;
          }
        }
      }
      for (const [status, response] of Object.entries(responses)) {
        const headers = (response.headers ??= {});
        headers['X-Request-Id'] = REQUEST_ID_HEADER;
        if (status === '201') {
          headers['Location'] = {
            description: 'The path of the created record.',
            schema: { type: 'string' },
          };
        }
        if (status === '429') {
          Object.assign(headers, RATE_LIMIT_HEADERS);
        }
        if (path.startsWith('/v1/') && (status === '409' || status === '503')) {
          Object.assign(headers, RETRY_AFTER_HEADER);
        }
        if (method === 'post' && (status === '200' || status === '201')) {
          headers['Idempotent-Replayed'] = {
            description:
              '`true` when the call replays an earlier one with the same Idempotency-Key; absent otherwise.',
            schema: { type: 'string', enum: ['true'] },
          };
        }
        if (status === '401') {
          headers['WWW-Authenticate'] = {
            description:
              'The bearer challenge: `Bearer realm="cosell-stages"`.',
            schema: { type: 'string' },
          };
        }
      }
    }
  }
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

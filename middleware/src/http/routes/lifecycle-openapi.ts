import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import {
  AgendaQuerySchema,
  AgendaSchema,
  ApproveRegistrationBodySchema,
  BacktestQuerySchema,
  BacktestSchema,
  CreateRegistrationBodySchema,
  ForecastQuerySchema,
  ForecastSchema,
  RegistrationParamsSchema,
  RegistrationSchema,
  RejectRegistrationBodySchema,
  ScorecardQuerySchema,
  ScorecardsSchema,
} from '../lifecycle-schemas.js';
import {
  AuthHeadersSchema,
  DealSchema,
  IdempotencyHeaderSchema,
  ProblemSchema,
} from '../schemas.js';
import { BODY_ERRORS } from '../openapi-problems.js';
import { z } from '../zod-openapi.js';
import { ReportQuerySchema } from './reports.js';

function problems(description: string) {
  return {
    description,
    content: { 'application/problem+json': { schema: ProblemSchema } },
  };
}

function jsonContent(schema: ZodType, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

const COMMON_ERRORS = {
  400: problems(
    'Invalid path, body, query or Id (`invalid_request`, `invalid_id`).',
  ),
  401: problems('Missing or wrong bearer token (`unauthenticated`).'),
  403: problems(
    'Unknown acting user, no co-sell permission set, a partner seller without a contact of a partner account (`partner_contact_missing`), a partner user asking for another account (`wrong_partner_account`) or for vendor-only data (`vendor_only`), not a channel manager, or not allowed the ops reports (`not_report_viewer`).',
  ),
};

/** The errors of a partnerAccountId that a vendor user names. */
const PARTNER_ACCOUNT_ERRORS = {
  404: problems('partnerAccountId names no Account (`account_not_found`).'),
  422: problems(
    'partnerAccountId names an Account that is not a partner account (`not_partner_account`).',
  ),
};

const CALCULATION_ERRORS = {
  ...COMMON_ERRORS,
  500: problems(
    'A deal is in a currency without a rate in COSELL_CURRENCY_RATES (`currency_rate_missing`).',
  ),
};

/** Registers the lifecycle paths; `routes/lifecycle-*.ts` and this list change together. */
export function registerLifecyclePaths(registry: OpenAPIRegistry): void {
  const headers = AuthHeadersSchema.omit({ authorization: true });
  const postHeaders = headers.extend(IdempotencyHeaderSchema.shape);
  const security = [{ bearerToken: [] }];

  registry.registerPath({
    method: 'post',
    path: '/v1/registrations',
    summary: 'Register a deal as a partner user, checked for conflicts',
    security,
    request: {
      headers: postHeaders,
      body: {
        content: {
          'application/json': { schema: CreateRegistrationBodySchema },
        },
      },
    },
    responses: {
      201: jsonContent(
        RegistrationSchema,
        'The Submitted registration with its conflict status and the records it matched.',
      ),
      ...COMMON_ERRORS,
      ...BODY_ERRORS,
      422: problems('Idempotency key reused with a different body.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/registrations/{registrationId}',
    summary: 'One deal registration; partner users read only their own',
    security,
    request: { params: RegistrationParamsSchema, headers },
    responses: {
      200: jsonContent(
        RegistrationSchema,
        'The registration, expired if its time ran out.',
      ),
      ...COMMON_ERRORS,
      404: problems('No such registration (`registration_not_found`).'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/registrations/{registrationId}/approve',
    summary:
      'Approve as a channel manager: create the deal at the first stage or link an opportunity',
    security,
    request: {
      params: RegistrationParamsSchema,
      headers: postHeaders,
      body: {
        content: {
          'application/json': { schema: ApproveRegistrationBodySchema },
        },
      },
    },
    responses: {
      200: jsonContent(
        z
          .object({ registration: RegistrationSchema, deal: DealSchema })
          .openapi('Approval'),
        'The Converted registration and its deal.',
      ),
      ...COMMON_ERRORS,
      ...BODY_ERRORS,
      404: problems('No such registration or opportunity.'),
      409: problems(
        'Already decided (`registration_decided`), a conflict with another registration or deal (`registration_conflict`), or a closed opportunity.',
      ),
      422: problems(
        'The vendor owner or the submitter cannot own the deal (`invalid_owner`).',
      ),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/registrations/{registrationId}/reject',
    summary: 'Reject as a channel manager, with a reason',
    security,
    request: {
      params: RegistrationParamsSchema,
      headers: postHeaders,
      body: {
        content: {
          'application/json': { schema: RejectRegistrationBodySchema },
        },
      },
    },
    responses: {
      200: jsonContent(RegistrationSchema, 'The Rejected registration.'),
      ...COMMON_ERRORS,
      ...BODY_ERRORS,
      404: problems('No such registration (`registration_not_found`).'),
      409: problems('Already decided (`registration_decided`).'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/agenda',
    summary:
      'The joint sync agenda, as JSON or, with Accept: text/markdown, for the meeting',
    security,
    request: { query: AgendaQuerySchema, headers },
    responses: {
      200: {
        description:
          'The agenda of the partner asked for, or of every partner.',
        content: {
          'application/json': { schema: AgendaSchema },
          'text/markdown': { schema: z.string() },
        },
      },
      ...COMMON_ERRORS,
      ...PARTNER_ACCOUNT_ERRORS,
      406: problems('The Accept header allows neither JSON nor markdown.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/forecast',
    summary:
      'Forecast of a fiscal quarter or year from calibrated stage win rates',
    security,
    request: { query: ForecastQuerySchema, headers },
    responses: {
      200: jsonContent(
        ForecastSchema,
        'Expected amount, P10-P90 band and totals by stage and category in the corporate currency, as decimal text. The totals are exact for any amount that Amount allows (16 digits before the point).',
      ),
      ...CALCULATION_ERRORS,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/backtest',
    summary: 'The forecast replayed for past quarters against what was won',
    security,
    request: { query: BacktestQuerySchema, headers },
    responses: {
      200: jsonContent(
        BacktestSchema,
        'Accuracy per quarter, per partner and overall.',
      ),
      ...CALCULATION_ERRORS,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/partners/scorecard',
    summary:
      'Partner scorecards: registrations, conversion, win rate, revenue, accuracy',
    security,
    request: { query: ScorecardQuerySchema, headers },
    responses: {
      200: jsonContent(ScorecardsSchema, 'One scorecard per partner.'),
      ...CALCULATION_ERRORS,
      ...PARTNER_ACCOUNT_ERRORS,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/reports/{name}',
    summary:
      'Ops report as a download: pipeline, stage-history, attribution, scorecard, funnel, forecast or agenda',
    description:
      'Vendor-side users only. The format comes from ?format= or the Accept header; each report lists the formats it offers (csv, json, ndjson, md, svg).',
    security,
    request: {
      params: z.object({
        name: z.enum([
          'pipeline',
          'stage-history',
          'attribution',
          'scorecard',
          'funnel',
          'forecast',
          'agenda',
        ]),
      }),
      query: ReportQuerySchema,
      headers,
    },
    responses: {
      200: {
        description:
          'The report, streamed, with Content-Disposition naming the download file.',
        content: {
          'text/csv': { schema: z.string() },
          'application/json': {
            schema: z.array(z.record(z.string(), z.unknown())),
          },
          'application/x-ndjson': { schema: z.string() },
          'text/markdown': { schema: z.string() },
          'image/svg+xml': { schema: z.string() },
        },
      },
      ...COMMON_ERRORS,
      404: problems(
        'The path names no report (`not_found`); `fix` lists the report names.',
      ),
      406: problems("The Accept header allows none of the report's formats."),
    },
  });
}

import { randomUUID } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { CosellContext } from '../app/cosell-context.js';
import { StoreUnavailableError } from '../org/errors.js';
import { pathMethods } from './allowed-methods.js';
import { authenticate } from './auth.js';
import { buildOpenApiDocument } from './openapi.js';
import { bodyParserProblem, jsonBody } from './json-body.js';
import { echoText } from './echoed-text.js';
import {
  HttpProblem,
  problem,
  toProblem,
  type MappedProblem,
} from './problem.js';
import { completionFields, recordProblemCode } from './request-log.js';
import { StoreNotReadyError } from './store-readiness.js';
import type { StoreReadiness } from './store-readiness.js';
import { dealRoutes } from './routes/deals.js';
import { stageRequestRoutes } from './routes/stage-requests.js';

export interface AppOptions {
  apiToken: string;
  /** Requests per minute per client address; 0 turns the limit off. */
  rateLimitPerMinute?: number;
  /**
   * Proxies whose `X-Forwarded-For` names the client, in express's `trust proxy`
   * terms; false (the default) takes the address of the connection.
   */
  trustProxy?: false | string[];
  /** Extra `/v1` routers, such as the lifecycle and report endpoints. */
  extraRoutes?: Array<(ctx: CosellContext) => express.Router>;
  /** The store check of /readyz; without it, /readyz reports ready. */
  readiness?: Pick<StoreReadiness, 'requireReady' | 'recordUnavailable'>;
}

const REQUEST_ID_PATTERN = /^[\w.:-]{1,100}$/;

/** Builds the express app: logging, auth, validated routes and problem+json errors. */
export function createApp(
  ctx: CosellContext,
  options: AppOptions,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id =
          typeof given === 'string' && REQUEST_ID_PATTERN.test(given)
            ? given
            : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : 'info',
      customSuccessObject: completionFields,
      customErrorObject: (req, res, _error, val) =>
        completionFields(req, res, val),
      // The serializers get the request and response themselves. pino-http's
      // wrappers would first copy every header and look up the peer address.
      wrapSerializers: false,
      serializers: {
        // The path only: a query string, or the user information of an absolute
        // request target, may carry a secret a client put there.
        req: (req: Request) => ({
          id: req.id,
          method: req.method,
          url: req.path,
        }),
        res: (res: Response) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  const openApi = buildOpenApiDocument();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res, next) => {
    try {
      await options.readiness?.requireReady();
      res.json({ status: 'ready' });
    } catch (error) {
      next(notReadyProblem(error));
    }
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  const v1 = express.Router();
  if (options.rateLimitPerMinute) {
    v1.use(
      rateLimit({
        windowMs: 60_000,
        limit: options.rateLimitPerMinute,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        // These checks print a stack to stderr, outside the JSON log. A trusted proxy
        // may forward a malformed X-Forwarded-For, which still keys the count. Any
        // client may send the header when no proxy is trusted, and then it is ignored.
        validate: { ip: false, xForwardedForHeader: false },
        handler: (_req, _res, next) =>
          next(
            new HttpProblem(
              'rate_limited',
              `More than ${options.rateLimitPerMinute} requests in a minute.`,
              'Wait for the time in the RateLimit header, then retry.',
            ),
          ),
      }),
    );
  }
  v1.use(authenticate(options.apiToken));
  v1.use(jsonBody());
  v1.use(dealRoutes(ctx));
  v1.use(stageRequestRoutes(ctx));
  for (const routes of options.extraRoutes ?? []) v1.use(routes(ctx));
  app.use('/v1', v1);

  const methodsOf = pathMethods(openApi, {
    '/healthz': ['get'],
    '/readyz': ['get'],
    '/openapi.json': ['get'],
  });
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const known = methodsOf(req.path);
    if (known && !known.methods.includes(req.method)) {
      next(
        new HttpProblem(
          'method_not_allowed',
          `${req.method} is not allowed on ${known.template}.`,
          `Send ${known.methods.join(', ')}; GET /openapi.json lists the methods of each path.`,
          { value: req.method },
          { Allow: known.methods.join(', ') },
        ),
      );
      return;
    }
    next(
      new HttpProblem(
        'not_found',
        `No route for ${req.method} ${req.path}.`,
        'See GET /openapi.json for the available paths.',
        { value: req.path },
      ),
    );
  });
  app.use(errorHandler(options.readiness));
  return app;
}

/** Builds the 503 problem of /readyz, with the reason in the detail. */
function notReadyProblem(error: unknown): HttpProblem {
  const detail =
    error instanceof StoreNotReadyError
      ? error.message
      : 'The store of record is not ready.';
  return new HttpProblem(
    'store_unavailable',
    detail,
    'Try again shortly; if it persists, check the middleware logs for the cause.',
    {
      status: 503,
      value: error instanceof StoreNotReadyError ? error.since : null,
    },
  );
}

/**
 * Returns a 400 for a path the router cannot decode, such as `/v1/deals/%E0%A4`:
 * express raises a URIError with status 400 for a malformed percent-encoding.
 */
function pathProblem(
  error: unknown,
  req: Request,
): ReturnType<typeof toProblem> | null {
  if (!(error instanceof URIError)) return null;
  if ((error as URIError & { status?: number }).status !== 400) return null;
  const echoedPath = echoText(req.path);
  return {
    problem: problem(
      'invalid_request',
      `The path ${echoedPath.text} has an invalid percent-encoding.${echoedPath.note}`,
      'Percent-encode each path segment as UTF-8, as encodeURIComponent does.',
      { value: echoedPath.text },
    ),
    expected: true,
  };
}

function errorHandler(readiness: AppOptions['readiness']) {
  return (
    error: unknown,
    req: Request,
    res: Response,
    _next: NextFunction,
  ): void => {
    const body: MappedProblem =
      bodyParserProblem(error) ?? pathProblem(error, req) ?? toProblem(error);
    // pino-http logs this error on its completion line, with the request id and
    // the acting user. A line of its own here would log each failure twice.
    if (!body.expected || body.problem.status >= 500) {
      res.err = error instanceof Error ? error : new Error(String(error));
    }
    // Only a StoreUnavailableError marks /readyz not ready. A record lock is a
    // RecordLockedError, because it fails only the calls on that record.
    if (error instanceof StoreUnavailableError) {
      readiness?.recordUnavailable(error);
    }
    if (error instanceof HttpProblem) res.set(error.headers);
    if (body.headers) res.set(body.headers);
    recordProblemCode(res, body.problem.code);
    res
      .status(body.problem.status)
      .type('application/problem+json')
      .json({ ...body.problem, instance: req.originalUrl.split('?')[0] });
  };
}

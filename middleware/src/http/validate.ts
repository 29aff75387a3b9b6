import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { echoText } from './echoed-text.js';
import { HttpProblem, zodProblem } from './problem.js';
import { requestErrorMap } from './zod-messages.js';

interface Schemas<P, B, Q> {
  params?: z.ZodType<P>;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
}

export interface Validated<P, B, Q> {
  params: P;
  body: B;
  query: Q;
}

declare module 'express-serve-static-core' {
  interface Request {
    validated?: unknown;
  }
}

/** The query of a route that takes no query parameters. */
const NO_QUERY = z.strictObject({});

/**
 * Validates params, body and query with zod in one step; a failure is a 400.
 * Without a query schema, the route takes no query parameters, so that a client
 * never mistakes an ignored `?limit=` or `?fields=` for one that applied.
 */
export function validate<P = unknown, B = unknown, Q = unknown>(
  schemas: Schemas<P, B, Q>,
) {
  // The parse options are built once per route, not on every request.
  const parts = (['params', 'body', 'query'] as const).flatMap((where) => {
    const schema: z.ZodType | undefined =
      where === 'query' ? (schemas.query ?? NO_QUERY) : schemas[where];
    if (!schema) return [];
    // reportInput puts the rejected value on each issue, for the problem's value.
    const options = {
      reportInput: true,
      error: requestErrorMap(schema, where),
    };
    return [{ where, schema, options }];
  });
  return (req: Request, _res: Response, next: NextFunction): void => {
    const result: Record<string, unknown> = {};
    for (const { where, schema, options } of parts) {
      const input = where === 'body' ? (req.body ?? {}) : req[where];
      if (where === 'query') {
        const repeated = repeatedParameter(input);
        if (repeated) {
          next(repeated);
          return;
        }
      }
      const parsed = schema.safeParse(input, options);
      if (!parsed.success) {
        const p = zodProblem(parsed.error, where, input);
        const invalidId = parsed.error.issues.every((i) =>
          i.message.includes('Salesforce Id'),
        );
        next(
          new HttpProblem(
            invalidId ? 'invalid_id' : 'invalid_request',
            p.detail,
            p.fix,
            { issues: p.issues, value: p.value },
          ),
        );
        return;
      }
      result[where] = parsed.data;
    }
    req.validated = result;
    next();
  };
}

/**
 * Returns a 400 problem for a query parameter given more than once, such as
 * `?a=1&a=2`, which express parses to an array that no query schema accepts.
 */
function repeatedParameter(query: unknown): HttpProblem | null {
  if (typeof query !== 'object' || query === null) return null;
  for (const [name, value] of Object.entries(query)) {
    if (!Array.isArray(value)) continue;
    const echoed = echoText(name);
    return new HttpProblem(
      'invalid_request',
      `The query parameter ${echoed.text} is given ${value.length} times.${echoed.note}`,
      `Send ${echoed.text} once.`,
      { value: echoed.text },
    );
  }
  return null;
}

export function validated<P, B, Q>(req: Request): Validated<P, B, Q> {
  return req.validated as Validated<P, B, Q>;
}

import type { Request } from 'express';
import type { IdempotencyInput } from '../app/cosell-context.js';
import { fingerprintRequest, scopeIdempotencyKey } from '../app/idempotency.js';
import { HttpProblem, MAX_ECHOED_CHARS } from './problem.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,100}$/;

/** Reads `Idempotency-Key`, scoped to the caller; undefined when absent. */
export function idempotencyFrom(req: Request): IdempotencyInput | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new HttpProblem(
      'invalid_request',
      'The Idempotency-Key header must be 1 to 100 printable ASCII characters without spaces.',
      'Send a key such as a UUID.',
      { value: key.slice(0, MAX_ECHOED_CHARS) },
    );
  }
  const actor = req.actor;
  if (!actor) throw new Error('idempotencyFrom runs after authenticate');
  return {
    key: scopeIdempotencyKey(actor.callerId, key),
    fingerprint: fingerprintRequest(
      req.method,
      `${routeOf(req)}|${actor.userId}`,
      req.body ?? {},
    ),
  };
}

/**
 * Returns the route pattern with the validated path parameters, so the 15- and
 * 18-character forms of an Id in the path make the same request.
 */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern !== 'string') return `${req.baseUrl}${req.path}`;
  const params =
    (req.validated as { params?: unknown } | undefined)?.params ?? req.params;
  return `${req.baseUrl}${pattern} ${JSON.stringify(params)}`;
}

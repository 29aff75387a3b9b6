import type { Request } from 'express';
import type { IdempotencyInput } from '../app/cosell-context.js';
import { fingerprintRequest, scopeIdempotencyKey } from '../app/idempotency.js';
import { echoHeader } from './echoed-text.js';
import { HttpProblem } from './problem.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,100}$/;

/** Reads `Idempotency-Key`, scoped to the caller and the acting user; undefined when absent. */
export function idempotencyFrom(req: Request): IdempotencyInput | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    const echoed = echoHeader(key);
    throw new HttpProblem(
      'invalid_request',
      `The Idempotency-Key header is invalid: it must be 1 to 100 printable ASCII characters (U+0021 to U+007E), without spaces, and it has ${key.length === 0 ? 'none' : `"${echoed.text}"`}.${echoed.note}`,
      'Send a key of printable ASCII characters, such as a UUID.',
      { value: echoed.text },
    );
  }
  const actor = req.actor;
  if (!actor) throw new Error('idempotencyFrom runs after authenticate');
  return {
    key: scopeIdempotencyKey(actor.callerId, actor.userId, key),
    clientKey: key,
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

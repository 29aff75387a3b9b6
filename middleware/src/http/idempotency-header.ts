import type { Request } from 'express';
import type { IdempotencyInput } from '../app/cosell-context.js';
import { fingerprintRequest, scopeIdempotencyKey } from '../app/idempotency.js';
import { echoHeader } from './echoed-text.js';
import { HttpProblem } from './problem.js';

const MAX_KEY_LENGTH = 100;
const KEY_CHARACTERS = /^[\x21-\x7e]*$/;

/** Reads `Idempotency-Key`, scoped to the caller and the acting user; undefined when absent. */
export function idempotencyFrom(req: Request): IdempotencyInput | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  const problem = keyProblem(key);
  if (problem) throw problem;
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
 * Returns a 400 problem for a key that is empty, longer than `MAX_KEY_LENGTH`
 * or has a byte outside U+0021 to U+007E, or null for a valid key.
 */
function keyProblem(key: string): HttpProblem | null {
  const rule = `it must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters (U+0021 to U+007E), without spaces`;
  const fix = 'Send a key of printable ASCII characters, such as a UUID.';
  if (key.length === 0) {
    return new HttpProblem(
      'invalid_request',
      `The Idempotency-Key header is empty: ${rule}.`,
      fix,
      { value: '' },
    );
  }
  const echoed = echoHeader(key);
  if (!KEY_CHARACTERS.test(key)) {
    return new HttpProblem(
      'invalid_request',
      `The Idempotency-Key header "${echoed.text}" is invalid: ${rule}. Bytes outside U+0020 to U+007E are shown here as \\xHH.${echoed.note}`,
      fix,
      { value: echoed.text },
    );
  }
  if (key.length > MAX_KEY_LENGTH) {
    return new HttpProblem(
      'invalid_request',
      `The Idempotency-Key header is too long: it has ${key.length} characters, and the maximum is ${MAX_KEY_LENGTH}.${echoed.note}`,
      `Send a key of at most ${MAX_KEY_LENGTH} printable ASCII characters, such as a UUID.`,
      { value: echoed.text },
    );
  }
  return null;
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

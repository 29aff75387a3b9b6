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
      `${req.baseUrl}${req.path}|${actor.userId}`,
      req.body ?? {},
    ),
  };
}

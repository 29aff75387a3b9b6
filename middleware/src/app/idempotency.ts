import { createHash } from 'node:crypto';
import type { IdempotencyRecord } from '../domain/cosell.js';
import type { IdempotencyInput } from './cosell-context.js';

/** How long a used `Idempotency-Key` is kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Scopes a client's key to the caller and the acting user, so two users' keys
 * never collide: a key one user sent does not block or reveal anything to another.
 */
export function scopeIdempotencyKey(
  callerId: string,
  userId: string,
  clientKey: string,
): string {
  return createHash('sha256')
    .update(`${callerId}\n${userId}\n${clientKey}`)
    .digest('hex')
    .slice(0, 64);
}

/** Hashes what the key was used for: the method, the path and the parsed body. */
export function fingerprintRequest(
  method: string,
  path: string,
  body: unknown,
): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function idempotencyRecord(
  input: IdempotencyInput | undefined,
  now: Date,
  responseStatus: number,
  responseBody: Record<string, unknown>,
): IdempotencyRecord | undefined {
  if (!input) return undefined;
  return {
    key: input.key,
    fingerprint: input.fingerprint,
    responseStatus,
    responseBody: JSON.stringify(responseBody),
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
  };
}

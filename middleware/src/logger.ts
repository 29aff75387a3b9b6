import { pino } from 'pino';
import type { Logger } from 'pino';

/** Paths that must never reach a log line. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'accessToken',
  'access_token',
  'token',
  'sessionId',
  'password',
  'privateKey',
  '*.accessToken',
  '*.access_token',
  '*.token',
  '*.sessionId',
  '*.password',
  '*.privateKey',
];

/**
 * Creates the JSON logger. Without a destination it writes to stdout through an
 * asynchronous buffer, because a synchronous write per line costs a request-heavy
 * server a large share of its time. pino flushes the buffer when the process exits.
 */
export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream,
): Logger {
  const options = {
    level,
    base: { service: 'cosell-stages' },
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  if (destination) {
    return pino(options, destination as unknown as pino.DestinationStream);
  }
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

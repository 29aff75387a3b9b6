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

export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream,
): Logger {
  const options = {
    level,
    base: { service: 'cosell-stages' },
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  return destination
    ? pino(options, destination as unknown as pino.DestinationStream)
    : pino(options);
}

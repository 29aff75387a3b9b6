import { pino } from 'pino';
import type { Logger } from 'pino';
import { GatewayError } from './org/errors.js';

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

/** Maximum number of causes that `messageOfChain` follows, so that a cycle of causes ends. */
const MAX_CAUSES = 10;

/**
 * Returns the error's message followed by its causes' messages, as pino's
 * default does, but stops after a `GatewayError`. Its message already lists
 * the errors that the org or the store returned, so each cause would repeat it.
 */
function messageOfChain(error: Error): string {
  let message = error.message;
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES; depth++) {
    if (current instanceof GatewayError || !(current instanceof Error)) break;
    current = current.cause;
    if (current instanceof Error) message += `: ${current.message}`;
  }
  return message;
}

/** Serializes an error as pino's default does, with the message of `messageOfChain`. `stack` still shows every cause. */
function serializeError(error: unknown): unknown {
  // pino's own serializer handles an error-like object that is not an Error.
  if (!(error instanceof Error)) return pino.stdSerializers.err(error as Error);
  const serialized = pino.stdSerializers.err(error);
  serialized.message = messageOfChain(error);
  return serialized;
}

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
    serializers: { err: serializeError },
  };
  if (destination) {
    return pino(options, destination as unknown as pino.DestinationStream);
  }
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

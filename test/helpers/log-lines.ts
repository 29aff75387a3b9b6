import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../middleware/src/logger.js';

/**
 * Returns a stream for a pino logger that passes each non-empty line written to it
 * to `onLine`, so a test can check what was logged.
 */
export function logLineStream(onLine: (line: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of String(chunk).split('\n')) {
        if (line.trim() !== '') onLine(line);
      }
      done();
    },
  });
}

/** Creates a logger that parses each line at info into `lines`, or a silent one without them. */
export function createTestLogger(
  lines?: Array<Record<string, unknown>>,
): Logger {
  if (!lines) return createLogger('silent');
  return createLogger(
    'info',
    logLineStream((line) =>
      lines.push(JSON.parse(line) as Record<string, unknown>),
    ),
  );
}

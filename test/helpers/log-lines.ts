import { Writable } from 'node:stream';

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

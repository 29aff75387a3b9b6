/**
 * Drives one deal through all five stages over HTTP, as a vendor seller and a
 * partner seller, and prints the evidence trail. Exits non-zero when any step does
 * not answer as expected.
 *
 * Without COSELL_URL it starts a middleware on a free port with a temporary store.
 * With COSELL_URL it needs COSELL_API_TOKEN and COSELL_DB_PATH (the local store of that
 * middleware), because the demo writes the deal's evidence into the store directly,
 * as sellers would in Salesforce.
 *
 * SIGINT and SIGTERM stop the middleware the demo started, delete its temporary
 * store and exit with 128 plus the signal number (130 and 143). When the reader
 * of stdout goes away (EPIPE, as in `npm run demo | head`), the demo does the
 * same quietly and exits 0. With COSELL_URL, a stop prints the Id and name of
 * the deal the demo left part-way in that middleware's store, also on EPIPE.
 */
import { CleanupSteps } from './demo/cleanup-steps.js';
import { describeLeftDeals } from './demo/left-deals.js';
import type { CreatedDeal } from './demo/left-deals.js';
import { handleStdoutErrors } from './stdout-errors.js';

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

const cleanup = new CleanupSteps();
/** The COSELL_URL value, set when the demo calls a middleware it did not start. */
const givenUrl = process.env['COSELL_URL'];
/** The deals this run wrote into the store, filled in by `runDemo`. */
const createdDeals: CreatedDeal[] = [];
/** Set once a signal or a closed stdout stops the demo, whose cleanup then exits. */
let stopping = false;

/** Runs the cleanup steps once, then exits with `code`. */
function cleanUpAndExit(code: number): void {
  stopping = true;
  cleanup.run().then(
    () => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(code);
    },
  );
}

/**
 * Returns the message of a stop by `signal`. With COSELL_URL the demo started
 * no middleware and no store, and it names the deal it leaves in the given store.
 */
function stoppedMessage(signal: string): string {
  if (!givenUrl) {
    return `Demo stopped by ${signal}; stopping its middleware and deleting its temporary store.`;
  }
  if (createdDeals.length === 0) {
    return `Demo stopped by ${signal} before it created a deal in the store of the middleware at COSELL_URL.`;
  }
  return `Demo stopped by ${signal}. ${describeLeftDeals(createdDeals, process.env['COSELL_DB_PATH'] ?? '')}`;
}

// Installed before the demo's modules load, which takes a second or two, so a
// signal during the load also gets its message.
for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
  process.once(signal, () => {
    process.stderr.write(`\n${stoppedMessage(signal)}\n`);
    cleanUpAndExit(code);
  });
}

handleStdoutErrors('demo', {
  onClosed: () => {
    if (stopping) return;
    // Quiet unless the closed output hides a deal left in a given store.
    if (givenUrl && createdDeals.length > 0) {
      process.stderr.write(
        `Demo output closed (EPIPE). ${describeLeftDeals(createdDeals, process.env['COSELL_DB_PATH'] ?? '')}\n`,
      );
    }
    cleanUpAndExit(0);
  },
  onFailed: () => {
    if (!stopping) cleanUpAndExit(1);
  },
});

const { runDemo } = await import('./demo/run-demo.js');
try {
  process.exitCode = await runDemo(cleanup, createdDeals);
} catch (error) {
  // After a signal or a closed stdout, cleanUpAndExit exits once the cleanup is
  // done, so a call that the stopped middleware cut short is not an error to report.
  if (!stopping) {
    await cleanup.run().catch(() => undefined);
    throw error;
  }
}
await cleanup.run();

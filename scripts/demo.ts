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
 * store and exit with 128 plus the signal number (130 and 143).
 */
import path from 'node:path';
import { PACKAGE_ROOT } from '../middleware/src/config.js';
import { openLocalGateway } from '../middleware/src/org/local/local-gateway.js';
import { CleanupSteps } from './demo/cleanup-steps.js';
import { DemoClient, DemoStepError } from './demo/demo-client.js';
import { createDemoDeal } from './demo/demo-deal.js';
import {
  connectToGivenMiddleware,
  DemoSetupError,
  startOwnMiddleware,
} from './demo/demo-target.js';
import { printTrail } from './demo/print-trail.js';

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

const cleanup = new CleanupSteps();
let interrupted = false;

for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(
      `\nDemo stopped by ${signal}; stopping its middleware and deleting its temporary store.\n`,
    );
    cleanup.run().then(
      () => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(code);
      },
    );
  });
}

async function main(): Promise<number> {
  const given = process.env['COSELL_URL'];
  let target;
  try {
    target = given
      ? await connectToGivenMiddleware(process.env, given)
      : await startOwnMiddleware(process.env, cleanup);
  } catch (error) {
    if (error instanceof DemoSetupError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (!given) {
    process.stdout.write(
      `Started a middleware for the demo at ${target.url}\n`,
    );
  }

  const store = await openLocalGateway({
    dbPath: target.dbPath,
    packageDir: path.join(PACKAGE_ROOT, 'force-app'),
  });
  cleanup.add(() => store.close());
  try {
    const deal = await createDemoDeal(store);
    const client = new DemoClient(target.url, target.token);
    await client.walkThrough(deal, store);
    await printTrail(client, deal);
    process.stdout.write(
      `\nAll ${client.stepCount} steps behaved as expected.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DemoStepError) {
      process.stderr.write(`\nDemo failed: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  // After a signal the handler exits once the cleanup is done, so a call that
  // the stopped middleware cut short is not an error to report.
  if (!interrupted) {
    await cleanup.run().catch(() => undefined);
    throw error;
  }
}
await cleanup.run();

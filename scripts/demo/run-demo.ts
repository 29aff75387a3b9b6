import path from 'node:path';
import { PACKAGE_ROOT } from '../../middleware/src/config.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import type { CleanupSteps } from './cleanup-steps.js';
import { DemoClient, DemoStepError } from './demo-client.js';
import { createDemoDeal } from './demo-deal.js';
import { describeLeftDeals } from './left-deals.js';
import type { CreatedDeal } from './left-deals.js';
import {
  connectToGivenMiddleware,
  DemoSetupError,
  startOwnMiddleware,
} from './demo-target.js';
import { printTrail } from './print-trail.js';

/**
 * Runs the demo and returns its exit code: 0 when every step behaved as
 * expected, 1 when a step did not, and 2 when a setting is invalid. It adds
 * the steps that stop its middleware and delete its store to `cleanup`, and
 * the caller runs them. It appends the deal it creates to `createdDeals` as
 * soon as the deal is in the store, so that a stopped run can name it.
 */
export async function runDemo(
  cleanup: CleanupSteps,
  createdDeals: CreatedDeal[],
): Promise<number> {
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
    createdDeals.push({ id: deal.dealId, name: deal.name });
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
      // The demo's own store is deleted, but a given store keeps the deal.
      if (given && createdDeals.length > 0) {
        process.stderr.write(
          `${describeLeftDeals(createdDeals, target.dbPath)}\n`,
        );
      }
      return 1;
    }
    throw error;
  }
}

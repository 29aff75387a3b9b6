import type { Logger } from 'pino';
import type { CosellContext } from '../app/cosell-context.js';
import type { LocalGateway } from '../org/local/local-gateway.js';
import { seedDemo } from './seed-demo.js';

/**
 * Seeds the demo org into a local store without deals, as the start does, and
 * warns about a store with deals but no users, naming the seed command that
 * adds users to the store file `dbPath`. Of two starts on one new store, only
 * the one that claims the seeding seeds it, so the other does not fail on the
 * first one's pending requests. Returns the function that logs what was
 * seeded, which the start calls once it listens, so a start that fails lists
 * no demo users of a store it removes.
 */
export async function seedDemoOnStart(
  ctx: CosellContext,
  local: LocalGateway,
  log: Logger,
  dbPath: string,
): Promise<() => void> {
  const logNothing = () => undefined;
  const deals = await local.countRecords('Opportunity');
  if (deals > 0) {
    if ((await local.countRecords('User')) === 0) {
      log.warn(
        { deals, dbPath },
        'the store has deals but no users, so no call can name an acting user; ' +
          `to add the demo users and keep the deals, run npm run seed -- --db ${dbPath} --users, ` +
          "or import the org's User records",
      );
    } else {
      log.info({ deals }, 'the store has deals, so the demo org is not seeded');
    }
    return logNothing;
  }
  if (!(await local.claimDemoSeeding())) {
    log.info('another start is seeding the demo org into this store');
    return logNothing;
  }
  let summary: Awaited<ReturnType<typeof seedDemo>>;
  try {
    summary = await seedDemo(ctx, local);
  } catch (error) {
    await local.releaseDemoSeeding();
    throw error;
  }
  return () => {
    log.info(
      {
        deals: summary.deals,
        openDeals: summary.openDeals,
        transitions: summary.transitions,
        pendingRequests: summary.pendingRequests,
        history: summary.history,
      },
      'seeded the demo org',
    );
    for (const user of summary.users) {
      log.info(user, 'demo user');
    }
  };
}

/**
 * Seeds the demo org into a local store without starting the middleware:
 *   npm run seed -- [--db PATH] [--users]
 * It writes the same data that `npm start` seeds into an empty store. A store
 * that already has deals is left unchanged, so running it twice is harmless.
 * With --users it writes only the demo users and the records they need, for a
 * store with imported deals but no users, and rejects a store that does not exist.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCosellContext } from '../middleware/src/bootstrap.js';
import { loadBaseConfig, requirePackageDir } from '../middleware/src/config.js';
import {
  DemoSeedError,
  seedDemo,
  seedDemoUsers,
} from '../middleware/src/demo/seed-demo.js';
import type { DemoSummary } from '../middleware/src/demo/seed-demo.js';
import { createLogger } from '../middleware/src/logger.js';
import { openLocalGateway } from '../middleware/src/org/local/local-gateway.js';
import { noteStoreFiles } from '../middleware/src/start-files.js';
import { runScript } from './run-script.js';

const USAGE =
  'Usage: npm run seed -- [--db PATH] [--users]\n' +
  '  --db     the local store file to seed (default: COSELL_DB_PATH or .cosell/cosell.db)\n' +
  '  --users  add only the demo users, their partner accounts, contacts and permission\n' +
  '           sets, to a store that has deals but no users; its deals are kept\n';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        db: { type: 'string' },
        users: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadBaseConfig();
  await requirePackageDir(config);
  // Resolved only for the output, so that opening the store rejects an empty --db.
  const dbArgument = args.values.db ?? config.COSELL_DB_PATH;
  const dbPath = path.resolve(dbArgument);
  // Logs go to stderr, so stdout keeps only the summary below.
  const logger = createLogger(
    process.env['COSELL_LOG_LEVEL'] ?? 'warn',
    process.stderr,
  );
  // Checked before opening, which would create the store.
  if (args.values.users && !existsSync(dbPath)) {
    process.stderr.write(
      `--users adds the demo users to an existing store with deals, but ${dbPath} does not exist. ` +
        `To create and seed a new store, run: npm run seed -- --db ${dbPath} ` +
        `(or start the middleware on it: COSELL_DB_PATH=${dbPath} npm start)\n`,
    );
    return 2;
  }
  const storeFiles = noteStoreFiles(dbArgument);
  let gateway;
  try {
    gateway = await openLocalGateway({
      dbPath: dbArgument,
      packageDir: config.COSELL_PACKAGE_DIR,
      logger,
    });
  } catch (error) {
    // Opening creates the store's folders before SQLite can fail on the file.
    storeFiles.removeNew();
    throw error;
  }
  try {
    const existing = await gateway.countRecords('Opportunity');
    const users = await gateway.countRecords('User');
    if (args.values.users) {
      if (users > 0) {
        process.stdout.write(
          `${dbPath} already has ${users} users; nothing seeded.\n`,
        );
        return 0;
      }
      let added;
      try {
        added = await seedDemoUsers(gateway);
      } catch (error) {
        if (!(error instanceof DemoSeedError)) throw error;
        process.stderr.write(`${error.message}\n`);
        return 2;
      }
      process.stdout.write(
        `Added ${added.length} demo users to ${dbPath}; its ${existing} deals are unchanged\n`,
      );
      printUsers(added);
      return 0;
    }
    // Exits 1, so that a script can tell this from a seeded store.
    if (existing > 0 && users === 0) {
      process.stderr.write(
        `${dbPath} has ${existing} deals but no User records, so no call can name an acting user; nothing seeded. ` +
          `To add the demo users and keep the deals, run: npm run seed -- --db ${dbPath} --users\n`,
      );
      return 1;
    }
    if (existing > 0) {
      process.stdout.write(
        `${dbPath} already has ${existing} deals; nothing seeded. ` +
          'To seed a new store, pass another path with --db.\n',
      );
      return 0;
    }
    const ctx = await createCosellContext(gateway, {
      timeZone: config.COSELL_TIME_ZONE,
      logger,
    });
    let summary;
    try {
      summary = await seedDemo(ctx, gateway);
    } catch (error) {
      if (!(error instanceof DemoSeedError)) throw error;
      await gateway.close();
      storeFiles.removeNew();
      process.stderr.write(
        `${error.message}\n` +
          (storeFiles.storeExisted
            ? `${dbPath} now holds part of the demo data; delete it and seed again.\n`
            : `The new store ${dbPath} was removed.\n`),
      );
      return 2;
    }
    process.stdout.write(
      `Seeded ${summary.deals} demo deals with ${summary.transitions} moves and ` +
        `${summary.pendingRequests} pending requests into ${dbPath}\n`,
    );
    if (summary.history) {
      process.stdout.write(
        `Generated history: ${summary.history.registrations} registrations, ` +
          `${summary.history.deals} deals (${summary.history.closedDeals} closed), ` +
          `${summary.history.transitions} moves\n`,
      );
    }
    printUsers(summary.users);
    return 0;
  } finally {
    await gateway.close();
  }
}

function printUsers(users: DemoSummary['users']): void {
  for (const user of users) {
    const account = user.account ? `, ${user.account}` : '';
    process.stdout.write(
      `  ${user.id}  ${user.name} (${user.role}${account})\n`,
    );
  }
}

await runScript('seed', main);

/**
 * Drives one deal through all five stages over HTTP, as a vendor seller and a
 * partner seller, and prints the evidence trail. Exits non-zero when any step does
 * not answer as expected.
 *
 * Without COSELL_URL it starts a middleware on a free port with a temporary store.
 * With COSELL_URL it needs COSELL_API_TOKEN and COSELL_DB_PATH (the local store of that
 * middleware), because the demo writes the deal's evidence into the store directly,
 * as sellers would in Salesforce.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../middleware/src/config.js';
import { createLogger } from '../middleware/src/logger.js';
import { openLocalGateway } from '../middleware/src/org/local/local-gateway.js';
import { startServer } from '../middleware/src/server.js';
import { DemoClient, DemoStepError } from './demo/demo-client.js';
import { createDemoDeal } from './demo/demo-deal.js';
import { printTrail } from './demo/print-trail.js';

async function main(): Promise<number> {
  const given = process.env['COSELL_URL'];
  let url: string;
  let token: string;
  let dbPath: string;
  let stop: () => Promise<void> = async () => {};
  if (given) {
    token = process.env['COSELL_API_TOKEN'] ?? '';
    dbPath = process.env['COSELL_DB_PATH'] ?? '';
    if (!token || !dbPath) {
      process.stderr.write(
        "COSELL_URL is set, so the demo also needs COSELL_API_TOKEN (the middleware's token) " +
          'and COSELL_DB_PATH (its local store file). Set both, or unset COSELL_URL to let ' +
          'the demo start its own middleware.\n',
      );
      return 2;
    }
    url = given.replace(/\/$/, '');
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'cosell-demo-'));
    dbPath = path.join(dir, 'demo.db');
    token = randomBytes(32).toString('hex');
    const running = await startServer(
      {
        PORT: '0',
        COSELL_DB_PATH: dbPath,
        COSELL_API_TOKEN: token,
        COSELL_LOG_LEVEL: process.env['COSELL_LOG_LEVEL'] ?? 'error',
        COSELL_PACKAGE_DIR: path.join(PACKAGE_ROOT, 'force-app'),
        COSELL_TIME_ZONE: process.env['COSELL_TIME_ZONE'] ?? 'UTC',
      },
      createLogger(process.env['COSELL_LOG_LEVEL'] ?? 'error'),
    );
    url = running.url;
    stop = async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    };
    process.stdout.write(`Started a middleware for the demo at ${url}\n`);
  }

  const store = await openLocalGateway({
    dbPath,
    packageDir: path.join(PACKAGE_ROOT, 'force-app'),
  });
  try {
    const deal = await createDemoDeal(store);
    const client = new DemoClient(url, token);
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
  } finally {
    await store.close();
    await stop();
  }
}

process.exitCode = await main();

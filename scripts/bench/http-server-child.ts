/**
 * The server side of the HTTP benchmark, run in its own process so the load
 * generator does not share its CPU. Modes: the full middleware on a prepared store,
 * a bare express JSON handler, or the middleware's HTTP stack with handlers that
 * send recorded replies without touching the store. Prints one JSON line with the
 * URL when listening.
 */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import { createApp } from '../../middleware/src/http/app.js';
import { createLogger } from '../../middleware/src/logger.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { startServer } from '../../middleware/src/server.js';
import { recordedReplyRoutes } from './recorded-replies.js';
import type { RecordedReplies } from './recorded-replies.js';

function announce(server: Server): void {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`,
  );
}

/**
 * Starts the middleware's app (helmet, pino-http, bearer check, JSON body, zod
 * validation and problem+json errors) with the recorded-reply routes, on the
 * prepared store, which those routes never read or write.
 */
async function startStack(env: NodeJS.ProcessEnv): Promise<void> {
  const replies = JSON.parse(
    env['COSELL_BENCH_REPLIES'] ?? '',
  ) as RecordedReplies;
  const logger = createLogger(env['COSELL_LOG_LEVEL'] ?? 'info');
  const gateway = await openLocalGateway({
    dbPath: env['COSELL_DB_PATH'] ?? '',
    packageDir: env['COSELL_PACKAGE_DIR'] ?? '',
    logger,
  });
  const ctx = await createCosellContext(gateway, {
    timeZone: 'UTC',
    logger,
  });
  const app = createApp(ctx, {
    apiToken: env['COSELL_API_TOKEN'] ?? '',
    extraRoutes: [() => recordedReplyRoutes(replies)],
  });
  const server = app.listen(0, '127.0.0.1', () => announce(server));
}

const mode = process.argv[2];
if (mode !== 'cosell') {
  // Exiting on SIGTERM, instead of being killed by it, lets --cpu-prof write a profile.
  process.once('SIGTERM', () => process.exit(0));
}
if (mode === 'bare') {
  const app = express();
  app.use(express.json());
  app.post('/{*path}', (req, res) => {
    res
      .status(201)
      .json({ id: 'a0B000000000001AAA', echo: req.body as unknown });
  });
  const server = app.listen(0, '127.0.0.1', () => announce(server));
} else if (mode === 'stack') {
  await startStack(process.env);
} else {
  const running = await startServer({
    ...process.env,
    PORT: '0',
    COSELL_SEED_DEMO: 'false',
    COSELL_EXPIRY_SWEEP_SECONDS: '0',
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  process.once('SIGTERM', () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

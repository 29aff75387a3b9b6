/**
 * The server side of the HTTP benchmark, run in its own process so the load
 * generator does not share its CPU: either the full middleware on a prepared store or
 * a bare express JSON handler. Prints one JSON line with the URL when listening.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { startServer } from '../../middleware/src/server.js';

const mode = process.argv[2];
if (mode === 'bare') {
  const app = express();
  app.use(express.json());
  app.post('/{*path}', (req, res) => {
    res
      .status(201)
      .json({ id: 'a0B000000000001AAA', echo: req.body as unknown });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(
      `${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`,
    );
  });
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

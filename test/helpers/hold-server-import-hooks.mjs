/**
 * Module hooks of hold-server-import.mjs. They run on Node's loader thread, so
 * they report through a file rather than through the main thread's streams.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';

/** How long the load of server.js is held, in milliseconds: longer than any test waits. */
const HOLD_MS = 60_000;

export async function load(url, context, nextLoad) {
  const marker = process.env['COSELL_TEST_IMPORT_MARKER'];
  if (marker && url.endsWith('/middleware/src/server.js')) {
    writeFileSync(marker, 'held\n');
    await delay(HOLD_MS);
  }
  return nextLoad(url, context);
}

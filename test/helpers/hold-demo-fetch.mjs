/**
 * Preload for the demo script's signal tests (`node --import`): every `fetch`
 * call never settles, and the first one writes the line "fetch held" to
 * stdout, so a test can send a signal while the demo is sure to be mid-run.
 * With HOLD_FETCH_PATH set, only calls whose URL contains it are held, and
 * the others go to the real `fetch`.
 */
import process from 'node:process';
import { setInterval } from 'node:timers';

const realFetch = globalThis.fetch;
const holdPath = process.env['HOLD_FETCH_PATH'];
let held = false;
globalThis.fetch = (input, init) => {
  if (holdPath && !String(input).includes(holdPath)) {
    return realFetch(input, init);
  }
  if (!held) process.stdout.write('fetch held\n');
  held = true;
  // Keeps the process alive while the call is held, as an open socket would.
  setInterval(() => undefined, 60_000);
  return new Promise(() => {});
};

/**
 * Preload for the demo script's signal tests (`node --import`): every `fetch`
 * call never settles, and the first one writes the line "fetch held" to
 * stdout, so a test can send a signal while the demo is sure to be mid-run.
 */
import process from 'node:process';

let held = false;
globalThis.fetch = () => {
  if (!held) process.stdout.write('fetch held\n');
  held = true;
  return new Promise(() => {});
};

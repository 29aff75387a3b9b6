/**
 * Preload for the test of a signal while `npm start` loads its modules
 * (`node --import`): it registers module hooks that hold the load of
 * `middleware/src/server.js`. When that load begins, start.js has installed
 * its signal handlers, so the hooks write the file that
 * COSELL_TEST_IMPORT_MARKER names, and the test sends its signal then.
 */
import { register } from 'node:module';

register('./hold-server-import-hooks.mjs', import.meta.url);

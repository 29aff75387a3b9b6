import { ConfigError } from '../middleware/src/config.js';
import { ModelLoadError } from '../middleware/src/domain/stage-model.js';
import { ImportFileError } from '../middleware/src/import/data-tree.js';
import { ForceAppError } from '../middleware/src/org/force-app/index.js';
import { StoreSchemaError } from '../middleware/src/org/local/migrations.js';
import {
  StoreFolderError,
  StorePathError,
} from '../middleware/src/org/local/store-path.js';
import { handleStdoutErrors } from './stdout-errors.js';

/** Errors a user fixes from their message alone: configuration, files and models. */
const USER_ERRORS = [
  ConfigError,
  StoreSchemaError,
  StoreFolderError,
  StorePathError,
  ModelLoadError,
  ForceAppError,
  ImportFileError,
];

/**
 * Runs a script's `main` and sets the exit code to its result. A user error prints
 * its message without a stack and exits 2; any other error is raised. When the
 * reader of stdout goes away (EPIPE, as in `| head -1`), the script still
 * finishes its work and exits with its own code, because its output is only a
 * summary of that work. Any other stdout write error makes an exit code of 0 a 1.
 */
export async function runScript(
  name: string,
  main: () => Promise<number>,
): Promise<void> {
  let writeFailed = false;
  handleStdoutErrors(name, {
    onClosed: () => undefined,
    onFailed: () => {
      writeFailed = true;
    },
  });
  try {
    const code = await main();
    process.exitCode = code === 0 && writeFailed ? 1 : code;
  } catch (error) {
    if (!USER_ERRORS.some((kind) => error instanceof kind)) throw error;
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}

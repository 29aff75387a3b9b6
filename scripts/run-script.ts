import { ConfigError } from '../middleware/src/config.js';
import { ModelLoadError } from '../middleware/src/domain/stage-model.js';
import { ImportFileError } from '../middleware/src/import/data-tree.js';
import { ForceAppError } from '../middleware/src/org/force-app/index.js';
import { StoreSchemaError } from '../middleware/src/org/local/migrations.js';
import {
  StoreFolderError,
  StorePathError,
} from '../middleware/src/org/local/store-path.js';

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
 * its message without a stack and exits 2; any other error is raised.
 */
export async function runScript(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (!USER_ERRORS.some((kind) => error instanceof kind)) throw error;
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}

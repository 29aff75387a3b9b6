/**
 * Runs the sf plugin's commands without the Salesforce CLI, from any folder:
 *   node PACKAGE/dist/scripts/cosell.js cosell pipeline evaluate --local
 * oclif finds the package from this file's location, so the current folder
 * stays the user's and `--source-dir` defaults to its SFDX project.
 */
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });

/**
 * Runs the sf plugin's commands without the Salesforce CLI, from any folder:
 *   node PACKAGE/dist/scripts/cosell.js cosell pipeline evaluate --local
 * oclif finds the package from this file's location, so the current folder
 * stays the user's and `--source-dir` defaults to its SFDX project.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execute } from '@oclif/core';
import type { Interfaces } from '@oclif/core';

/** Returns the command that runs this file, as help and examples show it. */
function runnerCommand(): string {
  const file = fileURLToPath(import.meta.url);
  const relative = path.relative(process.cwd(), file);
  const printedPath =
    relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  return `node ${printedPath}`;
}

// This file is dist/scripts/cosell.js, two folders below the package root.
const root = fileURLToPath(new URL('../../', import.meta.url));
const pjson = JSON.parse(
  readFileSync(path.join(root, 'package.json'), 'utf8'),
) as Interfaces.PJSON;
// Help and examples show the bin of package.json, "sf", but here the user
// types `node …/cosell.js`. oclif also reads SF_ variables through the bin's
// name, so "sf" stays as an alias.
pjson.oclif = {
  ...pjson.oclif,
  bin: runnerCommand(),
  binAliases: ['sf', ...(pjson.oclif.binAliases ?? [])],
};

await execute({ loadOptions: { root, pjson } });

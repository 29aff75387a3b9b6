import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders that hold no deployable source. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '__tests__',
  '__mocks__',
  '.sfdx',
  '.sf',
]);

/**
 * Lists the files below `root` whose names end with one of `suffixes`, sorted, so
 * findings come out in a stable order. Skips test and tooling folders.
 */
export async function listSourceFiles(
  root: string,
  suffixes: readonly string[],
): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(root, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) {
        found.push(...(await listSourceFiles(path, suffixes)));
      }
    } else if (suffixes.some((suffix) => entry.name.endsWith(suffix))) {
      found.push(path);
    }
  }
  return found.sort();
}

/** Suffixes of Apex source files. */
export const APEX_SUFFIXES = ['.cls', '.trigger'] as const;

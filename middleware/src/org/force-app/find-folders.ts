import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ForceAppError } from './force-app-error.js';

/** Folders that hold no metadata of the kinds these readers look for. */
const SKIPPED = new Set(['node_modules', 'lwc', 'aura', 'staticresources']);

/**
 * Lists every folder named `name` below `root`, depth first and sorted, so a package
 * directory may nest its metadata anywhere (`main/default/objects`, `app/objects`).
 */
export async function findFolders(
  root: string,
  name: string,
): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(root, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory() && !SKIPPED.has(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const folder of folders) {
    const path = join(root, folder);
    if (folder === name) found.push(path);
    else found.push(...(await findFolders(path, name)));
  }
  return found;
}

/** Throws a `ForceAppError` when `packageDir` is not a folder. */
export async function requireFolder(packageDir: string): Promise<void> {
  const info = await stat(packageDir).catch(() => null);
  if (!info?.isDirectory()) {
    throw new ForceAppError([
      {
        file: packageDir,
        message:
          'package directory not found; pass the folder that holds the metadata, such as force-app',
      },
    ]);
  }
}

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ForceAppError } from './force-app-error.js';

/**
 * Folders that contain no metadata of the kinds these readers look for. `.git`
 * contains an `objects` folder of its own.
 */
const SKIPPED = new Set([
  '.git',
  'node_modules',
  'lwc',
  'aura',
  'staticresources',
]);

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

/**
 * Returns whether a folder named `name` is at most `depth` levels below `root`,
 * skipping the folders that `findFolders` skips and hidden folders such as
 * `.git`, which contains its own `objects`. Unlike `findFolders`, it stops at
 * that depth, so a wrong root such as /tmp is not walked whole. A subfolder
 * that cannot be listed counts as not containing it, and an unreadable `root`
 * raises the error of `readdir`.
 */
export async function hasFolderWithin(
  root: string,
  name: string,
  depth: number,
): Promise<boolean> {
  if (depth < 1) return false;
  const entries = await readdir(root, { withFileTypes: true });
  const folders = entries
    .filter(
      (entry) =>
        entry.isDirectory() &&
        !SKIPPED.has(entry.name) &&
        !entry.name.startsWith('.'),
    )
    .map((entry) => entry.name);
  if (folders.includes(name)) return true;
  for (const folder of folders) {
    const found = await hasFolderWithin(
      join(root, folder),
      name,
      depth - 1,
    ).catch(() => false);
    if (found) return true;
  }
  return false;
}

/**
 * How far below a package folder `isPackageFolderCandidate` looks for
 * `objects`: 3 levels, as in this package's `force-app/main/default/objects`.
 */
export const OBJECTS_FOLDER_DEPTH = 3;

/**
 * Returns whether `folder` may be a package folder: it has an `objects` folder
 * within three levels, it is the root of an SFDX project, or it cannot be
 * listed. The package reader names the problem of the last two with its own,
 * more precise message. A folder above a checkout returns false before any
 * reader walks it whole.
 */
export async function isPackageFolderCandidate(
  folder: string,
): Promise<boolean> {
  const projectFile = await stat(join(folder, 'sfdx-project.json')).catch(
    () => null,
  );
  if (projectFile) return true;
  try {
    return await hasFolderWithin(folder, 'objects', OBJECTS_FOLDER_DEPTH);
  } catch {
    return true;
  }
}

/** A folder given as the package folder that is a level above or below it. */
export interface PackageFolderMistake {
  /** The predicate that describes the folder, such as "is the root of an SFDX project (…)". */
  reason: string;
  /** The package folder to pass instead. */
  packageFolder: string;
}

/**
 * Returns the mistake when `folder` is the root of an SFDX project, whose
 * default package directory is the package folder, or an `objects` folder
 * itself, such as `force-app/main/default/objects`, whose package folder is
 * `force-app`. Returns undefined for any other folder.
 */
export async function findPackageFolderMistake(
  folder: string,
): Promise<PackageFolderMistake | undefined> {
  const projectFile = join(folder, 'sfdx-project.json');
  if (await stat(projectFile).catch(() => null)) {
    return {
      reason:
        'is the root of an SFDX project (it contains sfdx-project.json), not a package folder',
      packageFolder: join(folder, await defaultPackagePath(projectFile)),
    };
  }
  if (basename(folder) !== 'objects') return undefined;
  // A package folder may itself be named objects if it has its own objects folder.
  const nested = await hasFolderWithin(
    folder,
    'objects',
    OBJECTS_FOLDER_DEPTH,
  ).catch(() => true);
  if (nested) return undefined;
  return {
    reason:
      'is the objects folder itself, not the package folder that contains it',
    packageFolder: packageFolderAbove(folder),
  };
}

/**
 * Returns the package folder above `objectsFolder`: three levels up for the
 * usual `main/default/objects`, else its parent.
 */
function packageFolderAbove(objectsFolder: string): string {
  const defaultFolder = dirname(objectsFolder);
  const mainFolder = dirname(defaultFolder);
  if (
    basename(defaultFolder) === 'default' &&
    basename(mainFolder) === 'main'
  ) {
    return dirname(mainFolder);
  }
  return defaultFolder;
}

/**
 * Returns the default package directory that an SFDX project's sfdx-project.json
 * names, or `force-app` when the file names none or cannot be read.
 */
async function defaultPackagePath(projectFile: string): Promise<string> {
  try {
    const project = JSON.parse(await readFile(projectFile, 'utf8')) as {
      packageDirectories?: Array<{ path?: unknown; default?: unknown }>;
    };
    const directories = project.packageDirectories ?? [];
    const chosen =
      directories.find((directory) => directory.default === true) ??
      directories[0];
    return typeof chosen?.path === 'string' ? chosen.path : 'force-app';
  } catch {
    return 'force-app';
  }
}

/**
 * Throws a `ForceAppError` when `packageDir` is not a folder, or is the root of an
 * SFDX project rather than one of its package directories. Read from the root, the
 * search for metadata folders would also walk `.git`, test fixtures and build output.
 */
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
  const projectFile = join(packageDir, 'sfdx-project.json');
  if (await stat(projectFile).catch(() => null)) {
    const suggested = join(packageDir, await defaultPackagePath(projectFile));
    throw new ForceAppError([
      {
        file: packageDir,
        message: `is the root of an SFDX project (it contains sfdx-project.json), not a package directory; pass ${suggested}`,
      },
    ]);
  }
}

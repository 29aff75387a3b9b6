import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../config.js';
import {
  findPackageFolderMistake,
  isPackageFolderCandidate,
} from '../org/force-app/find-folders.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.store');

/** The part of sfdx-project.json that names the package directories. */
const SfdxProjectSchema = z.object({
  packageDirectories: z
    .array(
      z.object({ path: z.string().min(1), default: z.boolean().optional() }),
    )
    .min(1),
});

/**
 * Returns the default package folder: the default package directory of the
 * sfdx-project.json found from `cwd` upward (the entry marked `default`, else
 * the first), as `sf` commands do, or else this package's own force-app, which
 * is also the middleware's default COSELL_PACKAGE_DIR. The path is absolute,
 * so errors show where the command looked. Raises `InvalidSfdxProjectError`
 * when the sfdx-project.json found cannot be read, and
 * `DefaultSourceDirMissingError` when its default directory is not a folder.
 */
export function defaultSourceDir(cwd: string = process.cwd()): string {
  const projectFile = findProjectFile(path.resolve(cwd));
  if (projectFile === undefined) return path.join(PACKAGE_ROOT, 'force-app');
  let project;
  try {
    project = SfdxProjectSchema.parse(
      JSON.parse(readFileSync(projectFile, 'utf8')),
    );
  } catch (error) {
    throw messages.createError(
      'error.InvalidSfdxProject',
      [projectFile, (error as Error).message],
      [],
      error as Error,
    );
  }
  const directories = project.packageDirectories;
  const chosen =
    directories.find((directory) => directory.default === true) ??
    directories[0]!;
  const folder = path.resolve(path.dirname(projectFile), chosen.path);
  if (!isFolder(folder)) {
    throw messages.createError('error.DefaultSourceDirMissing', [
      chosen.path,
      projectFile,
      folder,
    ]);
  }
  return folder;
}

function isFolder(target: string): boolean {
  return statSync(target, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Returns the nearest sfdx-project.json in `folder` or above, if any. */
function findProjectFile(folder: string): string | undefined {
  let current = folder;
  for (;;) {
    const candidate = path.join(current, 'sfdx-project.json');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * `--source-dir`, a package folder that must exist when typed. Without it the
 * command uses `defaultSourceDir()`, resolved when the flags are parsed.
 */
export function sourceDirFlag(summary: string) {
  return Flags.directory({
    char: 'd',
    summary,
    exists: true,
    default: async () => defaultSourceDir(),
  });
}

/**
 * Raises `NotPackageFolderError` when `folder` has no `objects` folder within
 * three levels, before any reader walks it. Otherwise a folder of CSV files
 * failed with one store mismatch per stored object, each advising a new store
 * file, and /tmp was walked whole. Raises `WrongPackageFolderError`, naming
 * the package folder to pass, for the root of an SFDX project or an `objects`
 * folder itself. A folder that cannot be listed passes, so that the package
 * reader reports it with its own, more precise message.
 */
export async function requirePackageFolder(
  folder: string,
  flag: string,
): Promise<void> {
  const absolute = path.resolve(folder);
  const mistake = await findPackageFolderMistake(absolute);
  if (mistake) {
    throw messages.createError(
      'error.WrongPackageFolder',
      [absolute, mistake.reason],
      [flag, mistake.packageFolder],
    );
  }
  // NOTE: the package reader also finds objects folders nested deeper than
  // three levels, which this check rejects.
  if (await isPackageFolderCandidate(absolute)) return;
  throw messages.createError(
    'error.NotPackageFolder',
    [absolute],
    [flag, flag],
  );
}

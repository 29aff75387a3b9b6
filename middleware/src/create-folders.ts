import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Creates `folder` and the missing folders above it, like `mkdir -p`. It walks
 * up to the nearest existing folder and creates each missing one below it with
 * a non-recursive mkdir, so a failure throws mkdir's own error (with `code`,
 * `syscall` and `path`) for the first folder that cannot be created.
 *
 * Node's `mkdirSync(folder, { recursive: true })` is not used because it loops
 * forever at full CPU on a path under /proc (seen on Node 20.20 on Linux):
 * there mkdir fails with ENOENT although the parent exists, so Node keeps
 * creating the parent and retrying.
 */
export function createFolders(folder: string): void {
  const missing: string[] = [];
  let current = path.resolve(folder);
  while (!isFolder(current)) {
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const created of missing.reverse()) {
    try {
      mkdirSync(created);
    } catch (error) {
      // Another process may have created the same folder since the check above.
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'EEXIST' && isFolder(created)) continue;
      throw error;
    }
  }
}

/**
 * Returns whether `target` is a folder or a link to one. A file, a missing path
 * and a path that cannot be read all return false, and mkdir then names the
 * problem.
 */
function isFolder(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}

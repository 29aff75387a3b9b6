/** Field paths the gateway puts into SOQL; anything else is rejected. */
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/**
 * Checks field paths and adds the `Id` of every parent a path crosses, so a
 * record reads its lookups the same from REST and Bulk: the parent is `null`
 * exactly when its `Id` is blank. Returns the paths without duplicates, `Id` first.
 */
export function selectList(paths: readonly string[]): string[] {
  const seen = new Map<string, string>();
  const add = (path: string) => {
    const key = path.toLowerCase();
    if (!seen.has(key)) seen.set(key, path);
  };
  add('Id');
  for (const path of paths) {
    if (!FIELD_PATH.test(path)) {
      throw new TypeError(
        `"${path}" is not a field path such as Name or Partner_Account__r.Name`,
      );
    }
    const parts = path.split('.');
    for (let depth = 1; depth < parts.length; depth += 1) {
      add(`${parts.slice(0, depth).join('.')}.Id`);
    }
    add(path);
  }
  return [...seen.values()];
}

/** Checks an object or relationship name before it goes into SOQL. */
export function soqlName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new TypeError(`"${name}" is not an object or relationship API name`);
  }
  return name;
}

/** `(SELECT a, b FROM Relationship__r WHERE ...)` for a parent-to-child subquery. */
export function subquery(
  relationship: string,
  paths: readonly string[],
  where?: string,
): string {
  const condition = where ? ` WHERE ${where}` : '';
  return `(SELECT ${selectList(paths).join(', ')} FROM ${soqlName(relationship)}${condition})`;
}

/** The longest DeveloperName of a custom metadata record. */
export const MAX_DEVELOPER_NAME_LENGTH = 40;

/**
 * Returns the rule of Salesforce's DeveloperName (API name) that `name` breaks, or
 * undefined when it is valid: only ASCII letters, digits and underscores, starting
 * with a letter, no two underscores in a row, not ending with an underscore, and
 * at most 40 characters.
 */
export function developerNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  const other = /[^A-Za-z0-9_]/u.exec(name)?.[0];
  if (other !== undefined) {
    const shown = /\s/.test(other) ? 'a space' : `"${other}"`;
    return `it may contain only the letters A-Z and a-z, digits and underscores, and ${shown} is none of them`;
  }
  if (!/^[A-Za-z]/.test(name)) return 'it must start with a letter';
  if (name.includes('__')) {
    return 'it must not contain two underscores in a row';
  }
  if (name.endsWith('_')) return 'it must not end with an underscore';
  if (name.length > MAX_DEVELOPER_NAME_LENGTH) {
    return `it has ${name.length} characters, more than the ${MAX_DEVELOPER_NAME_LENGTH} allowed`;
  }
  return undefined;
}

/**
 * Suggests a valid DeveloperName for an invalid one: other characters become
 * underscores, runs of underscores one, and the name is cut to 40 characters.
 * Returns undefined when no letter is left to start it.
 */
export function suggestDeveloperName(name: string): string | undefined {
  const suggestion = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, MAX_DEVELOPER_NAME_LENGTH)
    .replace(/_+$/, '');
  return suggestion === '' ? undefined : suggestion;
}

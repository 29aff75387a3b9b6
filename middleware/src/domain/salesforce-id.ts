/**
 * Salesforce record Ids: 15 case-sensitive characters, or 18 with a three-character
 * suffix that encodes the case of the first 15, so the Id survives case-insensitive
 * systems. The API always returns 18; this module widens 15 to 18.
 */
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function checksum(base: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const char = base.charAt(chunk * 5 + i);
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** Whether the value is a 15- or 18-character Id with a correct suffix. */
export function isSalesforceId(value: unknown): value is string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) return false;
  if (value.length === 15) return true;
  return checksum(value.slice(0, 15)) === value.slice(15).toUpperCase();
}

/**
 * Returns what is wrong with a value that is not a Salesforce Id, as the end of a
 * sentence about it: the shape, or for 18 well-formed characters the suffix.
 */
export function salesforceIdProblem(value: unknown): string {
  if (
    typeof value === 'string' &&
    value.length === 18 &&
    ID_PATTERN.test(value)
  ) {
    const base = value.slice(0, 15);
    return `is not a Salesforce Id: its last three characters must be ${checksum(base)}, the check of the letter case of ${base}; copy the Id again or send its first 15 characters`;
  }
  return 'must be a 15- or 18-character Salesforce Id';
}

/** Widens a 15-character Id to 18; an 18-character Id is returned unchanged. */
export function toId18(id: string): string {
  if (!ID_PATTERN.test(id)) {
    throw new Error(`"${id}" is not a 15- or 18-character Salesforce Id`);
  }
  const base = id.slice(0, 15);
  return base + checksum(base);
}

/** The three-character key prefix that names the Id's object. */
export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/**
 * A new Id for an object with the given key prefix: the prefix, a random 12-character
 * base-62 body and the suffix. `random` returns integers in [0, 62).
 */
export function generateId(
  prefix: string,
  random: () => number = () => Math.floor(Math.random() * 62),
): string {
  if (!/^[a-zA-Z0-9]{3}$/.test(prefix)) {
    throw new Error(`"${prefix}" is not a three-character key prefix`);
  }
  let body = '';
  for (let i = 0; i < 12; i += 1) body += BASE62.charAt(random());
  return toId18(prefix + body);
}

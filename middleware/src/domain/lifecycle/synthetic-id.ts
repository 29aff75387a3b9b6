/** Salesforce-style record Ids for generated data. */

const ID_CHARACTERS =
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * Builds an 18-character Salesforce-style Id from a key prefix and a counter, with
 * the case-checksum suffix Salesforce adds to 15-character Ids.
 */
export function syntheticId(prefix: string, counter: number): string {
  let body = '';
  for (let rest = counter, i = 0; i < 12; i++, rest = Math.floor(rest / 62)) {
    body = ID_CHARACTERS[rest % 62]! + body;
  }
  const id = `${prefix}${body}`.slice(0, 15);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const code = id.charCodeAt(chunk * 5 + i);
      if (code >= 65 && code <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_CHARACTERS[bits];
  }
  return id + suffix;
}

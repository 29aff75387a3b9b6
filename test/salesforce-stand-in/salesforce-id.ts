/**
 * Salesforce record Ids: 15 case-sensitive characters (a 3-character key prefix, then
 * 12 characters), or the 18-character form, which appends a case-insensitive
 * checksum of 3 characters so that the Id survives case-insensitive tools.
 */
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const ID_PATTERN = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/** Computes the 3-character checksum suffix of a 15-character Id. */
function checksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let position = 0; position < 5; position++) {
      const char = id15.charAt(chunk * 5 + position);
      if (char >= 'A' && char <= 'Z') bits |= 1 << position;
    }
    suffix += CHECKSUM_ALPHABET.charAt(bits);
  }
  return suffix;
}

/**
 * Returns the 18-character form of a 15- or 18-character Id, or null when `value` is
 * not an Id (wrong length, a character outside [a-zA-Z0-9], or an 18-character Id
 * whose checksum does not match its first 15 characters).
 */
export function normalizeId(value: string): string | null {
  if (!ID_PATTERN.test(value)) return null;
  const id15 = value.slice(0, 15);
  const expected = checksum(id15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== expected) {
    return null;
  }
  return id15 + expected;
}

/** Generates sequential, valid 18-character Ids for each key prefix. */
export class IdGenerator {
  private next = 1;

  /**
   * Returns a new Id: the key prefix, `8d` for the pod, a reserved `0`, and a
   * 9-character base-62 sequence number, followed by the checksum.
   */
  generate(keyPrefix: string): string {
    if (!/^[a-zA-Z0-9]{3}$/.test(keyPrefix)) {
      throw new Error(
        `Key prefix "${keyPrefix}" is not 3 letters or digits; fix the object's keyPrefix in the schema`,
      );
    }
    let sequence = this.next++;
    let digits = '';
    for (let i = 0; i < 9; i++) {
      digits = BASE62.charAt(sequence % 62) + digits;
      sequence = Math.floor(sequence / 62);
    }
    const id15 = `${keyPrefix}8d0${digits}`;
    return id15 + checksum(id15);
  }
}

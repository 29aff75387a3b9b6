/**
 * Byte-level UTF-8 helpers: where the first invalid sequence of some bytes starts,
 * which bytes at the end of a chunk begin a character the next chunk ends, whether
 * a file is UTF-16 instead, and how many line breaks some bytes have.
 */

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** How many leading bytes `utf16Evidence` checks for the zero bytes of UTF-16. */
const UTF16_SAMPLE_BYTES = 64;

/**
 * Tells whether a file's first bytes are UTF-16 text: `'byte order mark'` when
 * they start with a UTF-16 byte order mark, `'zero bytes'` when they have the
 * zero bytes of UTF-16 text without one, else undefined. Such a file would
 * otherwise be reported as invalid UTF-8, or its zero bytes read as text.
 */
export function utf16Evidence(
  bytes: Uint8Array,
): 'byte order mark' | 'zero bytes' | undefined {
  if (
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff)
  ) {
    return 'byte order mark';
  }
  return hasUtf16ZeroBytes(bytes) ? 'zero bytes' : undefined;
}

/**
 * Returns whether the first bytes have the zero bytes of UTF-16 text. UTF-16
 * stores each ASCII character as a zero byte and the ASCII byte, so a file that
 * starts with one has a zero byte first or second. A file that starts with
 * other characters, such as CJK text, has zero bytes at only even or only odd
 * positions once ASCII characters such as commas follow. UTF-8 text has a zero
 * byte only for the character U+0000.
 */
function hasUtf16ZeroBytes(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  if (bytes[0] === 0 || bytes[1] === 0) return true;
  const sampleLength = Math.min(bytes.length, UTF16_SAMPLE_BYTES);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sampleLength; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 0) evenZeros++;
    else oddZeros++;
  }
  return evenZeros + oddZeros >= 2 && (evenZeros === 0 || oddZeros === 0);
}

/**
 * Counts line breaks as a text editor does: LF, CRLF and a CR alone, which
 * older Mac programs write. An LF right after `afterCarriageReturn` ends the
 * line that CR already counted.
 */
export function countLineBreaks(
  bytes: Uint8Array,
  afterCarriageReturn = false,
): number {
  let count = 0;
  let followsCarriageReturn = afterCarriageReturn;
  for (const byte of bytes) {
    if (byte === CARRIAGE_RETURN) count++;
    else if (byte === LINE_FEED && !followsCarriageReturn) count++;
    followsCarriageReturn = byte === CARRIAGE_RETURN;
  }
  return count;
}

/** Returns the byte at `offset` as hexadecimal for a message, such as `0xE9`. */
export function byteAt(bytes: Uint8Array, offset: number): string {
  const byte = bytes[offset] ?? 0;
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * Returns the offset of the first invalid byte sequence. A prefix decoded with
 * `stream: true` fails only on an invalid byte, not on a character cut off at
 * its end, so a binary search finds the first byte at which decoding fails.
 * When that byte ends a character begun before it, such as the newline after
 * Windows-1252's é (0xE9, which opens a 3-byte UTF-8 character), the sequence
 * starts at that character's first byte.
 */
export function firstInvalidOffset(bytes: Uint8Array): number {
  if (decodes(bytes)) {
    // Only the end is wrong: the bytes stop inside a character.
    return bytes.length - pendingBytes(bytes, new Uint8Array(0)).length;
  }
  let valid = 0;
  let invalid = bytes.length;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    if (decodes(bytes.subarray(0, middle))) valid = middle;
    else invalid = middle;
  }
  const failing = invalid - 1;
  const begun = pendingBytes(bytes.subarray(0, failing), new Uint8Array(0));
  return failing - begun.length;
}

function decodes(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the bytes at the end of a decoded chunk that start a character the
 * next chunk completes: at most 3, from the last lead byte on.
 */
export function pendingBytes(
  chunk: Uint8Array,
  previous: Uint8Array,
): Uint8Array {
  const bytes = concat(previous, chunk);
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    return sequenceLength(byte) > back
      ? bytes.slice(bytes.length - back)
      : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

/** Returns how many bytes the UTF-8 character that starts with `lead` has. */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

export function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  if (first.length === 0) return second;
  const bytes = new Uint8Array(first.length + second.length);
  bytes.set(first);
  bytes.set(second, first.length);
  return bytes;
}

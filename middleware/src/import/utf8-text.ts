import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import {
  byteAt,
  concat,
  firstInvalidOffset,
  pendingBytes,
} from '../domain/utf8-bytes.js';
import { ImportFileError } from './data-tree.js';

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** The kind of import file, which selects the fix an encoding error suggests. */
export type TextFileKind = 'csv' | 'json';

/**
 * Decodes a whole file as UTF-8, dropping a UTF-8 byte order mark. Raises
 * `ImportFileError` naming the line of the first invalid byte, because a
 * replacement character would otherwise load in place of each such byte.
 */
export function decodeUtf8File(
  file: string,
  bytes: Uint8Array,
  kind: TextFileKind,
): string {
  rejectUtf16(file, bytes, kind);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidUtf8Error(file, bytes, new Uint8Array(0), FILE_START, kind);
  }
}

/**
 * Creates a stream that decodes a file's bytes as UTF-8 and passes on whole
 * characters, dropping a UTF-8 byte order mark. It fails with `ImportFileError`
 * naming the line of the first invalid byte, and at the end of a file that
 * stops inside a character.
 */
export function createUtf8DecodeStream(
  file: string,
  kind: TextFileKind,
): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let linesBefore = 0;
  let afterCarriageReturn = false;
  let pending: Uint8Array = new Uint8Array(0);
  let first = true;
  return new Transform({
    transform(
      chunk: Buffer,
      _encoding: BufferEncoding,
      done: TransformCallback,
    ) {
      if (first) {
        first = false;
        try {
          rejectUtf16(file, chunk, kind);
        } catch (error) {
          done(error as Error);
          return;
        }
      }
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        done(
          invalidUtf8Error(
            file,
            chunk,
            pending,
            { linesBefore, afterCarriageReturn },
            kind,
          ),
        );
        return;
      }
      linesBefore += countLineBreaks(chunk, afterCarriageReturn);
      afterCarriageReturn = chunk.at(-1) === CARRIAGE_RETURN;
      pending = pendingBytes(chunk, pending);
      done(null, Buffer.from(text, 'utf8'));
    },
    flush(done: TransformCallback) {
      try {
        const rest = decoder.decode();
        done(null, Buffer.from(rest, 'utf8'));
      } catch {
        done(
          new ImportFileError(
            file,
            `ends inside a UTF-8 character on line ${linesBefore + 1}, so nothing was imported; ${saveAsUtf8(kind)}`,
          ),
        );
      }
    },
  });
}

/** How many leading bytes `rejectUtf16` checks for the zero bytes of UTF-16. */
const UTF16_SAMPLE_BYTES = 64;

/**
 * Rejects a UTF-16 file, by its byte order mark or, without one, by its zero
 * bytes, with a message that names the encoding. Its bytes would otherwise be
 * reported as invalid UTF-8, or its zero bytes read as text.
 */
function rejectUtf16(file: string, bytes: Uint8Array, kind: TextFileKind) {
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) {
    throw new ImportFileError(
      file,
      `is encoded as UTF-16 (it starts with a UTF-16 byte order mark), so nothing was imported; ${saveAsUtf8(kind)}`,
    );
  }
  if (hasUtf16ZeroBytes(bytes)) {
    throw new ImportFileError(
      file,
      `looks like UTF-16 without a byte order mark (its first bytes contain zero bytes, as UTF-16 text does), so nothing was imported; ${saveAsUtf8(kind)}`,
    );
  }
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

/** Where a chunk starts: the line breaks of the chunks before it. */
interface LinePosition {
  linesBefore: number;
  /** Whether the previous chunk ended with CR, whose LF may open this chunk. */
  afterCarriageReturn: boolean;
}

const FILE_START: LinePosition = { linesBefore: 0, afterCarriageReturn: false };

/**
 * Builds the error for the first invalid byte of `chunk`. `pending` is the
 * start of a character that the previous chunk ended inside.
 */
function invalidUtf8Error(
  file: string,
  chunk: Uint8Array,
  pending: Uint8Array,
  position: LinePosition,
  kind: TextFileKind,
): ImportFileError {
  const bytes = concat(pending, chunk);
  const offset = firstInvalidOffset(bytes);
  const line =
    position.linesBefore +
    countLineBreaks(bytes.subarray(0, offset), position.afterCarriageReturn) +
    1;
  const hex = byteAt(bytes, offset);
  return new ImportFileError(
    file,
    `is not valid UTF-8: line ${line} has the byte ${hex}, which does not form a valid UTF-8 character there ` +
      `(a file saved as Windows-1252 or Latin-1 has such bytes for letters such as é), so nothing was imported; ${saveAsUtf8(kind)}`,
  );
}

function saveAsUtf8(kind: TextFileKind): string {
  return kind === 'csv'
    ? 'save the file as UTF-8, for example in Excel\'s "CSV UTF-8 (Comma delimited)" format, and import it again'
    : 'save the file as UTF-8 in your editor, or export it again with sf data export tree, and import it again';
}

/**
 * Counts line breaks as the CSV reader does: LF, CRLF and a CR alone, which
 * older Mac spreadsheets write. An LF right after `afterCarriageReturn` ends
 * the line that CR already counted.
 */
function countLineBreaks(
  bytes: Uint8Array,
  afterCarriageReturn: boolean,
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

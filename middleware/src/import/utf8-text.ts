import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import {
  byteAt,
  concat,
  countLineBreaks,
  firstInvalidOffset,
  pendingBytes,
  utf16Evidence,
} from '../domain/utf8-bytes.js';
import { ImportFileError } from './data-tree.js';

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

/**
 * Rejects a UTF-16 file, by its byte order mark or, without one, by its zero
 * bytes, with a message that names the encoding.
 */
function rejectUtf16(file: string, bytes: Uint8Array, kind: TextFileKind) {
  const evidence = utf16Evidence(bytes);
  if (evidence === 'byte order mark') {
    throw new ImportFileError(
      file,
      `is encoded as UTF-16 (it starts with a UTF-16 byte order mark), so nothing was imported; ${saveAsUtf8(kind)}`,
    );
  }
  if (evidence === 'zero bytes') {
    throw new ImportFileError(
      file,
      `looks like UTF-16 without a byte order mark (its first bytes contain zero bytes, as UTF-16 text does), so nothing was imported; ${saveAsUtf8(kind)}`,
    );
  }
}

/** The start of a chunk: the line breaks of the chunks before it. */
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

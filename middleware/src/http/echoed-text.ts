import { cutText, textLength } from '../domain/text-length.js';

/**
 * Maximum length of a client's string value that a problem echoes, in UTF-16
 * code units for body and query text and in bytes for a header value.
 */
export const MAX_ECHOED_CHARS = 100;

/** A client's text as a problem echoes it in `value` and `detail`. */
export interface EchoedText {
  text: string;
  /**
   * A sentence for `detail`, with a leading space, that states that `text` is
   * shortened and gives the full length, or '' when `text` is whole.
   */
  note: string;
}

/**
 * Cuts a client's text to `MAX_ECHOED_CHARS` UTF-16 code units for a problem,
 * one unit shorter when the cut would split a surrogate pair, so the echo never
 * contains a lone surrogate that the API itself rejects in input.
 */
export function echoText(text: string): EchoedText {
  const cut = cutText(text, MAX_ECHOED_CHARS);
  return {
    text: cut,
    note: shortenedNote(cut, textLength(text), 'UTF-16 code units'),
  };
}

/**
 * Cuts a header value to `MAX_ECHOED_CHARS` bytes and escapes each byte outside
 * U+0020 to U+007E as `\xHH`. Node.js reads header bytes as latin1, so a UTF-8
 * "é" arrives as two characters, which this shows as the bytes sent,
 * `\xC3\xA9`, in place of the misleading "Ã©".
 */
export function echoHeader(value: string): EchoedText {
  const cut = value.slice(0, MAX_ECHOED_CHARS);
  return {
    text: escapeHeaderText(cut),
    note: shortenedNote(cut, value.length, 'bytes'),
  };
}

function escapeHeaderText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (character) => {
    const code = character.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
      : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

function shortenedNote(cut: string, length: number, unit: string): string {
  if (cut.length === length) return '';
  return ` The value is shortened to its first ${cut.length} of ${length} ${unit}.`;
}

import { BIDI_CONTROLS } from '../domain/control-characters.js';

/** The max length, in UTF-16 code units, of a value that import messages show whole. */
export const MAX_SHOWN_LENGTH = 80;

/** The max length of a CSV or JSON parser message quoted in an import message. */
export const MAX_PARSER_MESSAGE_LENGTH = 200;

/**
 * Cuts `text` to `max` code units for a message, marking the cut with an ellipsis
 * and the full length, so a 20 MB cell adds a short line to the terminal, not 20 MB.
 */
export function shortenText(text: string, max = MAX_SHOWN_LENGTH): string {
  if (text.length <= max) return text;
  return `${cutAt(text, max)}… (${text.length} characters)`;
}

/**
 * Quotes a value from an import file for a message, with JSON escapes so control
 * characters cannot reach the terminal, cut as {@link shortenText} cuts.
 * Bidirectional controls and DEL get `\u` escapes too, because JSON leaves them
 * as they are and they would reorder or change the rest of the message on screen.
 */
export function quoteValue(value: unknown): string {
  const text = String(value);
  if (text.length <= MAX_SHOWN_LENGTH)
    return escapeControls(JSON.stringify(text));
  const head = cutAt(text, MAX_SHOWN_LENGTH);
  return `${escapeControls(JSON.stringify(`${head}…`))} (${text.length} characters)`;
}

/**
 * Formats a name from an import file, such as a CSV header, in a message: as it
 * is when {@link quoteValue} would escape none of its characters, otherwise
 * quoted and escaped as quoteValue does, so a control character in a header
 * cannot reorder or change the terminal's output. Long names are cut as
 * {@link shortenText} cuts them.
 */
export function formatName(name: string): string {
  const quoted = escapeControls(JSON.stringify(name));
  return quoted === `"${name}"` ? shortenText(name) : quoteValue(name);
}

/** Bidirectional controls and DEL, which JSON.stringify leaves unescaped. */
const UNESCAPED_BY_JSON = new RegExp(`${BIDI_CONTROLS.source}|\\x7F`, 'g');

/** Escapes the characters of `UNESCAPED_BY_JSON` in JSON-quoted text. */
function escapeControls(quoted: string): string {
  return quoted.replace(
    UNESCAPED_BY_JSON,
    (character) =>
      `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** Returns the first `max` code units, without splitting a surrogate pair. */
function cutAt(text: string, max: number): string {
  const last = text.charCodeAt(max - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, splitsPair ? max - 1 : max);
}

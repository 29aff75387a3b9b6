/** C0 control characters and DEL, apart from tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- the pattern exists to find them.
export const CONTROL_CHARACTERS_IN_LINES = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;
/** C0 control characters and DEL, tab and line breaks included. */
// eslint-disable-next-line no-control-regex -- the pattern exists to find them.
export const CONTROL_CHARACTERS = /[\x00-\x1F\x7F]/;

/** DEL and the C1 control characters (U+007F to U+009F). */
export const DEL_AND_C1_CONTROLS = /[\x7F-\x9F]/;

/**
 * Text that a person reads as blank: white space, format characters (Unicode
 * category Cf, such as U+200B zero-width space), default-ignorable code points
 * (such as U+3164 Hangul filler and U+FE0F) and U+2800 braille blank.
 */
const BLANK_TEXT = /^[\s\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** Tells whether `text` shows nothing to a reader, as `BLANK_TEXT` describes. */
export function isBlankText(text: string): boolean {
  return BLANK_TEXT.test(text);
}

/**
 * Unicode bidirectional embedding, override and isolate controls (U+202A to
 * U+202E, U+2066 to U+2069). They reorder how the text around them is shown,
 * so a name could read differently from what it contains.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** The ranges of {@link BIDI_CONTROLS}, for messages. */
export const BIDI_CONTROL_RANGES = 'U+202A to U+202E, U+2066 to U+2069';

/**
 * A UTF-16 surrogate without its other half, such as the one a JSON string
 * "x\ud800y" decodes to. It is no Unicode character and has no UTF-8 encoding,
 * so SQLite would store it as invalid UTF-8.
 */
export const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Formats a character as a Unicode code point, such as `U+0000`. */
export function codePoint(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

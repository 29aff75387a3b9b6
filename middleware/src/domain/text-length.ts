/**
 * Returns the length of text in UTF-16 code units, the count that the local
 * store checks a text field's length with, so a character outside the Basic
 * Multilingual Plane, such as an emoji, counts as two. The HTTP request schemas
 * check their maximum lengths with it too, so text they accept fits the field.
 */
export function textLength(text: string): number {
  return text.length;
}

/** A high surrogate: the first half of a character outside the Basic Multilingual Plane. */
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/**
 * Returns the start of `text` of at most `maximum` UTF-16 code units, one unit
 * shorter when the cut would split a surrogate pair and leave half an emoji.
 */
export function cutText(text: string, maximum: number): string {
  if (textLength(text) <= maximum) return text;
  const end = HIGH_SURROGATE.test(text.charAt(maximum - 1))
    ? maximum - 1
    : maximum;
  return text.slice(0, end);
}

/**
 * Returns a bracketed note for a length message that explains why text with an
 * emoji is longer than it looks, or '' for text without such characters.
 */
export function textLengthNote(text: string): string {
  return HIGH_SURROGATE.test(text)
    ? ' (an emoji or other character outside the Basic Multilingual Plane counts as two)'
    : '';
}

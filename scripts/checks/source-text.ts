/** Helpers for scanning source text while keeping offsets and line numbers. */

/** Returns the 1-based line of an offset in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text[index] === '\n') line++;
  }
  return line;
}

/** Replaces every character but line breaks with a space, keeping offsets. */
export function blankText(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

/** Returns `text` with `[start, start + length)` blanked. */
export function blankRange(
  text: string,
  start: number,
  length: number,
): string {
  return (
    text.slice(0, start) +
    blankText(text.slice(start, start + length)) +
    text.slice(start + length)
  );
}

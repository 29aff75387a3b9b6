/**
 * Describes where JSON.parse failed in `text`, by line and column only. The
 * column counts Unicode code points, and lines end at each \n. V8's own
 * message may quote the start of the text, which could hold a secret.
 * `subject` names the text, such as "the file", for a text that ends too early.
 */
export function jsonSyntaxDetail(
  error: unknown,
  text: string,
  subject: string,
): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) {
    const before = text.slice(0, Number(position)).split('\n');
    // V8's position counts UTF-16 code units. Counting code points instead
    // makes an emoji before the error one column, as it is one character.
    const column = [...before[before.length - 1]!].length + 1;
    return `syntax error at line ${before.length} column ${column}`;
  }
  if (message.startsWith('Unexpected end of JSON input')) {
    return `${subject} ends inside a JSON value`;
  }
  return 'unexpected character';
}

import type { IToken } from 'chevrotain';
import { CriteriaError } from './criteria-error.js';
import { positionOf } from './lexer.js';

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '"': '"',
  "'": "'",
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Returns the value of a quoted text token: the quotes removed and the escapes
 * `\\ \" \' \n \r \t` replaced. Any other escape is an error at its backslash.
 */
export function unescapeText(token: IToken, criterionName: string): string {
  const body = token.image.slice(1, -1);
  if (!body.includes('\\')) return body;
  let value = '';
  for (let index = 0; index < body.length; index++) {
    const character = body.charAt(index);
    if (character !== '\\') {
      value += character;
      continue;
    }
    const escaped = body.charAt(index + 1);
    const replacement = ESCAPES[escaped];
    if (replacement === undefined) {
      throw new CriteriaError(
        criterionName,
        offsetPosition(token, index + 1),
        `unknown escape sequence "\\${escaped}" in text; write \\\\ for a backslash`,
        {
          expected: 'one of \\\\ \\" \\\' \\n \\r \\t',
          found: `"\\${escaped}"`,
        },
      );
    }
    value += replacement;
    index++;
  }
  return value;
}

/**
 * Returns the position of the character `offset` UTF-16 units into the token, with
 * the column in code points as positionOf gives it.
 */
function offsetPosition(token: IToken, offset: number) {
  const start = positionOf(token);
  const before = token.image.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  const last = lines[lines.length - 1] ?? '';
  const codePoints = [...last].length;
  if (lines.length === 1) {
    return { line: start.line, column: start.column + codePoints };
  }
  return { line: start.line + lines.length - 1, column: codePoints + 1 };
}

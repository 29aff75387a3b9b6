import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import type { SourcePosition } from './ast.js';
import { CriteriaError } from './criteria-error.js';

const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
const Comment = createToken({
  name: 'Comment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/** Matched only to report it: a comment that runs to the end of the formula. */
const UnterminatedComment = createToken({
  name: 'UnterminatedComment',
  pattern: /\/\*[\s\S]*/,
  line_breaks: true,
});

export const TextLiteral = createToken({
  name: 'TextLiteral',
  pattern: /"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*'/,
  line_breaks: true,
  label: 'text in quotes',
});
/** Matched only to report it: a string whose closing quote is missing. */
const UnterminatedText = createToken({
  name: 'UnterminatedText',
  pattern: /"(?:[^"\\]|\\[\s\S])*|'(?:[^'\\]|\\[\s\S])*/,
  line_breaks: true,
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /\d+(?:\.\d+)?|\.\d+/,
  label: 'a number',
});
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a name',
});
export const True = createToken({
  name: 'True',
  pattern: /TRUE/i,
  longer_alt: Identifier,
  label: 'TRUE',
});
export const False = createToken({
  name: 'False',
  pattern: /FALSE/i,
  longer_alt: Identifier,
  label: 'FALSE',
});
export const Null = createToken({
  name: 'Null',
  pattern: /NULL/i,
  longer_alt: Identifier,
  label: 'NULL',
});

export const CompareOperator = createToken({
  name: 'CompareOperator',
  pattern: Lexer.NA,
  label: 'a comparison',
});
export const AddOperator = createToken({
  name: 'AddOperator',
  pattern: Lexer.NA,
});
export const MultiplyOperator = createToken({
  name: 'MultiplyOperator',
  pattern: Lexer.NA,
});

function operator(
  name: string,
  image: string,
  categories: TokenType[] = [],
): TokenType {
  return createToken({
    name,
    pattern: image,
    label: `"${image}"`,
    categories,
  });
}

export const EqualEqual = operator('EqualEqual', '==', [CompareOperator]);
export const BangEqual = operator('BangEqual', '!=', [CompareOperator]);
export const LessGreater = operator('LessGreater', '<>', [CompareOperator]);
export const LessEqual = operator('LessEqual', '<=', [CompareOperator]);
export const GreaterEqual = operator('GreaterEqual', '>=', [CompareOperator]);
export const Less = operator('Less', '<', [CompareOperator]);
export const Greater = operator('Greater', '>', [CompareOperator]);
export const Equal = operator('Equal', '=', [CompareOperator]);
export const AndAnd = operator('AndAnd', '&&');
export const OrOr = operator('OrOr', '||');
export const Bang = operator('Bang', '!');
export const Ampersand = operator('Ampersand', '&');
export const Plus = operator('Plus', '+', [AddOperator]);
export const Minus = operator('Minus', '-', [AddOperator]);
export const Star = operator('Star', '*', [MultiplyOperator]);
export const Slash = operator('Slash', '/', [MultiplyOperator]);
export const Caret = operator('Caret', '^');
export const LeftParen = operator('LeftParen', '(');
export const RightParen = operator('RightParen', ')');
export const Comma = operator('Comma', ',');
export const Dot = operator('Dot', '.');

/** Every token type, longer patterns before their prefixes. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  UnterminatedComment,
  TextLiteral,
  UnterminatedText,
  NumberLiteral,
  True,
  False,
  Null,
  Identifier,
  EqualEqual,
  BangEqual,
  LessGreater,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Equal,
  AndAnd,
  OrOr,
  Bang,
  Ampersand,
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
  LeftParen,
  RightParen,
  Comma,
  Dot,
  CompareOperator,
  AddOperator,
  MultiplyOperator,
];

const formulaLexer = new Lexer(allTokens, {
  positionTracking: 'full',
  ensureOptimizations: true,
});

export function positionOf(token: IToken): SourcePosition {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1 };
}

/** Surrogate halves, the two UTF-16 units of a character outside the BMP. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Returns the 1-based column of `offset` in code points, as an editor shows it.
 * Chevrotain 11 counts UTF-16 units, so a character such as an emoji counts twice.
 */
export function codePointColumn(source: string, offset: number): number {
  let lineStart = offset;
  while (lineStart > 0) {
    const previous = source.charAt(lineStart - 1);
    if (previous === '\n' || previous === '\r') break;
    lineStart--;
  }
  return [...source.slice(lineStart, offset)].length + 1;
}

/** Rewrites the tokens' columns from UTF-16 units to code points. */
function countColumnsInCodePoints(source: string, tokens: IToken[]): void {
  if (!SURROGATE.test(source)) return;
  for (const token of tokens) {
    token.startColumn = codePointColumn(source, token.startOffset);
    if (token.endOffset !== undefined) {
      token.endColumn = codePointColumn(source, token.endOffset);
    }
  }
}

/**
 * Splits a formula into tokens. Raises a CriteriaError at the first character that
 * starts no token, and at an unterminated string or comment.
 */
export function tokenize(source: string, criterionName: string): IToken[] {
  const result = formulaLexer.tokenize(source);
  const lexError = result.errors[0];
  if (lexError) {
    const character = String.fromCodePoint(
      source.codePointAt(lexError.offset) ?? 0,
    );
    const hint =
      character === '$'
        ? '; global variables such as $User are not supported in criteria'
        : '';
    throw new CriteriaError(
      criterionName,
      {
        line: lexError.line ?? 1,
        column: codePointColumn(source, lexError.offset),
      },
      `unexpected character "${character}"${hint}`,
      { found: `"${character}"` },
    );
  }
  countColumnsInCodePoints(source, result.tokens);
  for (const token of result.tokens) {
    if (token.tokenType === UnterminatedText) {
      const quote = token.image.charAt(0);
      throw new CriteriaError(
        criterionName,
        positionOf(token),
        `text starting with ${quote} has no closing ${quote}`,
        { expected: quote, found: 'the end of the formula' },
      );
    }
    if (token.tokenType === UnterminatedComment) {
      throw new CriteriaError(
        criterionName,
        positionOf(token),
        'comment starting with /* has no closing */',
        { expected: '*/', found: 'the end of the formula' },
      );
    }
  }
  return result.tokens;
}

import {
  EmbeddedActionsParser,
  EOF,
  tokenLabel,
  type IParserErrorMessageProvider,
  type IToken,
} from 'chevrotain';
import type {
  BinaryOperator,
  FormulaNode,
  PathSegment,
  SourcePosition,
} from './ast.js';
import { CriteriaError } from './criteria-error.js';
import {
  AddOperator,
  allTokens,
  AndAnd,
  Ampersand,
  Bang,
  Caret,
  Comma,
  CompareOperator,
  Dot,
  False,
  Identifier,
  LeftParen,
  Minus,
  MultiplyOperator,
  Null,
  NumberLiteral,
  OrOr,
  Plus,
  positionOf,
  RightParen,
  TextLiteral,
  tokenize,
  True,
} from './lexer.js';
import { unescapeText } from './text-literal.js';

/** Operator images that the language accepts as synonyms. */
const OPERATOR_SYNONYMS: Record<string, BinaryOperator> = {
  '==': '=',
  '!=': '<>',
};

/** Expected and found text of a syntax error, passed on by the message provider. */
interface SyntaxProblem {
  expected: string;
  found: string;
}

function describeFound(token: IToken | undefined): string {
  if (!token || token.tokenType === EOF) return 'the end of the formula';
  return `"${token.image}"`;
}

function problem(expected: string, found: IToken | undefined): string {
  const facts: SyntaxProblem = { expected, found: describeFound(found) };
  return JSON.stringify(facts);
}

/** Encodes each syntax error as JSON, so `parseFormula` can fill CriteriaError fields. */
const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) =>
    problem(tokenLabel(expected), actual),
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    problem('an operator or the end of the formula', firstRedundant),
  buildNoViableAltMessage: ({ actual }) =>
    problem(
      'a value (a number, text in quotes, TRUE, FALSE, NULL, a field, a function or "(")',
      actual[0],
    ),
  buildEarlyExitMessage: ({ actual }) => problem('a value', actual[0]),
};

function binary(
  operatorToken: IToken,
  left: FormulaNode,
  right: FormulaNode,
): FormulaNode {
  const image = operatorToken.image;
  return {
    kind: 'binary',
    operator: OPERATOR_SYNONYMS[image] ?? (image as BinaryOperator),
    left,
    right,
    position: left.position,
    operatorPosition: positionOf(operatorToken),
  };
}

/**
 * Grammar, loosest binding first: `||`, `&&`, comparisons, `&`, `+ -`, `* /`, unary
 * `- + !`, `^` (right-associative, and binding tighter than unary minus, so `-2^2`
 * is -4), then values, names, calls and parentheses.
 */
class FormulaParser extends EmbeddedActionsParser {
  constructor(private criterionName = '') {
    super(allTokens, {
      errorMessageProvider: messageProvider,
      recoveryEnabled: false,
    });
    this.performSelfAnalysis();
  }

  setCriterion(name: string): void {
    this.criterionName = name;
  }

  readonly formula = this.RULE('formula', (): FormulaNode => {
    return this.SUBRULE(this.orExpression);
  });

  private readonly orExpression = this.RULE('orExpression', (): FormulaNode => {
    let left = this.SUBRULE(this.andExpression);
    this.MANY(() => {
      const operator = this.CONSUME(OrOr);
      const right = this.SUBRULE2(this.andExpression);
      left = this.ACTION(() => binary(operator, left, right));
    });
    return left;
  });

  private readonly andExpression = this.RULE(
    'andExpression',
    (): FormulaNode => {
      let left = this.SUBRULE(this.comparison);
      this.MANY(() => {
        const operator = this.CONSUME(AndAnd);
        const right = this.SUBRULE2(this.comparison);
        left = this.ACTION(() => binary(operator, left, right));
      });
      return left;
    },
  );

  private readonly comparison = this.RULE('comparison', (): FormulaNode => {
    let left = this.SUBRULE(this.concatenation);
    this.MANY(() => {
      const operator = this.CONSUME(CompareOperator);
      const right = this.SUBRULE2(this.concatenation);
      left = this.ACTION(() => binary(operator, left, right));
    });
    return left;
  });

  private readonly concatenation = this.RULE(
    'concatenation',
    (): FormulaNode => {
      let left = this.SUBRULE(this.additive);
      this.MANY(() => {
        const operator = this.CONSUME(Ampersand);
        const right = this.SUBRULE2(this.additive);
        left = this.ACTION(() => binary(operator, left, right));
      });
      return left;
    },
  );

  private readonly additive = this.RULE('additive', (): FormulaNode => {
    let left = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const operator = this.CONSUME(AddOperator);
      const right = this.SUBRULE2(this.multiplicative);
      left = this.ACTION(() => binary(operator, left, right));
    });
    return left;
  });

  private readonly multiplicative = this.RULE(
    'multiplicative',
    (): FormulaNode => {
      let left = this.SUBRULE(this.unary);
      this.MANY(() => {
        const operator = this.CONSUME(MultiplyOperator);
        const right = this.SUBRULE2(this.unary);
        left = this.ACTION(() => binary(operator, left, right));
      });
      return left;
    },
  );

  private readonly unary = this.RULE('unary', (): FormulaNode => {
    return this.OR([
      {
        ALT: () => {
          const operator = this.OR2([
            { ALT: () => this.CONSUME(AddOperator) },
            { ALT: () => this.CONSUME(Bang) },
          ]);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION(
            (): FormulaNode => ({
              kind: 'unary',
              operator: operator.image as '-' | '+' | '!',
              operand,
              position: positionOf(operator),
            }),
          );
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]);
  });

  private readonly power = this.RULE('power', (): FormulaNode => {
    let base = this.SUBRULE(this.primary);
    this.OPTION(() => {
      const operator = this.CONSUME(Caret);
      const exponent = this.SUBRULE(this.unary);
      base = this.ACTION(() => binary(operator, base, exponent));
    });
    return base;
  });

  private readonly primary = this.RULE('primary', (): FormulaNode => {
    return this.OR([
      {
        ALT: () => {
          const token = this.CONSUME(NumberLiteral);
          return this.ACTION(
            (): FormulaNode => ({
              kind: 'number',
              text: token.image,
              position: positionOf(token),
            }),
          );
        },
      },
      {
        ALT: () => {
          const token = this.CONSUME(TextLiteral);
          return this.ACTION(
            (): FormulaNode => ({
              kind: 'text',
              value: unescapeText(token, this.criterionName),
              position: positionOf(token),
            }),
          );
        },
      },
      { ALT: () => this.literal(this.CONSUME(True), true) },
      { ALT: () => this.literal(this.CONSUME(False), false) },
      {
        ALT: () => {
          const token = this.CONSUME(Null);
          return this.ACTION(
            (): FormulaNode => ({ kind: 'null', position: positionOf(token) }),
          );
        },
      },
      { ALT: () => this.SUBRULE(this.nameExpression) },
      {
        ALT: () => {
          this.CONSUME(LeftParen);
          const inner = this.SUBRULE(this.orExpression);
          this.CONSUME(RightParen);
          return inner;
        },
      },
    ]);
  });

  /** A function call `NAME(args)` or a field path `A__r.B__c`. */
  private readonly nameExpression = this.RULE(
    'nameExpression',
    (): FormulaNode => {
      const first = this.CONSUME(Identifier);
      return this.OR([
        {
          ALT: () => {
            this.CONSUME(LeftParen);
            const args: FormulaNode[] = [];
            this.OPTION(() => {
              args.push(this.SUBRULE(this.orExpression));
              this.MANY(() => {
                this.CONSUME(Comma);
                args.push(this.SUBRULE2(this.orExpression));
              });
            });
            const close = this.CONSUME(RightParen);
            return this.ACTION(
              (): FormulaNode => ({
                kind: 'call',
                name: first.image.toUpperCase(),
                args,
                position: positionOf(first),
                startOffset: first.startOffset,
                endOffset: close.endOffset ?? close.startOffset,
              }),
            );
          },
        },
        {
          ALT: () => {
            const tokens = [first];
            this.MANY2(() => {
              this.CONSUME(Dot);
              tokens.push(this.CONSUME2(Identifier));
            });
            return this.ACTION((): FormulaNode => {
              const segments: PathSegment[] = tokens.map((token) => ({
                name: token.image,
                position: positionOf(token),
              }));
              return { kind: 'path', segments, position: positionOf(first) };
            });
          },
        },
      ]);
    },
  );

  private literal(token: IToken, value: boolean): FormulaNode {
    return this.ACTION(
      (): FormulaNode => ({
        kind: 'boolean',
        value,
        position: positionOf(token),
      }),
    );
  }
}

/** One parser serves every formula: chevrotain parsers are built once and reset per input. */
let sharedParser: FormulaParser | undefined;

function endPosition(source: string): SourcePosition {
  const lines = source.split(/\r\n|\r|\n/);
  const last = lines[lines.length - 1] ?? '';
  return { line: lines.length, column: [...last].length + 1 };
}

function tokenPosition(token: IToken, source: string): SourcePosition {
  if (token.tokenType === EOF || Number.isNaN(token.startOffset)) {
    return endPosition(source);
  }
  return positionOf(token);
}

/** Parses a formula into its syntax tree; raises CriteriaError at the first syntax error. */
/**
 * The deepest nesting of parentheses and prefix operators a formula may have. The
 * parser, type checker and evaluators recurse once or more per level, and in a
 * test on Node 20 the stack ran out at 142 nested NOT(...).
 */
export const MAX_NESTING = 50;

/**
 * Raises a CriteriaError at the first token that nests deeper than MAX_NESTING, so
 * a deep formula gets its position instead of a stack overflow.
 */
function checkNesting(tokens: IToken[], criterionName: string): void {
  let parentheses = 0;
  let prefixRun = 0;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === LeftParen) parentheses += 1;
    else if (type === RightParen) parentheses -= 1;
    prefixRun =
      type === Bang || type === Plus || type === Minus ? prefixRun + 1 : 0;
    if (parentheses + prefixRun > MAX_NESTING) {
      throw new CriteriaError(
        criterionName,
        positionOf(token),
        `the formula nests more than ${MAX_NESTING} levels of parentheses and operators here; split it into simpler criteria or flatten it, such as AND(a, b, c) for AND(a, AND(b, c))`,
        { expected: `at most ${MAX_NESTING} levels`, found: 'more' },
      );
    }
  }
}

export function parseFormula(
  source: string,
  criterionName: string,
): FormulaNode {
  const tokens = tokenize(source, criterionName);
  checkNesting(tokens, criterionName);
  if (tokens.length === 0) {
    throw new CriteriaError(
      criterionName,
      endPosition(source),
      'the formula is empty; write an expression that is TRUE when the criterion is met',
      { expected: 'a formula', found: 'the end of the formula' },
    );
  }
  sharedParser ??= new FormulaParser();
  const parser = sharedParser;
  parser.setCriterion(criterionName);
  parser.input = tokens;
  const tree = parser.formula();
  const error = parser.errors[0];
  if (error) {
    const facts = JSON.parse(error.message) as SyntaxProblem;
    throw new CriteriaError(
      criterionName,
      tokenPosition(error.token, source),
      `expected ${facts.expected} but found ${facts.found}`,
      facts,
    );
  }
  return tree;
}

/** Position of a token in the formula text; line and column start at 1. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One name of a field path, such as `Owner__r` in `Owner__r.AccountId`. */
export interface PathSegment {
  name: string;
  position: SourcePosition;
}

export type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '^'
  | '&'
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | '&&'
  | '||';

export type UnaryOperator = '-' | '+' | '!';

/** Syntax tree of a formula; every node keeps the position of its first token. */
export type FormulaNode =
  | { kind: 'number'; text: string; position: SourcePosition }
  | { kind: 'text'; value: string; position: SourcePosition }
  | { kind: 'boolean'; value: boolean; position: SourcePosition }
  | { kind: 'null'; position: SourcePosition }
  | { kind: 'path'; segments: PathSegment[]; position: SourcePosition }
  | {
      kind: 'call';
      name: string;
      args: FormulaNode[];
      position: SourcePosition;
      /** Offsets of the name's first and the closing parenthesis's character. */
      startOffset: number;
      endOffset: number;
    }
  | {
      kind: 'unary';
      operator: UnaryOperator;
      operand: FormulaNode;
      position: SourcePosition;
    }
  | {
      kind: 'binary';
      operator: BinaryOperator;
      left: FormulaNode;
      right: FormulaNode;
      position: SourcePosition;
      operatorPosition: SourcePosition;
    };

export type CallNode = Extract<FormulaNode, { kind: 'call' }>;
export type PathNode = Extract<FormulaNode, { kind: 'path' }>;

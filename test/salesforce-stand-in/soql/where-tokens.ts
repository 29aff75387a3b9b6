import type {
  ConditionWithValueQuery,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';
import type { SalesforceApiError } from '../api-error.js';
import { queryError } from './query-error.js';

/**
 * A WHERE clause as a tree. The parser returns conditions as a right-linked list
 * with parenthesis counts on them, which does not encode precedence, so the
 * clause is flattened to tokens and parsed again here.
 */
export type WhereNode =
  | { kind: 'and' | 'or'; operands: WhereNode[] }
  | { kind: 'not'; operand: WhereNode }
  | { kind: 'condition'; condition: ConditionWithValueQuery };

type Token =
  | { kind: 'open' | 'close' | 'not' | 'and' | 'or' }
  | { kind: 'condition'; condition: ConditionWithValueQuery };

export function buildWhereTree(where: WhereClause, soql: string): WhereNode {
  const tokens: Token[] = [];
  flatten(where, tokens);
  const parser = new TokenParser(tokens, soql);
  const tree = parser.expression();
  parser.expectEnd();
  return tree;
}

function flatten(clause: WhereClause, out: Token[]): void {
  const left = clause.left as (ConditionWithValueQuery & object) | null;
  if (left) {
    const open = (left as { openParen?: number }).openParen ?? 0;
    for (let i = 0; i < open; i++) out.push({ kind: 'open' });
    if ('field' in left || 'fn' in left) {
      out.push({ kind: 'condition', condition: left });
      const close = (left as { closeParen?: number }).closeParen ?? 0;
      for (let i = 0; i < close; i++) out.push({ kind: 'close' });
    }
  }
  if (!('operator' in clause) || !clause.operator) return;
  if (clause.operator === 'NOT') out.push({ kind: 'not' });
  else out.push({ kind: clause.operator === 'AND' ? 'and' : 'or' });
  flatten(clause.right, out);
}

/**
 * Parses tokens with Salesforce's rules: AND and OR may not be mixed at one level
 * without parentheses, and NOT may only start an expression, so
 * `A AND NOT B` needs `A AND (NOT B)`.
 */
class TokenParser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly soql: string,
  ) {}

  expression(): WhereNode {
    const operands = [this.unary()];
    let operator: 'and' | 'or' | undefined;
    for (;;) {
      const next = this.tokens[this.position];
      if (!next || (next.kind !== 'and' && next.kind !== 'or')) break;
      if (operator && next.kind !== operator) {
        throw this.unexpected(next.kind.toUpperCase(), next.kind.toUpperCase());
      }
      operator = next.kind;
      this.position++;
      if (this.tokens[this.position]?.kind === 'not') {
        throw this.unexpected('NOT', "'NOT'");
      }
      operands.push(this.unary());
    }
    return operator ? { kind: operator, operands } : (operands[0] as WhereNode);
  }

  private unary(): WhereNode {
    const token = this.tokens[this.position++];
    if (!token) throw this.unexpected(undefined, '<EOF>');
    if (token.kind === 'not') return { kind: 'not', operand: this.unary() };
    if (token.kind === 'condition') {
      return { kind: 'condition', condition: token.condition };
    }
    if (token.kind === 'open') {
      const inner = this.expression();
      if (this.tokens[this.position]?.kind !== 'close') {
        throw this.unexpected(undefined, "')'");
      }
      this.position++;
      return inner;
    }
    throw this.unexpected(token.kind.toUpperCase(), token.kind.toUpperCase());
  }

  expectEnd(): void {
    const token = this.tokens[this.position];
    if (token) {
      const text = token.kind === 'condition' ? 'condition' : token.kind;
      throw this.unexpected(text, text.toUpperCase());
    }
  }

  private unexpected(
    token: string | undefined,
    shown: string,
  ): SalesforceApiError {
    return queryError(
      this.soql,
      token,
      'MALFORMED_QUERY',
      `unexpected token: ${shown}`,
    );
  }
}

import type { SourcePosition } from './ast.js';

/**
 * A formula that does not parse or type-check. The message names the criterion and
 * the position, such as `Criterion Default_Registered_Owners: line 1, column 14:
 * expected ")" but found ","`.
 */
export class CriteriaError extends Error {
  readonly criterionName: string;
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token. */
  readonly column: number;
  /** What the formula should have had at that position, where that applies. */
  readonly expected?: string;
  /** What the formula had instead, where that applies. */
  readonly found?: string;
  /** The problem without the criterion name and position prefix. */
  readonly detail: string;

  constructor(
    criterionName: string,
    position: SourcePosition,
    detail: string,
    facts: { expected?: string; found?: string } = {},
  ) {
    super(
      `Criterion ${criterionName}: line ${position.line}, column ${position.column}: ${detail}`,
    );
    this.name = 'CriteriaError';
    this.criterionName = criterionName;
    this.line = position.line;
    this.column = position.column;
    this.detail = detail;
    if (facts.expected !== undefined) this.expected = facts.expected;
    if (facts.found !== undefined) this.found = facts.found;
  }
}

/**
 * A record value that does not fit its field's type, such as text in a number
 * field: the record does not match the org schema the formula was compiled against.
 */
export class RecordValueError extends Error {
  constructor(
    readonly criterionName: string,
    readonly path: string,
    readonly value: unknown,
    /** Description of the field's type, such as `a date in the form YYYY-MM-DD`. */
    readonly expectedType: string,
  ) {
    super(
      `Criterion ${criterionName}: ${path} holds ${describeValue(value)}, which is not ${expectedType}; ` +
        'the record does not match the org schema, so fix the store or the import that produced it',
    );
    this.name = 'RecordValueError';
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the record lacks it)';
  return JSON.stringify(value) ?? String(value);
}

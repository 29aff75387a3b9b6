import type { BinaryOperator, FormulaNode } from './ast.js';
import type {
  CompiledNode,
  CompileNode,
  Evaluator,
  Scope,
} from './compiled-node.js';
import { CriteriaError } from './criteria-error.js';
import { describeType, type FormulaType } from './formula-type.js';
import { dayInRange, instantInRange, MS_PER_DAY } from './date-values.js';
import {
  add,
  divide,
  exponentiate,
  multiply,
  negate,
  subtract,
  toNumber,
  type ExactNumber,
} from './exact-number.js';
import type { RuntimeValue } from './runtime-values.js';
import { compileComparison } from './comparisons.js';
import { emitConnective } from './logical-functions.js';
import { expectType, isPicklistType, picklistMisuse } from './type-checks.js';
import type { Emitter } from './source-writer.js';

type BinaryNode = Extract<FormulaNode, { kind: 'binary' }>;
type Combine = (left: RuntimeValue, right: RuntimeValue) => RuntimeValue;

/** Evaluates both operands (so both are reported as read); a blank operand gives blank. */
function blankPropagating(
  left: Evaluator,
  right: Evaluator,
  combine: Combine,
): Evaluator {
  return (record, context) => {
    const a = left(record, context);
    const b = right(record, context);
    if (a === null || b === null) return null;
    return combine(a, b);
  };
}

/** Builds the emitter that matches `blankPropagating`, which calls `combine` as a constant. */
function emitBlankPropagating(
  left: CompiledNode,
  right: CompiledNode,
  combine: Combine,
): Emitter {
  return (writer, record) => {
    const a = left.emit(writer, record);
    const b = right.emit(writer, record);
    return writer.value(
      `${a} === null || ${b} === null ? null : ${writer.constant(combine)}(${a}, ${b})`,
    );
  };
}

type Exact = ExactNumber;

const NUMBER_OPERATIONS: Partial<Record<BinaryOperator, Combine>> = {
  '+': (a, b) => add(a as Exact, b as Exact),
  '-': (a, b) => subtract(a as Exact, b as Exact),
  '*': (a, b) => multiply(a as Exact, b as Exact),
  '/': (a, b) => divide(a as Exact, b as Exact),
  '^': (a, b) => exponentiate(a as Exact, b as Exact),
};

/**
 * A date plus a number of days, with the fraction of a day dropped. A result outside
 * the dates Salesforce accepts, 1700-01-01 to 4000-12-31, is blank.
 */
const addDays = (day: RuntimeValue, days: RuntimeValue) =>
  dayInRange((day as number) + Math.trunc(toNumber(days as Exact)));
/** A date/time plus a number of days, to the nearest millisecond, or blank out of range. */
const addDayFraction = (ms: RuntimeValue, days: RuntimeValue) =>
  instantInRange(
    (ms as number) +
      Math.round(toNumber(multiply(days as Exact, MS_PER_DAY) ?? 0)),
  );
const minus = (days: RuntimeValue) => negate(days as Exact);

/** `[left type, right type, result type, combine]` for date arithmetic. */
const DATE_ARITHMETIC: Array<
  [BinaryOperator, FormulaType, FormulaType, FormulaType, Combine]
> = [
  ['+', 'date', 'number', 'date', addDays],
  ['+', 'number', 'date', 'date', (n, d) => addDays(d, n)],
  ['-', 'date', 'number', 'date', (d, n) => addDays(d, minus(n))],
  ['-', 'date', 'date', 'number', (a, b) => (a as number) - (b as number)],
  ['+', 'datetime', 'number', 'datetime', addDayFraction],
  ['+', 'number', 'datetime', 'datetime', (n, t) => addDayFraction(t, n)],
  [
    '-',
    'datetime',
    'number',
    'datetime',
    (t, n) => addDayFraction(t, minus(n)),
  ],
  [
    '-',
    'datetime',
    'datetime',
    'number',
    (a, b) => divide((a as number) - (b as number), MS_PER_DAY),
  ],
];

/** In arithmetic, NULL stands for a blank number. */
const arithmeticType = (type: FormulaType): FormulaType =>
  type === 'null' ? 'number' : type;

/** The error for a date or date/time followed by `+` or `-` and a wrong operand. */
function dateOperandError(
  operator: BinaryOperator,
  leftType: FormulaType,
  right: CompiledNode,
  scope: Scope,
): CriteriaError {
  const allowed =
    operator === '-'
      ? `a number of days or ${describeType(leftType)}`
      : 'a number of days';
  const found = describeType(arithmeticType(right.type));
  return new CriteriaError(
    scope.state.criterionName,
    right.node.position,
    `"${operator}" after ${describeType(leftType)} needs ${allowed}, but this is ${found}`,
    { expected: allowed, found },
  );
}

/** Type-checks and compiles `+ - * / ^`: numbers, text joined by `+`, date arithmetic. */
function arithmetic(
  node: BinaryNode,
  left: CompiledNode,
  right: CompiledNode,
  scope: Scope,
): CompiledNode {
  const operator = node.operator;
  const role = `an operand of "${operator}"`;
  for (const operand of [left, right]) {
    if (isPicklistType(operand.type)) {
      throw picklistMisuse(operand, role, scope);
    }
  }

  const leftType = arithmeticType(left.type);
  const rightType = arithmeticType(right.type);
  if (operator === '+' && (leftType === 'text' || rightType === 'text')) {
    expectType(left, ['text'], role, scope);
    expectType(right, ['text'], role, scope);
    return concatenation(node, left, right);
  }

  const rule = DATE_ARITHMETIC.find(
    ([op, l, r]) => op === operator && l === leftType && r === rightType,
  );
  if (rule) {
    return {
      type: rule[3],
      evaluate: blankPropagating(left.evaluate, right.evaluate, rule[4]),
      emit: emitBlankPropagating(left, right, rule[4]),
      node,
    };
  }

  const additive = operator === '+' || operator === '-';
  if (additive && (leftType === 'date' || leftType === 'datetime')) {
    throw dateOperandError(operator, leftType, right, scope);
  }
  const dateHint = additive
    ? '; dates and date/times take a number of days'
    : '';
  expectType(left, ['number'], role, scope, dateHint);
  expectType(right, ['number'], role, scope, dateHint);
  const combine = NUMBER_OPERATIONS[operator]!;
  return {
    type: 'number',
    evaluate: blankPropagating(left.evaluate, right.evaluate, combine),
    emit: emitBlankPropagating(left, right, combine),
    node,
  };
}

function concatenation(
  node: BinaryNode,
  left: CompiledNode,
  right: CompiledNode,
): CompiledNode {
  const a = left.evaluate;
  const b = right.evaluate;
  const emit: Emitter = (writer, record) => {
    const first = left.emit(writer, record);
    const second = right.emit(writer, record);
    const empty = writer.constant('');
    return writer.value(`(${first} ?? ${empty}) + (${second} ?? ${empty})`);
  };
  return {
    type: 'text',
    evaluate: (record, context) =>
      ((a(record, context) as string | null) ?? '') +
      ((b(record, context) as string | null) ?? ''),
    emit,
    node,
  };
}

function logical(
  node: BinaryNode,
  left: CompiledNode,
  right: CompiledNode,
  scope: Scope,
): CompiledNode {
  const role = `an operand of "${node.operator}"`;
  expectType(left, ['boolean'], role, scope);
  expectType(right, ['boolean'], role, scope);
  const a = left.evaluate;
  const b = right.evaluate;
  const evaluate: Evaluator =
    node.operator === '&&'
      ? (record, context) =>
          a(record, context) === true && b(record, context) === true
      : (record, context) =>
          a(record, context) === true || b(record, context) === true;
  const emit = emitConnective([left, right], node.operator === '||');
  return { type: 'boolean', evaluate, emit, node };
}

/** Type-checks and compiles a binary operator. */
export function compileBinary(
  node: BinaryNode,
  scope: Scope,
  compileNode: CompileNode,
): CompiledNode {
  const left = compileNode(node.left, scope);
  const right = compileNode(node.right, scope);
  switch (node.operator) {
    case '&&':
    case '||':
      return logical(node, left, right, scope);
    case '&': {
      const role = 'an operand of "&"';
      const hint = '; convert it with TEXT()';
      expectType(left, ['text'], role, scope, hint);
      expectType(right, ['text'], role, scope, hint);
      return concatenation(node, left, right);
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '^':
      return arithmetic(node, left, right, scope);
    default:
      return compileComparison(node, left, right, scope);
  }
}

import type { BinaryOperator, FormulaNode } from './ast.js';
import type { CompiledNode, Evaluator, Scope } from './compiled-node.js';
import { CriteriaError } from './criteria-error.js';
import { compare, type ExactNumber } from './exact-number.js';
import { describeType, type FormulaType } from './formula-type.js';
import type { Emitter, SourceWriter } from './source-writer.js';
import { isPicklistType, picklistMisuse } from './type-checks.js';

type BinaryNode = Extract<FormulaNode, { kind: 'binary' }>;

/**
 * Each operator as three bits: bit 0 is its result when the left side is less, bit
 * 1 when equal, bit 2 when greater. `(mask >> (sign + 1)) & 1` is the result for a
 * comparison sign of -1, 0 or 1, without a call per evaluation.
 */
const SIGN_MASKS: Partial<Record<BinaryOperator, number>> = {
  '=': 0b010,
  '<>': 0b101,
  '<': 0b001,
  '<=': 0b011,
  '>': 0b100,
  '>=': 0b110,
};

function compareHint(leftType: FormulaType, rightType: FormulaType): string {
  const types = new Set([leftType, rightType]);
  if (types.has('date') && types.has('datetime')) {
    return '; convert the date/time with DATEVALUE()';
  }
  if (types.has('text') && types.has('number')) {
    return '; convert with VALUE() or TEXT()';
  }
  return '';
}

/** Returns the type both sides are compared as. Raises CriteriaError when they differ. */
function comparedType(
  node: BinaryNode,
  left: CompiledNode,
  right: CompiledNode,
  scope: Scope,
): FormulaType {
  const operator = node.operator;
  for (const operand of [left, right]) {
    if (isPicklistType(operand.type)) {
      throw picklistMisuse(operand, `"${operator}"`, scope);
    }
  }
  const type = left.type === 'null' ? right.type : left.type;
  if (right.type !== 'null' && right.type !== type) {
    const expected = describeType(type);
    const found = describeType(right.type);
    throw new CriteriaError(
      scope.state.criterionName,
      right.node.position,
      `"${operator}" cannot compare ${expected} with ${found}${compareHint(type, right.type)}`,
      { expected, found },
    );
  }
  const ordering = operator !== '=' && operator !== '<>';
  if (ordering && (type === 'text' || type === 'boolean')) {
    throw new CriteriaError(
      scope.state.criterionName,
      node.operatorPosition,
      `"${operator}" compares numbers, dates and date/times, not ${describeType(type)}`,
      { expected: '"=" or "<>"', found: `"${operator}"` },
    );
  }
  return type;
}

function textComparison(
  left: Evaluator,
  right: Evaluator,
  equal: boolean,
): Evaluator {
  return (record, context) =>
    (((left(record, context) as string | null) ?? '') ===
      ((right(record, context) as string | null) ?? '')) ===
    equal;
}

/** Numbers compare exactly; with a literal on the right, as in `COUNT(...) >= 1`, it is not called. */
function numberComparison(
  left: Evaluator,
  right: CompiledNode,
  mask: number,
): Evaluator {
  if (right.constant) {
    const constant = right.constant.value as ExactNumber | null;
    if (constant === null) {
      return (record, context) => {
        left(record, context);
        return false;
      };
    }
    return (record, context) => {
      const x = left(record, context) as ExactNumber | null;
      return x !== null && ((mask >> (compare(x, constant) + 1)) & 1) === 1;
    };
  }
  const evaluateRight = right.evaluate;
  return (record, context) => {
    const x = left(record, context) as ExactNumber | null;
    const y = evaluateRight(record, context) as ExactNumber | null;
    if (x === null || y === null) return false;
    return ((mask >> (compare(x, y) + 1)) & 1) === 1;
  };
}

/** Dates, date/times and booleans, whose runtime values compare with `<` and `===`. */
function plainComparison(
  left: Evaluator,
  right: Evaluator,
  mask: number,
): Evaluator {
  return (record, context) => {
    const x = left(record, context);
    const y = right(record, context);
    if (x === null || y === null) return false;
    const sign = x === y ? 0 : (x as number) < (y as number) ? -1 : 1;
    return ((mask >> (sign + 1)) & 1) === 1;
  };
}

/**
 * Each operator as a JavaScript test of two numbers that agrees with its sign mask
 * of `compare` even for NaN, which compares as greater: `>` is `!(a <= b)`.
 */
const NUMBER_TESTS: Partial<
  Record<BinaryOperator, (a: string, b: string) => string>
> = {
  '=': (a, b) => `${a} === ${b}`,
  '<>': (a, b) => `${a} !== ${b}`,
  '<': (a, b) => `${a} < ${b}`,
  '<=': (a, b) => `${a} <= ${b}`,
  '>': (a, b) => `!(${a} <= ${b})`,
  '>=': (a, b) => `!(${a} < ${b})`,
};

/** Returns the test of the sign of `compare(a, b)` against the operator's mask. */
function emitMaskTest(
  writer: SourceWriter,
  mask: number,
  a: string,
  b: string,
): string {
  return `((${mask} >> (${writer.constant(compare)}(${a}, ${b}) + 1)) & 1) === 1`;
}

/**
 * Builds the emitter of a comparison, which matches the closures above. Both sides
 * are evaluated, and a blank side makes it false except for text. Numbers compare
 * with JavaScript operators while both are numbers, else through `compare`.
 */
function emitComparison(
  type: FormulaType,
  operator: BinaryOperator,
  left: CompiledNode,
  right: CompiledNode,
): Emitter {
  const mask = SIGN_MASKS[operator]!;
  const test = NUMBER_TESTS[operator]!;
  return (writer, record) => {
    const a = left.emit(writer, record);
    const b = right.emit(writer, record);
    if (type === 'text') {
      const empty = writer.constant('');
      const equal = operator === '=' ? '===' : '!==';
      return writer.value(`(${a} ?? ${empty}) ${equal} (${b} ?? ${empty})`, {
        boolean: true,
      });
    }
    const present = `${a} !== null && ${b} !== null`;
    if (type !== 'number') {
      // Dates, date/times and booleans, which compare as plainComparison does.
      return writer.value(`${present} && ${test(a, b)}`, { boolean: true });
    }
    const constant = right.constant?.value;
    const bothNumbers =
      typeof constant === 'number'
        ? `typeof ${a} === 'number'`
        : `typeof ${a} === 'number' && typeof ${b} === 'number'`;
    return writer.value(
      `${present} && (${bothNumbers} ? ${test(a, b)} : ${emitMaskTest(writer, mask, a, b)})`,
      { boolean: true },
    );
  };
}

/**
 * Compiles a comparison. A blank number, date, date/time or boolean makes every
 * comparison false, `<>` included. Text compares as in Salesforce, where a blank
 * text equals "", and case matters.
 */
export function compileComparison(
  node: BinaryNode,
  left: CompiledNode,
  right: CompiledNode,
  scope: Scope,
): CompiledNode {
  const type = comparedType(node, left, right, scope);
  const mask = SIGN_MASKS[node.operator]!;
  let evaluate: Evaluator;
  if (type === 'text') {
    evaluate = textComparison(
      left.evaluate,
      right.evaluate,
      node.operator === '=',
    );
  } else if (type === 'number') {
    evaluate = numberComparison(left.evaluate, right, mask);
  } else {
    evaluate = plainComparison(left.evaluate, right.evaluate, mask);
  }
  const emit = emitComparison(type, node.operator, left, right);
  return { type: 'boolean', evaluate, emit, node };
}

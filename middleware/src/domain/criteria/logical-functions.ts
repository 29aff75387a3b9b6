import type { CallNode } from './ast.js';
import type { CompiledNode, Evaluator, Scope } from './compiled-node.js';
import {
  argumentRole,
  compileArgs,
  singleArgument,
  type FunctionSpec,
} from './function-spec.js';
import { readDirectField } from './field-access.js';
import type { FormulaType } from './formula-type.js';
import { isBlankValue } from './runtime-values.js';
import type { Emitter, SourceWriter } from './source-writer.js';
import { expectType, picklistMisuse, unifyTypes } from './type-checks.js';

/**
 * Builds the evaluator of AND or OR, which evaluates arguments until one is
 * `decisive` (true for OR, false for AND) and returns that; a blank counts as
 * false. Two arguments, the common case, skip the loop.
 */
function connect(evaluators: Evaluator[], decisive: boolean): Evaluator {
  const [first, second] = evaluators;
  if (evaluators.length === 2 && first && second) {
    return decisive
      ? (record, context) =>
          first(record, context) === true || second(record, context) === true
      : (record, context) =>
          first(record, context) === true && second(record, context) === true;
  }
  return (record, context) => {
    for (const evaluator of evaluators) {
      if ((evaluator(record, context) === true) === decisive) return decisive;
    }
    return !decisive;
  };
}

/**
 * Builds the emitter of AND or OR, which matches `connect`. The arguments after the
 * first are written one after another in a labeled block, which the first decisive
 * argument leaves with `break`. Nesting each in the test of the one before would
 * overflow V8's parser stack at about 2,000 arguments.
 */
export function emitConnective(
  args: readonly CompiledNode[],
  decisive: boolean,
): Emitter {
  return (writer, record) => {
    const result = writer.variable(String(decisive), { boolean: true });
    const first = writer.isTrue(args[0]!.emit(writer, record));
    if (args.length === 1) {
      writer.line(`${result} = ${first};`);
      return result;
    }
    const label = writer.local('done');
    writer.block(`${label}:`, () => {
      let value = first;
      for (const arg of args.slice(1)) {
        writer.line(`if (${decisive ? value : `!(${value})`}) break ${label};`);
        value = writer.isTrue(arg.emit(writer, record));
      }
      writer.line(`${result} = ${value};`);
    });
    return result;
  };
}

/** Returns a test of whether a value of `type` is blank, as isBlankValue tests. */
function emitBlankTest(
  writer: SourceWriter,
  type: FormulaType,
  value: string,
): string {
  if (type === 'text' || type === 'picklist' || type === 'multipicklist') {
    return `${value} === null || ${value} === ${writer.constant('')}`;
  }
  return `${value} === null`;
}

/** Builds the spec of AND or OR. */
function connective(name: 'AND' | 'OR'): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: Infinity,
    usage: `${name}(condition1, condition2, ...)`,
    compile(call, scope, compileNode) {
      const args = compileArgs(call, scope, compileNode);
      args.forEach((arg, index) =>
        expectType(arg, ['boolean'], argumentRole(call, index), scope),
      );
      return {
        type: 'boolean',
        evaluate: connect(
          args.map((arg) => arg.evaluate),
          name === 'OR',
        ),
        emit: emitConnective(args, name === 'OR'),
        node: call,
      };
    },
  };
}

/**
 * ISBLANK, with its negation for NOT(ISBLANK(...)) written out, so NOT costs no
 * extra call. A field without a lookup is read directly instead of through
 * `evaluate`.
 */
function blankTest(
  arg: CompiledNode,
  call: CallNode,
  scope: Scope,
): CompiledNode {
  if (arg.type === 'picklist') throw picklistMisuse(arg, 'ISBLANK', scope);
  const type = arg.type;
  const emit: Emitter = (writer, record) =>
    writer.value(emitBlankTest(writer, type, arg.emit(writer, record)), {
      boolean: true,
    });
  const direct = arg.directField;
  if (direct) {
    return {
      type: 'boolean',
      evaluate: (record, context) =>
        isBlankValue(type, readDirectField(direct, record, context)),
      negated: (record, context) =>
        !isBlankValue(type, readDirectField(direct, record, context)),
      emit,
      node: call,
    };
  }
  const inner = arg.evaluate;
  return {
    type: 'boolean',
    evaluate: (record, context) => isBlankValue(type, inner(record, context)),
    negated: (record, context) => !isBlankValue(type, inner(record, context)),
    emit,
    node: call,
  };
}

export const LOGICAL_FUNCTIONS: Record<string, FunctionSpec> = {
  AND: connective('AND'),
  OR: connective('OR'),
  NOT: singleArgument('NOT(condition)', (arg, call, scope) => {
    expectType(arg, ['boolean'], argumentRole(call, 0), scope);
    const inner = arg.evaluate;
    return {
      type: 'boolean',
      evaluate:
        arg.negated ?? ((record, context) => inner(record, context) !== true),
      negated: (record, context) => inner(record, context) === true,
      emit: (writer, record) =>
        writer.value(`!(${writer.isTrue(arg.emit(writer, record))})`, {
          boolean: true,
        }),
      node: call,
    };
  }),
  IF: {
    minArgs: 3,
    maxArgs: 3,
    usage: 'IF(condition, value if true, value if false)',
    compile(call, scope, compileNode) {
      const [condition, whenTrue, whenFalse] = compileArgs(
        call,
        scope,
        compileNode,
      ) as [CompiledNode, CompiledNode, CompiledNode];
      expectType(condition, ['boolean'], argumentRole(call, 0), scope);
      const type = unifyTypes(whenTrue, whenFalse, 'the values of IF', scope);
      const test = condition.evaluate;
      const a = whenTrue.evaluate;
      const b = whenFalse.evaluate;
      const emit: Emitter = (writer, record) => {
        const test = writer.isTrue(condition.emit(writer, record));
        const result = writer.variable('null');
        writer.block(`if (${test})`, () => {
          const value = whenTrue.emit(writer, record);
          writer.line(`${result} = ${value};`);
        });
        writer.block('else', () => {
          const value = whenFalse.emit(writer, record);
          writer.line(`${result} = ${value};`);
        });
        return result;
      };
      return {
        type,
        evaluate: (record, context) =>
          test(record, context) === true
            ? a(record, context)
            : b(record, context),
        emit,
        node: call,
      };
    },
  },
  ISBLANK: singleArgument('ISBLANK(value)', blankTest),
  BLANKVALUE: {
    minArgs: 2,
    maxArgs: 2,
    usage: 'BLANKVALUE(value, substitute if blank)',
    compile(call, scope, compileNode) {
      const [value, substitute] = compileArgs(call, scope, compileNode) as [
        CompiledNode,
        CompiledNode,
      ];
      const role = 'the values of BLANKVALUE';
      const type = unifyTypes(value, substitute, role, scope);
      const valueType = value.type;
      const a = value.evaluate;
      const b = substitute.evaluate;
      const emit: Emitter = (writer, record) => {
        const result = writer.variable(value.emit(writer, record));
        const blank = emitBlankTest(writer, valueType, result);
        writer.block(`if (${blank})`, () => {
          const replacement = substitute.emit(writer, record);
          writer.line(`${result} = ${replacement};`);
        });
        return result;
      };
      return {
        type,
        evaluate: (record, context) => {
          const result = a(record, context);
          return isBlankValue(valueType, result) ? b(record, context) : result;
        },
        emit,
        node: call,
      };
    },
  },
};

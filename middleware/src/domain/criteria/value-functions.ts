import { nowOf, todayOf } from './clock.js';
import type { CompiledNode, Evaluator } from './compiled-node.js';
import {
  formatDate,
  formatDateTime,
  MS_PER_DAY,
  parseDate,
} from './date-values.js';
import { formatExact, type ExactNumber } from './exact-number.js';
import type { FormulaType } from './formula-type.js';
import {
  argumentRole,
  compileArgs,
  singleArgument,
  type FunctionSpec,
} from './function-spec.js';
import { numberOfText, type RuntimeValue } from './runtime-values.js';
import { expectType } from './type-checks.js';

/** Applies `convert` to a non-blank value; blank stays blank. */
function mapValue(
  inner: Evaluator,
  convert: (value: never) => RuntimeValue,
): Evaluator {
  return (record, context) => {
    const value = inner(record, context);
    return value === null ? null : convert(value as never);
  };
}

const TEXT_CONVERSIONS: Partial<
  Record<FormulaType, (value: never) => RuntimeValue>
> = {
  number: (value: ExactNumber) => formatExact(value),
  date: (value: number) => formatDate(value),
  datetime: (value: number) => formatDateTime(value),
};

const asText = (value: RuntimeValue) => (value as string | null) ?? '';

export const VALUE_FUNCTIONS: Record<string, FunctionSpec> = {
  TEXT: singleArgument('TEXT(value)', (arg, call, scope) => {
    if (arg.type === 'picklist' || arg.type === 'text') {
      // TEXT of a picklist is its value as text, so the field stays direct.
      return {
        type: 'text',
        evaluate: arg.evaluate,
        node: call,
        directField: arg.directField,
      };
    }
    expectType(
      arg,
      ['number', 'date', 'datetime', 'picklist', 'text'],
      argumentRole(call, 0),
      scope,
    );
    const convert = TEXT_CONVERSIONS[arg.type];
    const evaluate = convert ? mapValue(arg.evaluate, convert) : () => null;
    return { type: 'text', evaluate, node: call };
  }),
  LEN: singleArgument('LEN(text)', (arg, call, scope) => {
    expectType(arg, ['text'], argumentRole(call, 0), scope);
    const inner = arg.evaluate;
    return {
      type: 'number',
      // Counts characters, not UTF-16 code units.
      evaluate: (record, context) => [...asText(inner(record, context))].length,
      node: call,
    };
  }),
  CONTAINS: {
    minArgs: 2,
    maxArgs: 2,
    usage: 'CONTAINS(text, text to find)',
    compile(call, scope, compileNode) {
      const [text, part] = compileArgs(call, scope, compileNode) as [
        CompiledNode,
        CompiledNode,
      ];
      expectType(text, ['text'], argumentRole(call, 0), scope);
      expectType(part, ['text'], argumentRole(call, 1), scope);
      const a = text.evaluate;
      const b = part.evaluate;
      return {
        type: 'boolean',
        evaluate: (record, context) =>
          asText(a(record, context)).includes(asText(b(record, context))),
        node: call,
      };
    },
  },
  DATEVALUE: singleArgument(
    'DATEVALUE(date/time or "YYYY-MM-DD")',
    (arg, call, scope) => {
      const allowed: FormulaType[] = ['datetime', 'date', 'text'];
      expectType(arg, allowed, argumentRole(call, 0), scope);
      let evaluate = arg.evaluate;
      if (arg.type === 'datetime') {
        // The date in UTC, as Salesforce's DATEVALUE of a date/time returns it.
        evaluate = mapValue(arg.evaluate, (ms: number) =>
          Math.floor(ms / MS_PER_DAY),
        );
      } else if (arg.type === 'text') {
        evaluate = mapValue(
          arg.evaluate,
          (text: string) => parseDate(text.trim()) ?? null,
        );
      }
      return { type: 'date', evaluate, node: call };
    },
  ),
  VALUE: singleArgument('VALUE(text)', (arg, call, scope) => {
    expectType(arg, ['text'], argumentRole(call, 0), scope);
    return {
      type: 'number',
      evaluate: mapValue(arg.evaluate, numberOfText),
      node: call,
    };
  }),
  TODAY: {
    minArgs: 0,
    maxArgs: 0,
    usage: 'TODAY()',
    compile: (call) => ({
      type: 'date',
      evaluate: (_record, context) => todayOf(context.env),
      node: call,
    }),
  },
  NOW: {
    minArgs: 0,
    maxArgs: 0,
    usage: 'NOW()',
    compile: (call) => ({
      type: 'datetime',
      evaluate: (_record, context) => nowOf(context.env),
      node: call,
    }),
  },
};

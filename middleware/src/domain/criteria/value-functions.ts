import { nowOf, todayOf } from './clock.js';
import type { CompiledNode, Evaluator } from './compiled-node.js';
import {
  dayInRange,
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
import type { Emitter } from './source-writer.js';
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

/** Builds the emitter that matches `mapValue`, which calls `convert` as a constant. */
function emitMapValue(
  arg: CompiledNode,
  convert: (value: never) => RuntimeValue,
): Emitter {
  return (writer, record) => {
    const value = arg.emit(writer, record);
    return writer.value(
      `${value} === null ? null : ${writer.constant(convert)}(${value})`,
    );
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

/** LEN: counts characters, not UTF-16 code units. Blank has none. */
const characterCount = (value: RuntimeValue) => [...asText(value)].length;

/** CONTAINS: blank counts as "", which every text contains. */
const containsText = (text: RuntimeValue, part: RuntimeValue) =>
  asText(text).includes(asText(part));

/** DATEVALUE of a date/time: the date in UTC, as Salesforce returns it. */
const dateOfDateTime = (ms: number) => Math.floor(ms / MS_PER_DAY);

/**
 * DATEVALUE of text: the `YYYY-MM-DD` date, ignoring spaces around it. A date
 * outside the dates Salesforce accepts, 1700-01-01 to 4000-12-31, is blank, as
 * date arithmetic that leaves them is.
 */
function dateOfText(text: string): number | null {
  const day = parseDate(text.trim());
  return day === undefined ? null : dayInRange(day);
}

export const VALUE_FUNCTIONS: Record<string, FunctionSpec> = {
  TEXT: singleArgument('TEXT(value)', (arg, call, scope) => {
    if (arg.type === 'picklist' || arg.type === 'text') {
      // TEXT of a picklist is its value as text, so the field stays direct.
      return {
        type: 'text',
        evaluate: arg.evaluate,
        emit: arg.emit,
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
    if (!convert) {
      // Only NULL is left, whose text is blank.
      return {
        type: 'text',
        evaluate: () => null,
        emit: () => 'null',
        node: call,
      };
    }
    return {
      type: 'text',
      evaluate: mapValue(arg.evaluate, convert),
      emit: emitMapValue(arg, convert),
      node: call,
    };
  }),
  LEN: singleArgument('LEN(text)', (arg, call, scope) => {
    expectType(arg, ['text'], argumentRole(call, 0), scope);
    const inner = arg.evaluate;
    return {
      type: 'number',
      evaluate: (record, context) => characterCount(inner(record, context)),
      emit: (writer, record) => {
        const value = arg.emit(writer, record);
        return writer.value(`${writer.constant(characterCount)}(${value})`);
      },
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
      const emit: Emitter = (writer, record) => {
        const textValue = text.emit(writer, record);
        const partValue = part.emit(writer, record);
        return writer.value(
          `${writer.constant(containsText)}(${textValue}, ${partValue})`,
          { boolean: true },
        );
      };
      return {
        type: 'boolean',
        evaluate: (record, context) =>
          containsText(a(record, context), b(record, context)),
        emit,
        node: call,
      };
    },
  },
  DATEVALUE: singleArgument(
    'DATEVALUE(date/time or "YYYY-MM-DD")',
    (arg, call, scope) => {
      const allowed: FormulaType[] = ['datetime', 'date', 'text'];
      expectType(arg, allowed, argumentRole(call, 0), scope);
      const convert =
        arg.type === 'datetime'
          ? dateOfDateTime
          : arg.type === 'text'
            ? dateOfText
            : undefined;
      if (!convert) {
        return {
          type: 'date',
          evaluate: arg.evaluate,
          emit: arg.emit,
          node: call,
        };
      }
      return {
        type: 'date',
        evaluate: mapValue(arg.evaluate, convert),
        emit: emitMapValue(arg, convert),
        node: call,
      };
    },
  ),
  VALUE: singleArgument('VALUE(text)', (arg, call, scope) => {
    expectType(arg, ['text'], argumentRole(call, 0), scope);
    return {
      type: 'number',
      evaluate: mapValue(arg.evaluate, numberOfText),
      emit: emitMapValue(arg, numberOfText),
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
      emit: (writer) => writer.value(`${writer.constant(todayOf)}(env)`),
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
      emit: (writer) => writer.value(`${writer.constant(nowOf)}(env)`),
      node: call,
    }),
  },
};

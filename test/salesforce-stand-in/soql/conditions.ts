import type {
  ConditionWithValueQuery,
  LiteralType,
  Query,
} from '@jetstreamapp/soql-parser-js';
import type { ObjectSchema } from '../../../middleware/src/domain/schema.js';
import type { RecordStore, StoredRecord } from '../record-store.js';
import { normalizeId } from '../salesforce-id.js';
import type { SchemaIndex } from '../schema-index.js';
import { dateLiteralRange } from './date-literals.js';
import { readPath, resolvePath, type ResolvedPath } from './field-paths.js';
import { queryError, unsupported } from './query-error.js';
import {
  categoryOf,
  compareValues,
  toComparable,
  type Comparable,
  type ValueCategory,
} from './values.js';

/** What compiling a WHERE clause needs from the query around it. */
export interface CompileContext {
  schema: SchemaIndex;
  object: ObjectSchema;
  soql: string;
  alias?: string;
  now: Date;
  timeZone: string;
  /** Compiles the inner query of `Field IN (SELECT ...)`. */
  compileSemiJoin(query: Query): SemiJoin;
}

/** An inner query whose single selected Id or reference field filters the outer one. */
export interface SemiJoin {
  run(env: EvalEnv): Set<string>;
}

export interface EvalEnv {
  store: RecordStore;
  includeDeleted: boolean;
  /** Inner query results, computed once per execution. */
  semiJoinCache: Map<SemiJoin, Set<string>>;
}

export type Predicate = (record: StoredRecord, env: EvalEnv) => boolean;

type Operand =
  | { kind: 'value'; value: Comparable | null }
  | { kind: 'range'; start: Comparable; end: Comparable };

const EXPECTED_LITERALS: Record<ValueCategory, LiteralType[]> = {
  text: ['STRING'],
  multipicklist: ['STRING'],
  id: ['STRING'],
  number: [
    'INTEGER',
    'DECIMAL',
    'INTEGER_WITH_CURRENCY_PREFIX',
    'DECIMAL_WITH_CURRENCY_PREFIX',
  ],
  boolean: ['BOOLEAN'],
  date: ['DATE', 'DATE_LITERAL', 'DATE_N_LITERAL'],
  datetime: ['DATETIME', 'DATE_LITERAL', 'DATE_N_LITERAL'],
};
const TYPE_NAMES: Record<ValueCategory, string> = {
  text: 'string',
  multipicklist: 'string',
  id: 'id',
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
};

/** Compiles one field expression (`Amount > 100`, `Id IN (SELECT ...)`) to a predicate. */
export function compileCondition(
  ctx: CompileContext,
  condition: ConditionWithValueQuery,
): Predicate {
  if (!('field' in condition)) {
    const name = 'fn' in condition ? condition.fn.functionName : undefined;
    throw unsupported(ctx.soql, name, `The function ${name ?? ''}() in WHERE`);
  }
  const path = resolvePath(
    ctx.schema,
    ctx.object,
    condition.field,
    ctx.soql,
    ctx.alias,
  );

  const leaf = path.leaf;
  if (leaf.type === 'textarea' && (leaf.length ?? 0) > 255) {
    throw queryError(
      ctx.soql,
      leaf.name,
      'INVALID_FIELD',
      `field '${leaf.name}' can not be filtered in a query call`,
    );
  }
  const category = categoryOf(leaf);
  const operator = condition.operator;
  if ('valueQuery' in condition) {
    return compileSemiJoinCondition(ctx, path, operator, condition.valueQuery);
  }

  const rawValues = Array.isArray(condition.value)
    ? condition.value
    : [condition.value];
  const rawTypes = Array.isArray(condition.literalType)
    ? condition.literalType
    : rawValues.map(() => condition.literalType as LiteralType);
  const operands = rawValues.map((raw, index) =>
    toOperand(ctx, path, category, raw, rawTypes[index] ?? 'STRING'),
  );
  const test = operatorTest(ctx, path, category, operator, operands);

  return (record, env) =>
    test(toComparable(category, readPath(env.store, record, path)));
}

function toOperand(
  ctx: CompileContext,
  path: ResolvedPath,
  category: ValueCategory,
  raw: string,
  literalType: LiteralType,
): Operand {
  if (literalType === 'NULL') return { kind: 'value', value: null };
  if (!EXPECTED_LITERALS[category].includes(literalType)) {
    const quoted =
      category === 'text' || category === 'multipicklist' || category === 'id';
    throw queryError(
      ctx.soql,
      raw,
      'INVALID_FIELD',
      `value of filter criterion for field '${path.leaf.name}' must be of type ${TYPE_NAMES[category]} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    );
  }
  switch (literalType) {
    case 'STRING': {
      const text = unquote(raw);
      if (category !== 'id')
        return { kind: 'value', value: text.toLowerCase() };
      const id = normalizeId(text);
      if (id === null) {
        throw queryError(
          ctx.soql,
          raw,
          'INVALID_QUERY_FILTER_OPERATOR',
          `invalid ID field: ${text}`,
        );
      }
      return { kind: 'value', value: id };
    }
    case 'BOOLEAN':
      return { kind: 'value', value: raw.toUpperCase() === 'TRUE' };
    case 'DATE':
      return { kind: 'value', value: raw };
    case 'DATETIME':
      return {
        kind: 'value',
        value: Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')),
      };
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL':
      return dateRange(ctx, raw, category);
    default:
      return { kind: 'value', value: Number(raw.replace(/^[A-Z]{3}/, '')) };
  }
}

function dateRange(
  ctx: CompileContext,
  raw: string,
  category: ValueCategory,
): Operand {
  const range = dateLiteralRange(raw, ctx.now, ctx.timeZone);
  if (!range)
    throw unsupported(ctx.soql, raw.split(':')[0], `The date literal ${raw}`);
  return category === 'date'
    ? {
        kind: 'range',
        start: range.start.toISODate() as string,
        end: range.end.toISODate() as string,
      }
    : {
        kind: 'range',
        start: range.start.toMillis(),
        end: range.end.toMillis(),
      };
}

/** Returns the text between single quotes with SOQL's backslash escapes undone, except LIKE's `\%` and `\_`. */
export function unquote(raw: string): string {
  const inner = raw.startsWith("'") ? raw.slice(1, -1) : raw;
  const escapes: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    b: '\b',
    f: '\f',
    '"': '"',
    "'": "'",
    '\\': '\\',
  };
  return inner.replace(
    /\\(.)/g,
    (whole, char: string) => escapes[char] ?? whole,
  );
}

function equals(value: Comparable | null, operand: Operand): boolean {
  if (operand.kind === 'range') {
    return (
      value !== null &&
      compareValues(value, operand.start) >= 0 &&
      compareValues(value, operand.end) < 0
    );
  }
  if (value === null || operand.value === null) return value === operand.value;
  return compareValues(value, operand.value) === 0;
}

function operatorTest(
  ctx: CompileContext,
  path: ResolvedPath,
  category: ValueCategory,
  operator: string,
  operands: Operand[],
): (value: Comparable | null) => boolean {
  const first = operands[0] as Operand;
  switch (operator) {
    case '=':
      return (value) => equals(value, first);
    case '!=':
    case '<>':
      return (value) => !equals(value, first);
    case 'IN':
      return (value) => operands.some((operand) => equals(value, operand));
    case 'NOT IN':
      return (value) => !operands.some((operand) => equals(value, operand));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return orderingTest(operator, first);
    case 'LIKE':
      return likeTest(ctx, path, category, first);
    case 'INCLUDES':
    case 'EXCLUDES':
      return includesTest(ctx, path, category, operator, operands);
    default:
      throw unsupported(ctx.soql, operator, `The operator ${operator}`);
  }
}

function orderingTest(
  operator: '<' | '<=' | '>' | '>=',
  operand: Operand,
): (value: Comparable | null) => boolean {
  // Against a date literal's range, < means before it starts and > after it ends.
  const low = operand.kind === 'range' ? operand.start : operand.value;
  const high = operand.kind === 'range' ? operand.end : operand.value;
  return (value) => {
    if (value === null || low === null || high === null) return false;
    switch (operator) {
      case '<':
        return compareValues(value, low) < 0;
      case '>=':
        return compareValues(value, low) >= 0;
      case '<=':
        return operand.kind === 'range'
          ? compareValues(value, high) < 0
          : compareValues(value, high) <= 0;
      case '>':
        return operand.kind === 'range'
          ? compareValues(value, high) >= 0
          : compareValues(value, high) > 0;
    }
  };
}

function likeTest(
  ctx: CompileContext,
  path: ResolvedPath,
  category: ValueCategory,
  operand: Operand,
): (value: Comparable | null) => boolean {
  if (category !== 'text' && category !== 'id') {
    throw queryError(
      ctx.soql,
      'LIKE',
      'INVALID_QUERY_FILTER_OPERATOR',
      `invalid operator on field: ${path.leaf.name}`,
    );
  }
  if (operand.kind !== 'value' || operand.value === null) return () => false;
  let pattern = '';
  const text = String(operand.value);
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '\\' && (text[i + 1] === '%' || text[i + 1] === '_')) {
      pattern += text[++i];
    } else if (char === '%') pattern += '.*';
    else if (char === '_') pattern += '.';
    else pattern += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${pattern}$`, 'is');
  return (value) => value !== null && regex.test(String(value));
}

function includesTest(
  ctx: CompileContext,
  path: ResolvedPath,
  category: ValueCategory,
  operator: 'INCLUDES' | 'EXCLUDES',
  operands: Operand[],
): (value: Comparable | null) => boolean {
  if (category !== 'multipicklist') {
    throw queryError(
      ctx.soql,
      operator,
      'INVALID_QUERY_FILTER_OPERATOR',
      `${operator} can only be used on a multi-select picklist, not on ${path.leaf.name}`,
    );
  }
  // Each operand is a set of values (`'a;b'`) that must all be selected.
  const sets = operands.map((operand) =>
    String(operand.kind === 'value' ? operand.value : '').split(';'),
  );
  return (value) => {
    const chosen = new Set(value === null ? [] : String(value).split(';'));
    const hit = sets.some((set) => set.every((item) => chosen.has(item)));
    return operator === 'INCLUDES' ? hit : !hit;
  };
}

function compileSemiJoinCondition(
  ctx: CompileContext,
  path: ResolvedPath,
  operator: string,
  inner: Query,
): Predicate {
  if (operator !== 'IN' && operator !== 'NOT IN') {
    throw unsupported(ctx.soql, operator, `A subquery after ${operator}`);
  }
  if (categoryOf(path.leaf) !== 'id') {
    throw queryError(
      ctx.soql,
      path.leaf.name,
      'INVALID_FIELD',
      `The left operand field in the where expression for outer query should be an id field, cannot use: '${path.leaf.name}'`,
    );
  }
  const semiJoin = ctx.compileSemiJoin(inner);
  return (record, env) => {
    let ids = env.semiJoinCache.get(semiJoin);
    if (!ids) {
      ids = semiJoin.run(env);
      env.semiJoinCache.set(semiJoin, ids);
    }
    const value = readPath(env.store, record, path);
    const found = typeof value === 'string' && ids.has(value);
    return operator === 'IN' ? found : !found;
  };
}

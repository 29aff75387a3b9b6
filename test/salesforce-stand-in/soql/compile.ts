import {
  parseQuery,
  type FieldType,
  type OrderByClause,
  type Query,
  type Subquery,
} from '@jetstreamapp/soql-parser-js';
import type {
  ChildRelationshipSchema,
  ObjectSchema,
} from '../../../middleware/src/domain/schema.js';
import { unsupportedObjectMessage } from '../api-error.js';
import type { SchemaIndex } from '../schema-index.js';
import {
  compileCondition,
  type CompileContext,
  type Predicate,
  type SemiJoin,
} from './conditions.js';
import { readPath, resolvePath, type ResolvedPath } from './field-paths.js';
import { queryError, unsupported } from './query-error.js';
import { buildWhereTree, type WhereNode } from './where-tokens.js';

export type AggregateFunction =
  | 'COUNT'
  | 'COUNT_DISTINCT'
  | 'SUM'
  | 'AVG'
  | 'MIN'
  | 'MAX';

export type SelectItem =
  | { kind: 'field'; path: ResolvedPath }
  | {
      kind: 'subquery';
      relationship: ChildRelationshipSchema;
      query: CompiledQuery;
    }
  | {
      kind: 'aggregate';
      fn: AggregateFunction;
      path: ResolvedPath | undefined;
      alias: string;
    };

export interface OrderTerm {
  path: ResolvedPath;
  descending: boolean;
  nullsLast: boolean;
}

/** A SOQL query checked against the schema and ready to run. */
export interface CompiledQuery {
  soql: string;
  object: ObjectSchema;
  select: SelectItem[];
  /** `SELECT COUNT() FROM ...`: only `totalSize` is returned. */
  countOnly: boolean;
  where: Predicate | undefined;
  orderBy: OrderTerm[];
  limit: number | undefined;
  offset: number | undefined;
}

export interface CompileOptions {
  schema: SchemaIndex;
  now: Date;
  timeZone: string;
}

const AGGREGATES = new Set<string>([
  'COUNT',
  'COUNT_DISTINCT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
]);
const MAX_OFFSET = 2000;

/**
 * Parses SOQL and resolves every name against the schema, with Salesforce's
 * errors: MALFORMED_QUERY for syntax (and for syntax the stand-in does not
 * run), INVALID_TYPE for an unknown object or child relationship, INVALID_FIELD
 * for an unknown field or relationship.
 */
export function compileQuery(
  soql: string,
  options: CompileOptions,
): CompiledQuery {
  let parsed: Query;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    throw syntaxError(soql, error);
  }
  const object = options.schema.object(parsed.sObject ?? '');
  if (!object) {
    throw queryError(
      soql,
      parsed.sObject,
      'INVALID_TYPE',
      unsupportedObjectMessage(parsed.sObject ?? ''),
    );
  }
  return compileBody(soql, parsed, object, options, true);
}

function compileBody(
  soql: string,
  query: Query | Subquery,
  object: ObjectSchema,
  options: CompileOptions,
  topLevel: boolean,
): CompiledQuery {
  rejectUnsupportedClauses(soql, query);
  const alias = query.sObjectAlias;
  const ctx: CompileContext = {
    schema: options.schema,
    object,
    soql,
    alias,
    now: options.now,
    timeZone: options.timeZone,
    compileSemiJoin: (inner) => compileSemiJoin(soql, inner, options),
  };
  const fields = query.fields ?? [];
  const countOnly =
    fields.length === 1 &&
    fields[0]?.type === 'FieldFunctionExpression' &&
    fields[0].functionName.toUpperCase() === 'COUNT' &&
    fields[0].parameters.length === 0;
  const select = countOnly
    ? []
    : fields.map((field, index) =>
        compileSelectItem(soql, field, index, object, options, topLevel, alias),
      );
  checkAggregateMix(soql, select);
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw queryError(
      soql,
      'OFFSET',
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }
  return {
    soql,
    object,
    select,
    countOnly,
    where: query.where
      ? compileWhereNode(ctx, buildWhereTree(query.where, soql))
      : undefined,
    orderBy: compileOrderBy(soql, query.orderBy, object, options, alias),
    limit: query.limit,
    offset: query.offset,
  };
}

function rejectUnsupportedClauses(soql: string, query: Query | Subquery): void {
  if (query.groupBy) throw unsupported(soql, 'GROUP', 'GROUP BY');
  if (query.having) throw unsupported(soql, 'HAVING', 'HAVING');
  if (query.usingScope) throw unsupported(soql, 'USING', 'USING SCOPE');
  if (query.withDataCategory) {
    throw unsupported(soql, 'WITH', 'WITH DATA CATEGORY');
  }
  if (query.for) throw unsupported(soql, 'FOR', `FOR ${query.for}`);
  if (query.update) throw unsupported(soql, 'UPDATE', `UPDATE ${query.update}`);
  // NOTE: WITH SECURITY_ENFORCED and WITH USER_MODE are accepted and do nothing: the stand-in has no field-level security.
}

function compileSelectItem(
  soql: string,
  field: FieldType,
  index: number,
  object: ObjectSchema,
  options: CompileOptions,
  topLevel: boolean,
  alias: string | undefined,
): SelectItem {
  switch (field.type) {
    case 'Field':
      return {
        kind: 'field',
        path: resolvePath(options.schema, object, field.field, soql, alias),
      };
    case 'FieldRelationship':
      return {
        kind: 'field',
        path: resolvePath(
          options.schema,
          object,
          [...field.relationships, field.field].join('.'),
          soql,
          alias,
        ),
      };
    case 'FieldSubquery':
      if (!topLevel) {
        throw unsupported(soql, 'SELECT', 'A subquery inside a subquery');
      }
      return compileSubquery(soql, field.subquery, object, options);
    case 'FieldFunctionExpression': {
      const fn = field.functionName.toUpperCase();
      if (!AGGREGATES.has(fn) || field.parameters.length !== 1) {
        throw unsupported(soql, field.functionName, `${field.functionName}()`);
      }
      const parameter = field.parameters[0];
      if (typeof parameter !== 'string') {
        throw unsupported(soql, field.functionName, 'A nested function');
      }
      return {
        kind: 'aggregate',
        fn: fn as AggregateFunction,
        path: resolvePath(options.schema, object, parameter, soql, alias),
        alias: field.alias ?? `expr${index}`,
      };
    }
    default:
      throw unsupported(soql, 'TYPEOF', 'TYPEOF');
  }
}

function compileSubquery(
  soql: string,
  subquery: Subquery,
  parent: ObjectSchema,
  options: CompileOptions,
): SelectItem {
  const relationship = options.schema.childRelationship(
    parent.name,
    subquery.relationshipName,
  );
  const child =
    relationship && options.schema.object(relationship.childSObject);
  if (!relationship || !child) {
    throw queryError(
      soql,
      subquery.relationshipName,
      'INVALID_TYPE',
      `Didn't understand relationship '${subquery.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, ` +
        `be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const query = compileBody(soql, subquery, child, options, false);
  if (
    query.countOnly ||
    query.select.some((item) => item.kind === 'aggregate')
  ) {
    throw unsupported(soql, 'COUNT', 'An aggregate function in a subquery');
  }
  return { kind: 'subquery', relationship, query };
}

function compileSemiJoin(
  soql: string,
  inner: Query,
  options: CompileOptions,
): SemiJoin {
  const object = options.schema.object(inner.sObject ?? '');
  if (!object) {
    throw queryError(
      soql,
      inner.sObject,
      'INVALID_TYPE',
      unsupportedObjectMessage(inner.sObject ?? ''),
    );
  }
  const compiled = compileBody(soql, inner, object, options, false);
  const only = compiled.select[0];
  if (compiled.select.length !== 1 || only?.kind !== 'field') {
    throw unsupported(
      soql,
      'SELECT',
      'A semi-join subquery that does not select exactly one Id field',
    );
  }
  return {
    run: (env) => {
      const ids = new Set<string>();
      for (const record of env.store.all(object.name)) {
        if (record.isDeleted) continue;
        if (compiled.where && !compiled.where(record, env)) continue;
        const value = readPath(env.store, record, only.path);
        if (typeof value === 'string') ids.add(value);
      }
      return ids;
    },
  };
}

function checkAggregateMix(soql: string, select: SelectItem[]): void {
  const aggregate = select.some((item) => item.kind === 'aggregate');
  const plain = select.find((item) => item.kind !== 'aggregate');
  if (aggregate && plain) {
    const name = plain.kind === 'field' ? plain.path.path : 'SELECT';
    throw queryError(
      soql,
      name,
      'MALFORMED_QUERY',
      `Field must be grouped or aggregated: ${name}`,
    );
  }
}

function compileWhereNode(ctx: CompileContext, node: WhereNode): Predicate {
  switch (node.kind) {
    case 'condition':
      return compileCondition(ctx, node.condition);
    case 'not': {
      const operand = compileWhereNode(ctx, node.operand);
      return (record, env) => !operand(record, env);
    }
    case 'and': {
      const operands = node.operands.map((n) => compileWhereNode(ctx, n));
      return (record, env) => operands.every((p) => p(record, env));
    }
    case 'or': {
      const operands = node.operands.map((n) => compileWhereNode(ctx, n));
      return (record, env) => operands.some((p) => p(record, env));
    }
  }
}

function compileOrderBy(
  soql: string,
  orderBy: OrderByClause | OrderByClause[] | undefined,
  object: ObjectSchema,
  options: CompileOptions,
  alias: string | undefined,
): OrderTerm[] {
  if (!orderBy) return [];
  const clauses = Array.isArray(orderBy) ? orderBy : [orderBy];
  return clauses.map((clause) => {
    if (!('field' in clause)) {
      throw unsupported(soql, 'ORDER', 'A function in ORDER BY');
    }
    const path = resolvePath(options.schema, object, clause.field, soql, alias);
    if (path.leaf.type === 'textarea' && (path.leaf.length ?? 0) > 255) {
      throw queryError(
        soql,
        path.leaf.name,
        'INVALID_FIELD',
        `field '${path.leaf.name}' can not be sorted in a query call`,
      );
    }
    const descending = clause.order === 'DESC';
    // Salesforce puts nulls first in ascending order and last in descending order.
    const nullsLast = clause.nulls ? clause.nulls === 'LAST' : descending;
    return { path, descending, nullsLast };
  });
}

function syntaxError(soql: string, error: unknown) {
  const text = error instanceof Error ? error.message : String(error);
  const found = /found(?: -->|:) '([^']*)'/.exec(text)?.[1];
  const token = found === undefined || found === '' ? undefined : found;
  return queryError(
    soql,
    token,
    'MALFORMED_QUERY',
    `unexpected token: ${token === undefined ? '<EOF>' : `'${token}'`}`,
  );
}

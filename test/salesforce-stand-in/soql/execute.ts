import type { ObjectSchema } from '../../../middleware/src/domain/schema.js';
import type {
  RecordStore,
  StoredRecord,
  StoredValue,
} from '../record-store.js';
import type { CompiledQuery, OrderTerm, SelectItem } from './compile.js';
import type { EvalEnv } from './conditions.js';
import { followHop, readPath, type ResolvedPath } from './field-paths.js';
import { categoryOf, compareStored, toComparable } from './values.js';

/** A record as the REST API returns it. */
export interface JsonRecord {
  attributes: { type: string; url?: string };
  [field: string]: unknown;
}

export interface QueryRows {
  totalSize: number;
  records: JsonRecord[];
}

export interface ExecuteOptions {
  includeDeleted: boolean;
  apiVersion: string;
}

/**
 * Runs a compiled query over the store: filter, sort (stable), offset and limit,
 * then the REST shape of each row with parent lookups as nested objects and
 * child subqueries as `{ totalSize, done, records }` (null when empty).
 */
export function executeQuery(
  store: RecordStore,
  query: CompiledQuery,
  options: ExecuteOptions,
): QueryRows {
  const env: EvalEnv = {
    store,
    includeDeleted: options.includeDeleted,
    semiJoinCache: new Map(),
  };
  const rows = selectRows(store, query, env, store.all(query.object.name));
  if (query.countOnly) return { totalSize: rows.length, records: [] };
  if (query.select.some((item) => item.kind === 'aggregate')) {
    return { totalSize: 1, records: [aggregateRow(store, query, rows)] };
  }
  const children = new Map<SelectItem, Map<string, StoredRecord[]>>();
  for (const item of query.select) {
    if (item.kind === 'subquery') {
      children.set(item, childrenByParent(store, item, options));
    }
  }
  const records = rows.map((row) =>
    project(store, query, row, env, children, options),
  );
  return { totalSize: records.length, records };
}

function selectRows(
  store: RecordStore,
  query: CompiledQuery,
  env: EvalEnv,
  candidates: StoredRecord[],
): StoredRecord[] {
  let rows = candidates.filter(
    (row) =>
      (env.includeDeleted || !row.isDeleted) &&
      (!query.where || query.where(row, env)),
  );
  if (query.orderBy.length > 0) rows = sortRows(store, rows, query.orderBy);
  const start = query.offset ?? 0;
  const end = query.limit === undefined ? undefined : start + query.limit;
  return rows.slice(start, end);
}

function sortRows(
  store: RecordStore,
  rows: StoredRecord[],
  terms: OrderTerm[],
): StoredRecord[] {
  const keyed = rows.map((row, index) => ({
    row,
    index,
    keys: terms.map((term) => readPath(store, row, term.path)),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i] as OrderTerm;
      const order = compareTerm(term, a.keys[i] ?? null, b.keys[i] ?? null);
      if (order !== 0) return order;
    }
    return a.index - b.index;
  });
  return keyed.map((entry) => entry.row);
}

function compareTerm(term: OrderTerm, a: StoredValue, b: StoredValue): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === term.nullsLast ? 1 : -1;
  }
  const order = compareStored(categoryOf(term.path.leaf), a, b);
  return term.descending ? -order : order;
}

function childrenByParent(
  store: RecordStore,
  item: Extract<SelectItem, { kind: 'subquery' }>,
  options: ExecuteOptions,
): Map<string, StoredRecord[]> {
  const byParent = new Map<string, StoredRecord[]>();
  for (const child of store.all(item.query.object.name)) {
    if (child.isDeleted && !options.includeDeleted) continue;
    const parentId = child.values[item.relationship.field];
    if (typeof parentId !== 'string') continue;
    const list = byParent.get(parentId) ?? [];
    list.push(child);
    byParent.set(parentId, list);
  }
  return byParent;
}

function project(
  store: RecordStore,
  query: CompiledQuery,
  row: StoredRecord,
  env: EvalEnv,
  children: Map<SelectItem, Map<string, StoredRecord[]>>,
  options: ExecuteOptions,
): JsonRecord {
  const out = recordShell(query.object, row, options.apiVersion);
  for (const item of query.select) {
    if (item.kind === 'field') {
      writePath(store, out, row, item.path, options.apiVersion);
    } else if (item.kind === 'subquery') {
      const candidates = children.get(item)?.get(row.values.Id as string) ?? [];
      // NOTE: child results are never paged; Salesforce pages large ones with their own nextRecordsUrl.
      const matching = selectRows(store, item.query, env, candidates);
      out[item.relationship.relationshipName] =
        matching.length === 0
          ? null
          : {
              totalSize: matching.length,
              done: true,
              records: matching.map((child) =>
                project(store, item.query, child, env, children, options),
              ),
            };
    }
  }
  return out;
}

export function recordShell(
  object: ObjectSchema,
  row: StoredRecord,
  apiVersion: string,
): JsonRecord {
  return {
    attributes: {
      type: object.name,
      url: `/services/data/v${apiVersion}/sobjects/${object.name}/${row.values.Id}`,
    },
  };
}

/** Writes a field path into a JSON record, nesting each parent under its relationship name. */
function writePath(
  store: RecordStore,
  out: JsonRecord,
  row: StoredRecord,
  path: ResolvedPath,
  apiVersion: string,
): void {
  let target: JsonRecord = out;
  let current: StoredRecord = row;
  for (const hop of path.hops) {
    const parent = followHop(store, current, hop);
    if (target[hop.relationshipName] === undefined) {
      target[hop.relationshipName] = parent
        ? recordShell(hop.target, parent, apiVersion)
        : null;
    }
    if (!parent) return;
    current = parent;
    target = target[hop.relationshipName] as JsonRecord;
  }
  target[path.leaf.name] = current.values[path.leaf.name] ?? null;
}

function aggregateRow(
  store: RecordStore,
  query: CompiledQuery,
  rows: StoredRecord[],
): JsonRecord {
  const out: JsonRecord = { attributes: { type: 'AggregateResult' } };
  for (const item of query.select) {
    if (item.kind !== 'aggregate' || !item.path) continue;
    const path = item.path;
    const values = rows
      .map((row) => readPath(store, row, path))
      .filter((value): value is string | number | boolean => value !== null);
    out[item.alias] = aggregate(item.fn, categoryOf(path.leaf), values);
  }
  return out;
}

function aggregate(
  fn: string,
  category: ReturnType<typeof categoryOf>,
  values: (string | number | boolean)[],
): StoredValue {
  switch (fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => toComparable(category, v))).size;
    case 'SUM':
      return values.length === 0
        ? null
        : values.reduce<number>((s, v) => s + Number(v), 0);
    case 'AVG':
      return values.length === 0
        ? null
        : values.reduce<number>((s, v) => s + Number(v), 0) / values.length;
    default: {
      if (values.length === 0) return null;
      const sorted = [...values].sort((a, b) => compareStored(category, a, b));
      return (fn === 'MIN' ? sorted[0] : sorted[sorted.length - 1]) ?? null;
    }
  }
}

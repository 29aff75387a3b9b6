import { closestName } from '../../domain/criteria/closest-name.js';
import type { RecordData } from '../../domain/records.js';
import type {
  FieldSchema,
  ObjectSchema,
  OrgSchema,
} from '../../domain/schema.js';
import { fromSqlValue } from './field-values.js';
import { quote } from './sql.js';

/** A field path (`Owner__r.AccountId`) that the schema does not have. */
export class FieldPathError extends Error {
  constructor(objectName: string, path: string, detail: string) {
    super(`Field path "${path}" on ${objectName}: ${detail}`);
    this.name = 'FieldPathError';
  }
}

/**
 * A SELECT over one object with a LEFT JOIN for each lookup its field paths
 * cross, compiled once. The base table is `t0`. `toRecord` turns a raw row into a
 * record shaped like a SOQL result: lookups nest under their relationship names,
 * a blank lookup is null, and the record always carries its `Id`.
 */
export interface CompiledSelect {
  /** `SELECT ... FROM ... LEFT JOIN ...`, to be followed by WHERE and ORDER BY. */
  sql: string;
  toRecord(values: readonly unknown[]): RecordData;
}

interface Join {
  alias: string;
  /** Index of the parent join in `joins`, or -1 for the base table. */
  parent: number;
  relationshipName: string;
  /** Column of the join's presence marker (its `Id`) in the raw row. */
  idColumn: number;
}

interface Column {
  join: number;
  field: FieldSchema;
  /** Position of the value in the raw row. */
  index: number;
}

function findField(
  object: ObjectSchema,
  name: string,
): FieldSchema | undefined {
  const lower = name.toLowerCase();
  return (
    object.fields[name] ??
    Object.values(object.fields).find((f) => f.name.toLowerCase() === lower)
  );
}

function findLookup(
  object: ObjectSchema,
  name: string,
): FieldSchema | undefined {
  const lower = name.toLowerCase();
  return Object.values(object.fields).find(
    (f) =>
      f.type === 'reference' && f.relationshipName?.toLowerCase() === lower,
  );
}

function suggestion(name: string, candidates: Iterable<string>): string {
  const closest = closestName(name, candidates);
  return closest ? `; did you mean ${closest}?` : '';
}

/**
 * Compiles the paths of one object. `extraColumns` are base-table columns added
 * after the record's columns, such as the parent lookup that groups child rows.
 */
export function compileSelect(
  schema: OrgSchema,
  objectName: string,
  paths: readonly string[],
  options: { exactDecimals?: boolean; extraColumns?: string[] } = {},
): CompiledSelect {
  const base = schema[objectName];
  if (!base) throw new Error(`The schema has no object ${objectName}`);
  const exactDecimals = options.exactDecimals ?? false;
  const select = ['t0."Id"'];
  const from = [`${quote(objectName)} AS t0`];
  const joins: Join[] = [];
  const joinByChain = new Map<string, number>();
  const columns: Column[] = [];

  for (const path of paths) {
    const segments = path.split('.');
    let join = -1;
    let object = base;
    let chain = '';
    for (const segment of segments.slice(0, -1)) {
      const lookup = findLookup(object, segment);
      const target = lookup?.referenceTo?.[0]
        ? schema[lookup.referenceTo[0]]
        : undefined;
      if (!lookup || !target) {
        const names = Object.values(object.fields).flatMap((f) =>
          f.relationshipName ? [f.relationshipName] : [],
        );
        throw new FieldPathError(
          objectName,
          path,
          `${object.name} has no lookup relationship ${segment}${suggestion(segment, names)}`,
        );
      }
      chain += `.${lookup.relationshipName}`;
      let index = joinByChain.get(chain);
      if (index === undefined) {
        index = joins.length;
        const alias = `t${index + 1}`;
        const parentAlias = join < 0 ? 't0' : joins[join]!.alias;
        from.push(
          `LEFT JOIN ${quote(target.name)} AS ${alias} ON ${alias}."Id" = ${parentAlias}.${quote(lookup.name)}`,
        );
        joins.push({
          alias,
          parent: join,
          relationshipName: lookup.relationshipName ?? segment,
          idColumn: select.length,
        });
        select.push(`${alias}."Id"`);
        joinByChain.set(chain, index);
      }
      join = index;
      object = target;
    }
    const name = segments[segments.length - 1]!;
    const field = findField(object, name);
    if (!field) {
      throw new FieldPathError(
        objectName,
        path,
        `${object.name} has no field ${name}${suggestion(name, Object.keys(object.fields))}`,
      );
    }
    if (field.name === 'Id' && join < 0) continue;
    const alias = join < 0 ? 't0' : joins[join]!.alias;
    columns.push({ join, field, index: select.length });
    select.push(`${alias}.${quote(field.name)}`);
  }
  for (const extra of options.extraColumns ?? [])
    select.push(`t0.${quote(extra)}`);

  return {
    sql: `SELECT ${select.join(', ')} FROM ${from.join(' ')}`,
    toRecord(values) {
      const record: RecordData = { Id: values[0] as string };
      const nodes: Array<RecordData | null> = [];
      for (const join of joins) {
        const parent = join.parent < 0 ? record : nodes[join.parent];
        let node: RecordData | null = null;
        if (parent && values[join.idColumn] !== null) node = {};
        if (parent) parent[join.relationshipName] = node;
        nodes.push(node);
      }
      for (const column of columns) {
        const node = column.join < 0 ? record : nodes[column.join];
        if (node) {
          const value = values[column.index];
          node[column.field.name] = fromSqlValue(
            column.field,
            value,
            exactDecimals,
          );
        }
      }
      return record;
    },
  };
}

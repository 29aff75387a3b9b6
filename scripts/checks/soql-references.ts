import type {
  FieldType,
  OrderByClause,
  GroupByClause,
  Query,
  Subquery,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';
import type { Reference } from './references.js';
import type { SchemaLookup } from './schema-lookup.js';

/**
 * Lists what a parsed SOQL query names: its object, the fields and lookup paths of
 * SELECT, WHERE, GROUP BY and ORDER BY, child relationships of subqueries with
 * their fields, and the queries nested in WHERE.
 */
export function soqlReferences(
  query: Query,
  file: string,
  line: number,
  schema: SchemaLookup,
): Reference[] {
  const object = query.sObject;
  if (object === undefined) return [];
  const references: Reference[] = [{ kind: 'object', file, line, object }];
  addClauses(query, object, file, line, schema, references);
  return references;
}

function addClauses(
  query: Query | Subquery,
  object: string,
  file: string,
  line: number,
  schema: SchemaLookup,
  references: Reference[],
): void {
  const field = (path: string) =>
    references.push({ kind: 'field', file, line, object, path });
  for (const selected of query.fields ?? []) {
    addSelected(selected, object, file, line, schema, references, field);
  }
  addWhere(query.where, file, line, schema, references, field);
  for (const clause of asList<OrderByClause>(query.orderBy)) {
    if ('field' in clause && clause.field) field(clause.field);
  }
  for (const clause of asList<GroupByClause>(query.groupBy)) {
    if ('field' in clause && clause.field) field(clause.field);
  }
}

function addSelected(
  selected: FieldType,
  object: string,
  file: string,
  line: number,
  schema: SchemaLookup,
  references: Reference[],
  field: (path: string) => void,
): void {
  switch (selected.type) {
    case 'Field':
      field(selected.field);
      break;
    case 'FieldRelationship':
      field([...selected.relationships, selected.field].join('.'));
      break;
    case 'FieldSubquery': {
      const name = selected.subquery.relationshipName;
      references.push({ kind: 'child-relationship', file, line, object, name });
      const defined = schema.objectName(object);
      const child = defined && schema.childObject(defined, name);
      if (child) {
        addClauses(selected.subquery, child, file, line, schema, references);
      }
      break;
    }
    case 'FieldFunctionExpression':
      for (const parameter of selected.parameters) {
        if (
          typeof parameter === 'string' &&
          /^[A-Za-z][\w.]*$/.test(parameter)
        ) {
          field(parameter);
        }
      }
      break;
    default:
      break;
  }
}

function addWhere(
  where: WhereClause | undefined,
  file: string,
  line: number,
  schema: SchemaLookup,
  references: Reference[],
  field: (path: string) => void,
): void {
  let clause: WhereClause | undefined = where;
  while (clause) {
    const left = clause.left as
      | { field?: string; valueQuery?: Query }
      | null
      | undefined;
    if (left?.field) field(left.field);
    if (left?.valueQuery) {
      references.push(...soqlReferences(left.valueQuery, file, line, schema));
    }
    clause = 'right' in clause ? clause.right : undefined;
  }
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

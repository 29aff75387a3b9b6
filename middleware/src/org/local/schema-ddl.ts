import type {
  FieldSchema,
  ObjectSchema,
  OrgSchema,
} from '../../domain/schema.js';
import { storageOf } from './field-storage.js';
import { quote } from './sql.js';

/**
 * SQL that the store derives from the schema: one table per object, named by its
 * API name, with one column per field, and an index per lookup and unique field.
 * NOTE: lookups are not declared as SQLite foreign keys, because seeded and
 * imported records may name owners and users the store does not have.
 */

/** Lists the objects whose records the store keeps; custom metadata stays in force-app files. */
export function storedObjects(schema: OrgSchema): ObjectSchema[] {
  return Object.values(schema)
    .filter((object) => !object.name.endsWith('__mdt'))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function columnSql(field: FieldSchema): string {
  const key = field.name === 'Id' ? ' PRIMARY KEY NOT NULL' : '';
  return `${quote(field.name)} ${storageOf(field)}${key}`;
}

export function createTableSql(object: ObjectSchema): string {
  const columns = Object.values(object.fields).map(columnSql);
  return `CREATE TABLE ${quote(object.name)} (${columns.join(', ')})`;
}

export function addColumnSql(object: ObjectSchema, field: FieldSchema): string {
  return `ALTER TABLE ${quote(object.name)} ADD COLUMN ${columnSql(field)}`;
}

/** An index the schema calls for; `ix_` for lookups, `ux_` for unique fields. */
export interface IndexSpec {
  name: string;
  objectName: string;
  fieldName: string;
  unique: boolean;
}

export function indexSql(index: IndexSpec): string {
  const column = quote(index.fieldName);
  return index.unique
    ? `CREATE UNIQUE INDEX ${quote(index.name)} ON ${quote(index.objectName)} (${column}) WHERE ${column} IS NOT NULL`
    : `CREATE INDEX ${quote(index.name)} ON ${quote(index.objectName)} (${column})`;
}

/**
 * Lists the schema-derived indexes: one on every lookup, so child relationships
 * and joins read by index, and a unique one on every unique field. Fields in
 * `covered` get no unique index here because a hand-written migration has one.
 */
export function schemaIndexes(
  schema: OrgSchema,
  covered: ReadonlySet<string>,
): IndexSpec[] {
  const indexes: IndexSpec[] = [];
  for (const object of storedObjects(schema)) {
    for (const field of Object.values(object.fields)) {
      const base = { objectName: object.name, fieldName: field.name };
      if (field.type === 'reference') {
        indexes.push({
          ...base,
          name: `ix_${object.name}_${field.name}`,
          unique: false,
        });
      }
      const key = `${object.name}.${field.name}`;
      if (field.unique && field.name !== 'Id' && !covered.has(key)) {
        indexes.push({
          ...base,
          name: `ux_${object.name}_${field.name}`,
          unique: true,
        });
      }
    }
  }
  return indexes;
}

/** Tells whether `schemaIndexes` makes indexes of this name. */
export function isSchemaIndexName(name: string): boolean {
  return name.startsWith('ix_') || name.startsWith('ux_');
}

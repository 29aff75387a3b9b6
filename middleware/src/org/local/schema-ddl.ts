import type {
  FieldSchema,
  ObjectSchema,
  OrgSchema,
} from '../../domain/schema.js';
import { storageOf } from './field-storage.js';
import { quote } from './sql.js';

/**
 * SQL that the store derives from the schema: one table per object, named by its
 * API name, with one column per field, and indexes on unique fields and on the
 * lookups that reads filter on.
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
 * Lookups that the store's statements filter on, besides the lookups to
 * Opportunity: the user read joins permission set assignments by assignee, and a
 * partner's registrations are listed by partner account.
 */
const QUERIED_LOOKUPS = new Set([
  'PermissionSetAssignment.AssigneeId',
  'Deal_Registration__c.Partner_Account__c',
]);

/**
 * Lookups to Opportunity that a hand-written migration indexes as the first column
 * of a wider index, which serves the same look-ups.
 */
const LOOKUPS_LEADING_AN_INDEX = new Set([
  'Stage_Transition__c.Opportunity__c',
]);

/**
 * Tells whether a lookup gets an index. A lookup to Opportunity does, because a
 * criterion may read any child relationship of a deal. Other lookups do only when
 * a statement filters on them, because each index adds a page write to every
 * insert and delete of its object.
 */
function indexesLookup(object: ObjectSchema, field: FieldSchema): boolean {
  const key = `${object.name}.${field.name}`;
  if (QUERIED_LOOKUPS.has(key)) return true;
  return (
    (field.referenceTo ?? []).includes('Opportunity') &&
    !LOOKUPS_LEADING_AN_INDEX.has(key)
  );
}

/**
 * Lists the schema-derived indexes: one on each lookup that `indexesLookup`
 * selects, so child relationships and filters read by index, and a unique one on
 * every unique field. Fields in `covered` get no unique index here because a
 * hand-written migration has one.
 */
export function schemaIndexes(
  schema: OrgSchema,
  covered: ReadonlySet<string>,
): IndexSpec[] {
  const indexes: IndexSpec[] = [];
  for (const object of storedObjects(schema)) {
    for (const field of Object.values(object.fields)) {
      const base = { objectName: object.name, fieldName: field.name };
      if (field.type === 'reference' && indexesLookup(object, field)) {
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

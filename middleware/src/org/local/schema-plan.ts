import type Database from 'better-sqlite3';
import type {
  FieldSchema,
  FieldType,
  ObjectSchema,
  OrgSchema,
} from '../../domain/schema.js';
import { fieldSignature, storageOf } from './field-storage.js';
import { FieldValueError, fromSqlValue, toSqlValue } from './field-values.js';
import type { SqlValue } from './field-values.js';
import { referencePrefixes } from './reference-prefixes.js';
import {
  addColumnSql,
  createTableSql,
  indexSql,
  isSchemaIndexName,
  schemaIndexes,
  storedObjects,
} from './schema-ddl.js';
import type { IndexSpec } from './schema-ddl.js';
import { quote } from './sql.js';

/** One schema change, applied in the migration transaction and recorded by name. */
export interface SchemaStep {
  name: string;
  apply(db: Database.Database): void;
}

/** What the store file records about each column it made from a field. */
interface StoredField {
  signature: string;
  storage: string;
}

export interface SchemaPlan {
  steps: SchemaStep[];
  /** Changes that would lose or corrupt data, each with the way to proceed. */
  problems: string[];
}

const NEW_STORE_FILE =
  'or start a new store file (move the file aside, then seed or import again)';

/**
 * Compares the schema with what the store file holds and plans the additive
 * changes: new tables, new columns, indexes, and value conversions when a field's
 * type changes within the same storage. A field or object that disappeared is
 * dropped only while it holds no data; otherwise it is a problem, never dropped.
 */
export function planSchema(
  db: Database.Database,
  schema: OrgSchema,
  coveredUnique: ReadonlySet<string>,
): SchemaPlan {
  const stored = readStoredFields(db);
  const wantedIndexes = schemaIndexes(schema, coveredUnique);
  const plan: SchemaPlan = { steps: [], problems: [] };
  planStaleIndexes(db, wantedIndexes, plan);
  planRemovals(db, schema, stored, plan);
  for (const object of storedObjects(schema)) {
    const fields = stored.get(object.name);
    if (!fields) {
      plan.steps.push(createTableStep(object));
      continue;
    }
    for (const field of Object.values(object.fields)) {
      const known = fields.get(field.name);
      if (!known) plan.steps.push(addColumnStep(object, field));
      else if (known.signature !== fieldSignature(field)) {
        planRetype(db, schema, object, field, known, plan);
      }
    }
  }
  planNewIndexes(db, wantedIndexes, plan);
  return plan;
}

function readStoredFields(
  db: Database.Database,
): Map<string, Map<string, StoredField>> {
  const rows = db
    .prepare(
      'SELECT object_name, field_name, signature, storage FROM schema_fields',
    )
    .all() as Array<{
    object_name: string;
    field_name: string;
    signature: string;
    storage: string;
  }>;
  const stored = new Map<string, Map<string, StoredField>>();
  for (const row of rows) {
    const fields = stored.get(row.object_name) ?? new Map();
    fields.set(row.field_name, {
      signature: row.signature,
      storage: row.storage,
    });
    stored.set(row.object_name, fields);
  }
  return stored;
}

function rememberField(
  db: Database.Database,
  objectName: string,
  field: FieldSchema,
): void {
  db.prepare(
    'INSERT OR REPLACE INTO schema_fields (object_name, field_name, signature, storage) VALUES (?, ?, ?, ?)',
  ).run(objectName, field.name, fieldSignature(field), storageOf(field));
}

function createTableStep(object: ObjectSchema): SchemaStep {
  return {
    name: `create table ${object.name}`,
    apply(db) {
      db.exec(createTableSql(object));
      for (const field of Object.values(object.fields)) {
        rememberField(db, object.name, field);
      }
    },
  };
}

function addColumnStep(object: ObjectSchema, field: FieldSchema): SchemaStep {
  return {
    name: `add column ${object.name}.${field.name}`,
    apply(db) {
      db.exec(addColumnSql(object, field));
      if (field.type === 'boolean') {
        db.exec(`UPDATE ${quote(object.name)} SET ${quote(field.name)} = 0`);
      }
      rememberField(db, object.name, field);
    },
  };
}

/** Counts the rows whose column holds data: any value, or `true` for a checkbox. */
function countValues(
  db: Database.Database,
  objectName: string,
  fieldName: string,
  signature: string,
): number {
  const column = quote(fieldName);
  const test =
    signature === 'boolean' ? `${column} <> 0` : `${column} IS NOT NULL`;
  const row = db
    .prepare(`SELECT COUNT(*) AS n FROM ${quote(objectName)} WHERE ${test}`)
    .get() as { n: number };
  return row.n;
}

function planRemovals(
  db: Database.Database,
  schema: OrgSchema,
  stored: Map<string, Map<string, StoredField>>,
  plan: SchemaPlan,
): void {
  for (const [objectName, fields] of stored) {
    const object = schema[objectName];
    if (!object || objectName.endsWith('__mdt')) {
      const { n } = db
        .prepare(`SELECT COUNT(*) AS n FROM ${quote(objectName)}`)
        .get() as { n: number };
      if (n > 0) {
        plan.problems.push(
          `object ${objectName} is no longer in force-app but the store holds ${n} of its records; restore its object folder, ${NEW_STORE_FILE}`,
        );
        continue;
      }
      plan.steps.push({
        name: `drop empty table ${objectName}`,
        apply(target) {
          target.exec(`DROP TABLE ${quote(objectName)}`);
          target
            .prepare('DELETE FROM schema_fields WHERE object_name = ?')
            .run(objectName);
        },
      });
      continue;
    }
    for (const [fieldName, known] of fields) {
      if (object.fields[fieldName]) continue;
      const n = countValues(db, objectName, fieldName, known.signature);
      if (n > 0) {
        plan.problems.push(
          `${objectName}.${fieldName} is no longer in force-app but ${n} records have a value in it; restore its field file, ${NEW_STORE_FILE}`,
        );
        continue;
      }
      plan.steps.push({
        name: `drop empty column ${objectName}.${fieldName}`,
        apply(target) {
          target.exec(
            `ALTER TABLE ${quote(objectName)} DROP COLUMN ${quote(fieldName)}`,
          );
          target
            .prepare(
              'DELETE FROM schema_fields WHERE object_name = ? AND field_name = ?',
            )
            .run(objectName, fieldName);
        },
      });
    }
  }
}

/** The field as it was stored, rebuilt from its recorded signature. */
function storedFieldOf(field: FieldSchema, signature: string): FieldSchema {
  const match = /^(\w+)(?:\((\d*),(\d*)\))?$/.exec(signature);
  const number = (text: string | undefined) =>
    text ? Number(text) : undefined;
  return {
    name: field.name,
    label: field.label,
    custom: field.custom,
    type: (match?.[1] ?? 'string') as FieldType,
    precision: number(match?.[2]),
    scale: number(match?.[3]),
  };
}

/**
 * A field whose type changed: when the storage stays the same and every stored
 * value is valid for the new definition, the values are rewritten in the new form;
 * otherwise the change is a problem that names the field and the first bad value.
 */
function planRetype(
  db: Database.Database,
  schema: OrgSchema,
  object: ObjectSchema,
  field: FieldSchema,
  known: StoredField,
  plan: SchemaPlan,
): void {
  const change = `${object.name}.${field.name} changed from ${known.signature} to ${fieldSignature(field)}`;
  if (known.storage !== storageOf(field)) {
    plan.problems.push(
      `${change}, which SQLite stores as ${storageOf(field)} instead of ${known.storage} and cannot convert in place; change the field back in force-app, ${NEW_STORE_FILE}`,
    );
    return;
  }
  const before = storedFieldOf(field, known.signature);
  const prefixes = referencePrefixes(schema, field);
  const updates: Array<[number, SqlValue]> = [];
  const rows = db
    .prepare(
      `SELECT rowid AS row_id, "Id" AS id, ${quote(field.name)} AS value FROM ${quote(object.name)} WHERE ${quote(field.name)} IS NOT NULL`,
    )
    .iterate() as IterableIterator<{
    row_id: number;
    id: string;
    value: unknown;
  }>;
  for (const row of rows) {
    try {
      const value = toSqlValue(
        field,
        fromSqlValue(before, row.value, true),
        prefixes,
      );
      if (value !== row.value) updates.push([row.row_id, value]);
    } catch (error) {
      if (!(error instanceof FieldValueError)) throw error;
      plan.problems.push(
        `${change}, but record ${row.id} holds ${JSON.stringify(row.value)}, which ${error.detail}; change that value first (the store keeps it), or change the field back in force-app`,
      );
      return;
    }
  }
  plan.steps.push({
    name: `convert ${object.name}.${field.name} from ${known.signature} to ${fieldSignature(field)}`,
    apply(target) {
      const update = target.prepare(
        `UPDATE ${quote(object.name)} SET ${quote(field.name)} = ? WHERE rowid = ?`,
      );
      for (const [rowId, value] of updates) update.run(value, rowId);
      rememberField(target, object.name, field);
    },
  });
}

function existingSchemaIndexes(db: Database.Database): Set<string> {
  const rows = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index'")
    .all() as Array<{ name: string }>;
  return new Set(rows.map((r) => r.name).filter(isSchemaIndexName));
}

function planStaleIndexes(
  db: Database.Database,
  wanted: IndexSpec[],
  plan: SchemaPlan,
): void {
  const names = new Set(wanted.map((index) => index.name));
  for (const name of existingSchemaIndexes(db)) {
    if (names.has(name)) continue;
    plan.steps.push({
      name: `drop index ${name}`,
      apply: (target) => target.exec(`DROP INDEX ${quote(name)}`),
    });
  }
}

function planNewIndexes(
  db: Database.Database,
  wanted: IndexSpec[],
  plan: SchemaPlan,
): void {
  const existing = existingSchemaIndexes(db);
  for (const index of wanted) {
    if (existing.has(index.name)) continue;
    plan.steps.push({
      name: `${index.unique ? 'unique index' : 'index'} ${index.objectName}.${index.fieldName}`,
      apply: (target) => target.exec(indexSql(index)),
    });
  }
}

import type Database from 'better-sqlite3';
import type {
  FieldSchema,
  ObjectSchema,
  OrgSchema,
} from '../../domain/schema.js';
import { fieldSignature } from './field-storage.js';
import {
  addColumnSql,
  createTableSql,
  indexSql,
  isSchemaIndexName,
  schemaIndexes,
  storedObjects,
} from './schema-ddl.js';
import type { IndexSpec } from './schema-ddl.js';
import {
  forgetFields,
  readStoredFields,
  rememberField,
} from './schema-fields.js';
import type { StoredField } from './schema-fields.js';
import { planRetype } from './schema-retype.js';
import { quote } from './sql.js';

/** One schema change, applied in the migration transaction and recorded by name. */
export interface SchemaStep {
  name: string;
  apply(db: Database.Database): void;
}

export interface SchemaPlan {
  steps: SchemaStep[];
  /** Changes that would lose or corrupt data, each with the way to proceed. */
  problems: string[];
}

/** The way out for a change the store cannot make without losing data. */
const NEW_STORE_FILE =
  'or start a new store file (move the file aside, then seed or import again)';

/**
 * Compares the schema with the store file and plans the additive changes: new
 * tables, new columns, indexes, and value conversions when a field's type changes
 * within the same storage. A removed field or object is dropped only when it has
 * no data. Otherwise it is reported as a problem and kept.
 */
export function planSchema(
  db: Database.Database,
  schema: OrgSchema,
  coveredUnique: ReadonlySet<string>,
): SchemaPlan {
  const stored = readStoredFields(db);
  const indexes = schemaIndexes(schema, coveredUnique);
  const plan: SchemaPlan = { steps: [], problems: [] };
  planStaleIndexes(db, indexes, plan);
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
        planRetype(db, schema, object, field, known, plan, NEW_STORE_FILE);
      }
    }
  }
  planNewIndexes(db, indexes, plan);
  return plan;
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
      // A checkbox is never blank: existing records get false, as in Salesforce.
      if (field.type === 'boolean') {
        db.exec(`UPDATE ${quote(object.name)} SET ${quote(field.name)} = 0`);
      }
      rememberField(db, object.name, field);
    },
  };
}

/** Counts the rows with data in the column: any value, or `true` for a checkbox. */
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
          `object ${objectName} is no longer in force-app but the store has ${n} of its records; restore its object folder, ${NEW_STORE_FILE}`,
        );
        continue;
      }
      plan.steps.push({
        name: `drop empty table ${objectName}`,
        apply(target) {
          target.exec(`DROP TABLE ${quote(objectName)}`);
          forgetFields(target, objectName);
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
          forgetFields(target, objectName, fieldName);
        },
      });
    }
  }
}

function existingSchemaIndexes(db: Database.Database): Set<string> {
  const rows = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index'")
    .all() as Array<{ name: string }>;
  return new Set(rows.map((r) => r.name).filter(isSchemaIndexName));
}

function planStaleIndexes(
  db: Database.Database,
  indexes: IndexSpec[],
  plan: SchemaPlan,
): void {
  const names = new Set(indexes.map((index) => index.name));
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
  indexes: IndexSpec[],
  plan: SchemaPlan,
): void {
  const existing = existingSchemaIndexes(db);
  for (const index of indexes) {
    if (existing.has(index.name)) continue;
    plan.steps.push({
      name: `${index.unique ? 'unique index' : 'index'} ${index.objectName}.${index.fieldName}`,
      apply: (target) => target.exec(indexSql(index)),
    });
  }
}

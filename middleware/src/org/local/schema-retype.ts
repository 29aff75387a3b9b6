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
import { rememberField } from './schema-fields.js';
import type { StoredField } from './schema-fields.js';
import type { SchemaPlan } from './schema-plan.js';
import { quote } from './sql.js';

/** Rebuilds the field as it was stored from its recorded signature. */
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
 * Plans the change of a retyped field. When the storage stays the same and every
 * stored value is valid for the new definition, a step rewrites the values in the
 * new form. Otherwise the change is a problem naming the field and the first
 * invalid value.
 */
export function planRetype(
  db: Database.Database,
  schema: OrgSchema,
  object: ObjectSchema,
  field: FieldSchema,
  known: StoredField,
  plan: SchemaPlan,
  newStoreFile: string,
): void {
  const change = `${object.name}.${field.name} changed from ${known.signature} to ${fieldSignature(field)}`;
  if (known.storage !== storageOf(field)) {
    plan.problems.push(
      `${change}, which SQLite stores as ${storageOf(field)} instead of ${known.storage} and cannot convert in place; change the field back in force-app, ${newStoreFile}`,
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
        `${change}, but record ${row.id} has the value ${JSON.stringify(row.value)}, which ${error.detail}; change the field back in force-app, correct or clear that value, then change the type again`,
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

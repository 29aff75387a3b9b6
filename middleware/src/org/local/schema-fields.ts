import type Database from 'better-sqlite3';
import type { FieldSchema } from '../../domain/schema.js';
import { fieldSignature, storageOf } from './field-storage.js';

/**
 * The `schema_fields` table: for each column the store made from a field, the
 * field's signature and storage, so a later open can tell a retyped field.
 */
export interface StoredField {
  signature: string;
  storage: string;
}

export function createSchemaFieldsTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_fields (
    object_name TEXT NOT NULL,
    field_name TEXT NOT NULL,
    signature TEXT NOT NULL,
    storage TEXT NOT NULL,
    PRIMARY KEY (object_name, field_name)
  )`);
}

/** Reads the stored fields, by object name and then field name. */
export function readStoredFields(
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

export function rememberField(
  db: Database.Database,
  objectName: string,
  field: FieldSchema,
): void {
  db.prepare(
    'INSERT OR REPLACE INTO schema_fields (object_name, field_name, signature, storage) VALUES (?, ?, ?, ?)',
  ).run(objectName, field.name, fieldSignature(field), storageOf(field));
}

/** Removes one field, or with no `fieldName` every field of the object. */
export function forgetFields(
  db: Database.Database,
  objectName: string,
  fieldName?: string,
): void {
  if (fieldName === undefined) {
    db.prepare('DELETE FROM schema_fields WHERE object_name = ?').run(
      objectName,
    );
    return;
  }
  db.prepare(
    'DELETE FROM schema_fields WHERE object_name = ? AND field_name = ?',
  ).run(objectName, fieldName);
}

import type Database from 'better-sqlite3';
import type { RecordData } from '../../domain/records.js';
import {
  generateId,
  isSalesforceId,
  toId18,
} from '../../domain/salesforce-id.js';
import type { ObjectSchema, OrgSchema } from '../../domain/schema.js';
import { FieldValueError, toSqlValue } from './column-values.js';
import type { SqlValue } from './column-values.js';
import { quote } from './migrations.js';

/** A record of a seeding or import batch that does not fit the schema. */
export class RecordWriteError extends Error {
  constructor(
    readonly objectName: string,
    readonly index: number,
    readonly field: string | null,
    readonly value: unknown,
    detail: string,
  ) {
    super(`${objectName} record ${index + 1}: ${detail}`);
    this.name = 'RecordWriteError';
  }
}

/** Validates and converts one record; the Id is generated when missing. */
export function toRow(
  object: ObjectSchema,
  record: RecordData,
  index: number,
): Map<string, SqlValue> {
  const row = new Map<string, SqlValue>();
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes' || value === undefined) continue;
    const field = object.fields[name];
    if (!field) {
      throw new RecordWriteError(
        object.name,
        index,
        name,
        value,
        `${name} is not a field of ${object.name}; check the spelling against force-app`,
      );
    }
    if (typeof value === 'object' && value !== null) {
      throw new RecordWriteError(
        object.name,
        index,
        name,
        value,
        `${name} holds an object or list; write related records separately`,
      );
    }
    try {
      row.set(name, toSqlValue(object, field, value));
    } catch (error) {
      if (error instanceof FieldValueError) {
        throw new RecordWriteError(
          object.name,
          index,
          name,
          value,
          error.message,
        );
      }
      throw error;
    }
  }
  const id = row.get('Id');
  if (id === undefined || id === null) {
    row.set('Id', generateId(object.keyPrefix));
  } else if (
    typeof id !== 'string' ||
    !isSalesforceId(id) ||
    !id.startsWith(object.keyPrefix)
  ) {
    throw new RecordWriteError(
      object.name,
      index,
      'Id',
      id,
      `Id ${String(id)} does not start with ${object.keyPrefix}, the key prefix of ${object.name}`,
    );
  } else {
    row.set('Id', toId18(id));
  }
  return row;
}

/**
 * Inserts new records and updates the given fields of existing ones, by Id, all or
 * none. New records get the schema's defaults for fields they leave out.
 */
export function upsertRows(
  db: Database.Database,
  schema: OrgSchema,
  objectName: string,
  records: RecordData[],
): string[] {
  const object = schema[objectName];
  if (!object || objectName.endsWith('__mdt')) {
    throw new RecordWriteError(
      objectName,
      0,
      null,
      objectName,
      `${objectName} is not an object the local store keeps`,
    );
  }
  const rows = records.map((record, index) => toRow(object, record, index));
  const exists = db.prepare(
    `SELECT 1 FROM ${quote(objectName)} WHERE "Id" = ?`,
  );
  const ids: string[] = [];
  db.transaction(() => {
    for (const row of rows) {
      const id = row.get('Id') as string;
      ids.push(id);
      if (exists.get(id)) {
        const fields = [...row.keys()].filter((f) => f !== 'Id');
        if (fields.length === 0) continue;
        db.prepare(
          `UPDATE ${quote(objectName)} SET ${fields.map((f) => `${quote(f)} = ?`).join(', ')} WHERE "Id" = ?`,
        ).run(...fields.map((f) => row.get(f) ?? null), id);
        continue;
      }
      for (const field of Object.values(object.fields)) {
        if (row.has(field.name)) continue;
        if (field.defaultValue !== undefined && field.defaultValue !== null) {
          row.set(field.name, toSqlValue(object, field, field.defaultValue));
        } else if (field.type === 'boolean') {
          row.set(field.name, 0);
        }
      }
      const fields = [...row.keys()];
      db.prepare(
        `INSERT INTO ${quote(objectName)} (${fields.map(quote).join(', ')}) VALUES (${fields.map(() => '?').join(', ')})`,
      ).run(...fields.map((f) => row.get(f) ?? null));
    }
  })();
  return ids;
}

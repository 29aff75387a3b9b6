import type Database from 'better-sqlite3';
import type { RecordData } from '../../domain/records.js';
import type {
  FieldSchema,
  ObjectSchema,
  OrgSchema,
} from '../../domain/schema.js';
import { fromSqlValue } from './column-values.js';
import { quote } from './migrations.js';

type Row = Record<string, unknown>;

/** Turns stored rows into records with the lookup paths a plan asks for. */
export class RecordReader {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly schema: OrgSchema,
  ) {}

  statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  object(name: string): ObjectSchema {
    const object = this.schema[name];
    if (!object) throw new Error(`The schema has no object ${name}`);
    return object;
  }

  rowById(objectName: string, id: string): Row | undefined {
    return this.statement(
      `SELECT * FROM ${quote(objectName)} WHERE "Id" = ?`,
    ).get(id) as Row | undefined;
  }

  /**
   * Builds a record with the given paths: plain fields from the row, and
   * `Relationship__r.Field` paths as nested parent records, read once per call.
   */
  toRecord(objectName: string, row: Row, paths: readonly string[]): RecordData {
    const object = this.object(objectName);
    const record: RecordData = {};
    const nested = new Map<string, string[]>();
    for (const path of paths) {
      const dot = path.indexOf('.');
      if (dot < 0) {
        const field = object.fields[path];
        if (field) record[field.name] = fromSqlValue(field, row[field.name]);
        continue;
      }
      const relationship = path.slice(0, dot);
      const rest = nested.get(relationship) ?? [];
      rest.push(path.slice(dot + 1));
      nested.set(relationship, rest);
    }
    if (record['Id'] === undefined && row['Id'] !== undefined)
      record['Id'] = String(row['Id']);
    for (const [relationship, rest] of nested) {
      const lookup = lookupField(object, relationship);
      if (!lookup?.referenceTo?.[0]) continue;
      const parentId = row[lookup.name];
      const parentRow =
        typeof parentId === 'string'
          ? this.rowById(lookup.referenceTo[0], parentId)
          : undefined;
      record[lookup.relationshipName ?? relationship] = parentRow
        ? this.toRecord(lookup.referenceTo[0], parentRow, rest)
        : null;
    }
    return record;
  }

  /** Reads every field of a row into a record, with no lookups. */
  fullRecord(objectName: string, row: Row): RecordData {
    return this.toRecord(
      objectName,
      row,
      Object.keys(this.object(objectName).fields),
    );
  }
}

function lookupField(
  object: ObjectSchema,
  relationship: string,
): FieldSchema | undefined {
  const lower = relationship.toLowerCase();
  return Object.values(object.fields).find(
    (f) =>
      f.type === 'reference' && f.relationshipName?.toLowerCase() === lower,
  );
}

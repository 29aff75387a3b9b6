import type Database from 'better-sqlite3';
import type { RecordData } from '../../domain/records.js';
import { generateId } from '../../domain/salesforce-id.js';
import type { ObjectSchema, OrgSchema } from '../../domain/schema.js';
import { toSqlValue } from './field-values.js';
import type { SqlValue } from './field-values.js';
import { RecordValidationError, toRow } from './record-rows.js';
import type { RecordProblem, Row } from './record-rows.js';
import { quote, StatementCache, isUniqueViolation } from './sql.js';

export interface UpsertOptions {
  /**
   * Field that matches records to existing ones instead of `Id`: an external id or
   * unique field. Every record must carry a value for it.
   */
  externalIdField?: string;
}

/**
 * Fields the platform sets on insert, so a record may leave them out although
 * describe marks them required. NOTE: Salesforce sets `OwnerId` and `CreatedById`
 * to the running user; local mode has none and leaves them blank.
 */
const PLATFORM_FIELDS = new Set([
  'Id',
  'CreatedDate',
  'LastModifiedDate',
  'CreatedById',
  'OwnerId',
]);

interface PlannedWrite {
  index: number;
  id: string;
  row: Row;
  insert: boolean;
}

/** Validated writes of records by object name: local mode's seeding and import. */
export class RecordWriter {
  /** The INSERT statement text of each object, built on its first insert. */
  private readonly insertSql = new WeakMap<ObjectSchema, string>();

  /**
   * `packageDir` is the package folder whose object files `schema` was read
   * from, which validation errors name.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly schema: OrgSchema,
    private readonly statements: StatementCache,
    private readonly now: () => Date,
    private readonly packageDir: string,
  ) {}

  /** Returns the object's schema, or raises an error listing the objects the store keeps. */
  storedObject(objectName: string): ObjectSchema {
    const object = this.schema[objectName];
    if (!object || objectName.endsWith('__mdt')) {
      const names = Object.keys(this.schema).filter(
        (n) => !n.endsWith('__mdt'),
      );
      throw new Error(
        `${objectName} is not an object the local store keeps; use one of: ${names.sort().join(', ')}`,
      );
    }
    return object;
  }

  /**
   * Inserts new records and updates the given fields of existing ones, all or none,
   * and returns their 18-character Ids in batch order. Records are matched by `Id`,
   * or by `options.externalIdField`; a new record without an Id gets one.
   */
  upsert(
    objectName: string,
    records: RecordData[],
    options: UpsertOptions = {},
  ): string[] {
    const object = this.storedObject(objectName);
    const matchField = this.matchField(object, options.externalIdField);
    const problems: RecordProblem[] = [];
    const rows = records.map((record, index) =>
      toRow(this.schema, object, record, index, problems),
    );
    if (problems.length > 0)
      throw new RecordValidationError(objectName, problems, this.packageDir);
    return this.db
      .transaction(() => {
        const writes = this.planWrites(
          object,
          matchField,
          rows as Row[],
          problems,
        );
        if (problems.length > 0) {
          throw new RecordValidationError(
            objectName,
            problems,
            this.packageDir,
          );
        }
        for (const write of writes) this.write(object, write);
        return writes.map((write) => write.id);
      })
      .immediate();
  }

  /** Inserts one new record with a generated Id; constraint errors propagate. */
  insertNew(objectName: string, record: RecordData): string {
    const object = this.storedObject(objectName);
    const problems: RecordProblem[] = [];
    const row = toRow(this.schema, object, record, 0, problems);
    if (!row)
      throw new RecordValidationError(objectName, problems, this.packageDir);
    const id = generateId(object.keyPrefix);
    row.set('Id', id);
    this.completeInsert(object, row, 0, problems);
    if (problems.length > 0)
      throw new RecordValidationError(objectName, problems, this.packageDir);
    this.insertStatement(object).run(...this.insertValues(object, row));
    return id;
  }

  private matchField(object: ObjectSchema, name: string | undefined): string {
    if (name === undefined || name === 'Id') return 'Id';
    const field = object.fields[name];
    if (!field || !(field.externalId || field.unique)) {
      throw new Error(
        `${object.name}.${name} cannot match records: it is ${field ? 'neither an external id nor unique' : 'not a field'}; use Id or an external id field`,
      );
    }
    return name;
  }

  /**
   * Decides insert or update for each row and checks what needs the store: the
   * required fields of an insert and a matched record's Id. Rows of the same
   * record later in the batch count as updates of the earlier one.
   */
  private planWrites(
    object: ObjectSchema,
    matchField: string,
    rows: Row[],
    problems: RecordProblem[],
  ): PlannedWrite[] {
    const find = this.statements.get(
      `SELECT "Id" FROM ${quote(object.name)} WHERE ${quote(matchField)} = ?`,
    );
    const inBatch = new Map<SqlValue, string>();
    return rows.map((row, index) => {
      const key = row.get(matchField) ?? null;
      if (matchField !== 'Id' && key === null) {
        problems.push({
          index,
          field: matchField,
          value: null,
          detail: `${matchField} is blank; every record needs it to be matched`,
        });
      }
      const stored =
        key === null
          ? undefined
          : (find.get(key) as { Id: string } | undefined);
      const existing =
        stored?.Id ?? (key === null ? undefined : inBatch.get(key));
      const givenId = row.get('Id');
      if (existing && typeof givenId === 'string' && givenId !== existing) {
        problems.push({
          index,
          field: 'Id',
          value: givenId,
          detail: `${matchField} ${String(key)} belongs to record ${existing}, not ${givenId}; leave Id out or use ${existing}`,
        });
      }
      const id =
        existing ??
        (typeof givenId === 'string' ? givenId : generateId(object.keyPrefix));
      if (key !== null) inBatch.set(key, id);
      row.set('Id', id);
      if (!existing) this.completeInsert(object, row, index, problems);
      else this.checkRequired(object, row, index, problems, false);
      return { index, id, row, insert: !existing };
    });
  }

  /** Adds defaults and platform values of a new record, then checks required fields. */
  private completeInsert(
    object: ObjectSchema,
    row: Row,
    index: number,
    problems: RecordProblem[],
  ): void {
    const now = this.now().toISOString();
    for (const field of Object.values(object.fields)) {
      if (row.has(field.name)) continue;
      if (field.defaultValue !== undefined && field.defaultValue !== null) {
        row.set(field.name, toSqlValue(field, field.defaultValue));
      } else if (field.type === 'boolean') {
        row.set(field.name, 0);
      }
    }
    for (const name of ['CreatedDate', 'LastModifiedDate']) {
      if (object.fields[name] && !row.get(name)) row.set(name, now);
    }
    if (object.name === 'Contact' && !row.get('Name')) {
      const parts = [row.get('FirstName'), row.get('LastName')].filter(Boolean);
      if (parts.length > 0) row.set('Name', parts.join(' '));
    }
    this.checkRequired(object, row, index, problems, true);
  }

  private checkRequired(
    object: ObjectSchema,
    row: Row,
    index: number,
    problems: RecordProblem[],
    insert: boolean,
  ): void {
    for (const field of Object.values(object.fields)) {
      if (field.nillable !== false || PLATFORM_FIELDS.has(field.name)) continue;
      if (!insert && !row.has(field.name)) continue;
      if (row.get(field.name) !== null && row.get(field.name) !== undefined)
        continue;
      problems.push({
        index,
        field: field.name,
        value: null,
        detail: `${field.name} is required on ${object.name}; give it a value`,
      });
    }
  }

  private write(object: ObjectSchema, write: PlannedWrite): void {
    const { row } = write;
    if (object.fields['LastModifiedDate'] && !row.get('LastModifiedDate')) {
      row.set('LastModifiedDate', this.now().toISOString());
    }
    try {
      if (write.insert) {
        this.insertStatement(object).run(...this.insertValues(object, row));
        return;
      }
      const fields = [...row.keys()].filter((name) => name !== 'Id');
      this.statements
        .get(
          `UPDATE ${quote(object.name)} SET ${fields.map((f) => `${quote(f)} = ?`).join(', ')} WHERE "Id" = ?`,
        )
        .run(...fields.map((f) => row.get(f) ?? null), write.id);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const field =
        /UNIQUE constraint failed: \w+\.(\w+)/.exec(String(error))?.[1] ?? null;
      throw new RecordValidationError(
        object.name,
        [
          {
            index: write.index,
            field,
            value: field ? row.get(field) : null,
            detail: `${field ?? 'a unique field'} = ${JSON.stringify(field ? row.get(field) : null)} is already used by another ${object.name} record; use another value, or match on ${field ?? 'that field'} with externalIdField to update that record`,
          },
        ],
        this.packageDir,
      );
    }
  }

  private insertStatement(object: ObjectSchema): Database.Statement {
    let sql = this.insertSql.get(object);
    if (sql === undefined) {
      const names = Object.keys(object.fields);
      sql = `INSERT INTO ${quote(object.name)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
      this.insertSql.set(object, sql);
    }
    return this.statements.get(sql);
  }

  private insertValues(object: ObjectSchema, row: Row): SqlValue[] {
    return Object.keys(object.fields).map((name) => row.get(name) ?? null);
  }
}

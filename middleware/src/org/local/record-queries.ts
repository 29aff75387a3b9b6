import type { FieldValue, RecordData } from '../../domain/records.js';
import type { ObjectSchema, OrgSchema } from '../../domain/schema.js';
import { FieldValueError, toSqlValue } from './field-values.js';
import type { SqlValue } from './field-values.js';
import { compileSelect } from './record-select.js';
import { quote } from './sql.js';
import type { StatementCache } from './sql.js';

export interface RecordQuery {
  /** Equality filters by field; `null` matches blank, an array any of its values. */
  where?: Record<string, FieldValue | FieldValue[]>;
  /** Field paths to return, lookups included (`Owner.Name`); default every field. */
  fields?: string[];
  limit?: number;
  /** Return currency, percent and decimal fields as their exact stored text. */
  exactDecimals?: boolean;
}

/** Reads records by object name, for tests, reports and scripts. */
export class RecordQueries {
  constructor(
    private readonly schema: OrgSchema,
    private readonly statements: StatementCache,
    private readonly storedObject: (name: string) => ObjectSchema,
  ) {}

  count(objectName: string, where: RecordQuery['where'] = {}): number {
    const object = this.storedObject(objectName);
    const filter = this.whereClause(object, where);
    const row = this.statements
      .get(`SELECT COUNT(*) AS n FROM ${quote(objectName)} AS t0${filter.sql}`)
      .get(...filter.params) as { n: number };
    return row.n;
  }

  /** Records in insertion order. */
  query(objectName: string, options: RecordQuery = {}): RecordData[] {
    const object = this.storedObject(objectName);
    const select = compileSelect(
      this.schema,
      objectName,
      options.fields ?? Object.keys(object.fields),
      { exactDecimals: options.exactDecimals ?? false },
    );
    const filter = this.whereClause(object, options.where ?? {});
    const limit =
      options.limit === undefined ? -1 : Math.max(0, Math.floor(options.limit));
    const rows = this.statements
      .get(`${select.sql}${filter.sql} ORDER BY t0.rowid LIMIT ?`)
      .raw(true)
      .all(...filter.params, limit) as unknown[][];
    return rows.map((row) => select.toRecord(row));
  }

  private whereClause(
    object: ObjectSchema,
    where: NonNullable<RecordQuery['where']>,
  ): { sql: string; params: SqlValue[] } {
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    for (const [name, wanted] of Object.entries(where)) {
      const field = object.fields[name];
      if (!field) {
        throw new Error(
          `where: ${name} is not a field of ${object.name}; check its spelling against the force-app object files`,
        );
      }
      const column = `t0.${quote(name)}`;
      const values = Array.isArray(wanted) ? wanted : [wanted];
      const stored = values.map((value) => {
        try {
          return toSqlValue(field, value);
        } catch (error) {
          if (!(error instanceof FieldValueError)) throw error;
          throw new Error(`where: ${error.message}`, { cause: error });
        }
      });
      const blank =
        field.type === 'boolean' ? [] : stored.filter((v) => v === null);
      const given = stored.filter((v) => v !== null);
      const tests: string[] = [];
      if (blank.length > 0) tests.push(`${column} IS NULL`);
      if (given.length > 0) {
        tests.push(`${column} IN (${given.map(() => '?').join(', ')})`);
        params.push(...given);
      }
      clauses.push(tests.length > 0 ? `(${tests.join(' OR ')})` : '0');
    }
    return {
      sql: clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '',
      params,
    };
  }
}

import type Database from 'better-sqlite3';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import { StoreUnavailableError } from '../errors.js';

/** Quotes an identifier (table, column, index name) for SQLite. */
export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** Returns the code better-sqlite3 sets on a `SqliteError`, or undefined. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Returns a `StoreUnavailableError` for a lock that outlasted the busy timeout,
 * and any other error unchanged.
 */
export function toLockError(error: unknown): unknown {
  const code = sqliteCode(error);
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) {
    return new StoreUnavailableError(
      'The local store file is locked by another process longer than the busy timeout; retry later',
      { cause: error },
    );
  }
  return error;
}

/** Tells whether a SQLite error is a unique or primary-key violation. */
export function isUniqueViolation(error: unknown): boolean {
  const code = sqliteCode(error);
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * Prepared statements by SQL text, so each statement is compiled once per
 * connection. The cache keeps at most `maxSize` statements and drops the least
 * recently used, because query shapes built from callers' field lists are unbounded.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly maxSize = 256,
  ) {}

  get(sql: string): Database.Statement {
    const cached = this.statements.get(sql);
    if (cached) {
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.db.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.maxSize) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    return statement;
  }
}

/**
 * Widens an Id for use as a query parameter when it is a Salesforce Id. Any other
 * text passes through unchanged, so it matches no record.
 */
export function idParam(id: string): string {
  return isSalesforceId(id) ? toId18(id) : id;
}

import { expect } from '@jest/globals';
import Database from 'better-sqlite3';

/**
 * Writes `value` to one column of one row of the SQLite store at `dbPath`, as
 * a data fix around the middleware's checks would, and checks that the row
 * exists. SQLite converts it by the column's type affinity as it stores it:
 * a number in a TEXT column becomes text, and text that reads as a number in
 * an INTEGER column becomes a number.
 */
export function writeStoredValue(
  dbPath: string,
  table: string,
  id: string,
  field: string,
  value: string | number | null,
): void {
  const db = new Database(dbPath);
  try {
    const { changes } = db
      .prepare(`UPDATE "${table}" SET "${field}" = ? WHERE "Id" = ?`)
      .run(value, id);
    expect(changes).toBe(1);
  } finally {
    db.close();
  }
}

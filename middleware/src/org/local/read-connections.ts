import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors.js';
import type { Row } from './row-mappers.js';
import { toLockError } from './sql.js';

interface OpenRead {
  db: Database.Database;
  rows?: IterableIterator<Row>;
}

/**
 * Read-only connections that each stream the rows of one statement, as
 * `DealStreams` does for deals. An open better-sqlite3 iterator keeps its
 * connection busy until it ends, so iterating on the store's own connection
 * would fail every other statement while a slow consumer reads. In WAL mode
 * the iterator reads one snapshot, and writers go on beside it.
 */
export class ReadConnections {
  private readonly open = new Set<OpenRead>();

  constructor(
    private readonly dbPath: string,
    private readonly busyTimeoutMs: number,
  ) {}

  async *rows(sql: string): AsyncGenerator<Row> {
    const read: OpenRead = {
      db: new Database(this.dbPath, { readonly: true, fileMustExist: true }),
    };
    this.open.add(read);
    try {
      read.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
      read.rows = read.db.prepare(sql).iterate() as IterableIterator<Row>;
      for (const row of read.rows) yield row;
      if (!read.db.open) {
        throw new StoreUnavailableError(
          'The local store was closed while a read was still streaming it; run the read again',
        );
      }
    } catch (error) {
      throw toLockError(error);
    } finally {
      this.end(read);
    }
  }

  /** Ends every read still open, when the store closes. */
  closeAll(): void {
    for (const read of [...this.open]) this.end(read);
  }

  private end(read: OpenRead): void {
    this.open.delete(read);
    read.rows?.return?.();
    if (read.db.open) read.db.close();
  }
}

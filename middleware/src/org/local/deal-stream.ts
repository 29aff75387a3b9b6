import Database from 'better-sqlite3';
import type { RecordData } from '../../domain/records.js';
import { StoreUnavailableError } from '../errors.js';
import type { DealQueryPlan } from '../gateway.js';
import { attachChildren } from './deal-plan.js';
import type { PlanCache } from './deal-plan.js';
import { StatementCache } from './sql.js';

/** Deals read before their children are fetched together. */
const BATCH_SIZE = 200;

interface OpenStream {
  db: Database.Database;
  rows?: IterableIterator<unknown[]>;
}

/**
 * Streams deals on a read-only connection of their own. An open better-sqlite3
 * iterator keeps its connection busy until it ends, so streaming on the main
 * connection would block every write while a slow consumer reads. The iterator's
 * statement also keeps one read snapshot, so a whole stream reads one state of
 * the store. Memory stays at one batch of deals with their children.
 */
export class DealStreams {
  private readonly open = new Set<OpenStream>();

  constructor(
    private readonly dbPath: string,
    private readonly busyTimeoutMs: number,
    private readonly plans: PlanCache,
  ) {}

  async *openDeals(plan: DealQueryPlan): AsyncGenerator<RecordData> {
    const compiled = this.plans.get(plan);
    const stream: OpenStream = {
      db: new Database(this.dbPath, { readonly: true, fileMustExist: true }),
    };
    this.open.add(stream);
    try {
      stream.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
      const statements = new StatementCache(stream.db, 16);
      stream.rows = statements
        .get(compiled.openDealsSql)
        .raw(true)
        .iterate() as IterableIterator<unknown[]>;
      let batch: RecordData[] = [];
      for (const values of stream.rows) {
        batch.push(compiled.deal.toRecord(values));
        if (batch.length < BATCH_SIZE) continue;
        attachChildren(statements, compiled, batch);
        yield* batch;
        batch = [];
      }
      if (!stream.db.open) {
        throw new StoreUnavailableError(
          'The local store was closed while a deal stream was still reading it',
        );
      }
      attachChildren(statements, compiled, batch);
      yield* batch;
    } finally {
      this.end(stream);
    }
  }

  /** Ends every stream still open, when the gateway closes. */
  closeAll(): void {
    for (const stream of [...this.open]) this.end(stream);
  }

  private end(stream: OpenStream): void {
    this.open.delete(stream);
    stream.rows?.return?.();
    if (stream.db.open) stream.db.close();
  }
}

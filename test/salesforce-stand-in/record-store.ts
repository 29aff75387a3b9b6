import type { SchemaIndex } from './schema-index.js';

export type StoredValue = string | number | boolean | null;

/** A stored record: canonical field names to stored values, `Id` included. */
export interface StoredRecord {
  readonly type: string;
  readonly values: Readonly<Record<string, StoredValue>>;
  /** In the recycle bin: returned by `queryAll` only. */
  readonly isDeleted: boolean;
}

interface JournalEntry {
  type: string;
  id: string;
  previous: StoredRecord | undefined;
}

/**
 * The stand-in's in-memory database. Records are replaced, never mutated, so a
 * journal of the replaced versions can undo any change: `savepoint()` marks the
 * journal and `rollbackTo()` restores everything written since. Unique and
 * external-id fields are indexed by their case-folded value.
 */
export class RecordStore {
  private readonly tables = new Map<string, Map<string, StoredRecord>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private journal: JournalEntry[] = [];
  private depth = 0;

  constructor(private readonly schema: SchemaIndex) {
    for (const object of schema.objects()) {
      this.tables.set(object.name, new Map());
      for (const field of Object.values(object.fields)) {
        if (field.unique || field.externalId) {
          this.indexes.set(indexKey(object.name, field.name), new Map());
        }
      }
    }
  }

  get(type: string, id: string): StoredRecord | undefined {
    return this.table(type).get(id);
  }

  /** Records of `type` in insertion order, deleted ones included. */
  all(type: string): StoredRecord[] {
    return [...this.table(type).values()];
  }

  /** The object a record Id belongs to, by its key prefix. */
  typeOfId(id: string): string | undefined {
    return this.schema.objectByKeyPrefix(id.slice(0, 3))?.name;
  }

  /** Live records whose indexed `field` equals `value` (case-insensitive for text). */
  findByIndexedField(
    type: string,
    field: string,
    value: StoredValue,
  ): StoredRecord[] {
    const index = this.indexes.get(indexKey(type, field));
    if (!index) {
      return this.all(type).filter(
        (record) =>
          !record.isDeleted && sameValue(record.values[field] ?? null, value),
      );
    }
    const ids = index.get(indexValue(value)) ?? new Set<string>();
    return [...ids].map((id) => this.table(type).get(id) as StoredRecord);
  }

  /** Inserts or replaces a record, journaling the version it replaces. */
  put(record: StoredRecord): void {
    const id = record.values.Id as string;
    const table = this.table(record.type);
    const previous = table.get(id);
    if (this.depth > 0) {
      this.journal.push({ type: record.type, id, previous });
    }
    this.replace(record.type, id, previous, record);
  }

  /** Runs `work` as one transaction: the journal is kept until the outermost one ends. */
  transaction<T>(work: () => T): T {
    this.depth++;
    try {
      return work();
    } finally {
      this.depth--;
      if (this.depth === 0) this.journal = [];
    }
  }

  /** A position in the current transaction's journal; only valid inside `transaction`. */
  savepoint(): number {
    if (this.depth === 0) {
      throw new Error('savepoint() is only valid inside transaction()');
    }
    return this.journal.length;
  }

  /** Undoes every write made since `savepoint`, newest first. */
  rollbackTo(savepoint: number): void {
    while (this.journal.length > savepoint) {
      const entry = this.journal.pop() as JournalEntry;
      const table = this.table(entry.type);
      this.replace(entry.type, entry.id, table.get(entry.id), entry.previous);
    }
  }

  private replace(
    type: string,
    id: string,
    current: StoredRecord | undefined,
    next: StoredRecord | undefined,
  ): void {
    if (current) this.unindex(current);
    const table = this.table(type);
    if (next) {
      table.set(id, next);
      this.index(next);
    } else {
      table.delete(id);
    }
  }

  private index(record: StoredRecord): void {
    if (record.isDeleted) return;
    this.eachIndexedValue(record, (index, key) => {
      const ids = index.get(key) ?? new Set<string>();
      ids.add(record.values.Id as string);
      index.set(key, ids);
    });
  }

  private unindex(record: StoredRecord): void {
    this.eachIndexedValue(record, (index, key) => {
      index.get(key)?.delete(record.values.Id as string);
    });
  }

  private eachIndexedValue(
    record: StoredRecord,
    visit: (index: Map<string, Set<string>>, key: string) => void,
  ): void {
    for (const [field, value] of Object.entries(record.values)) {
      if (value === null) continue;
      const index = this.indexes.get(indexKey(record.type, field));
      if (index) visit(index, indexValue(value));
    }
  }

  private table(type: string): Map<string, StoredRecord> {
    const table = this.tables.get(type);
    if (!table) throw new Error(`No table for object ${type}`);
    return table;
  }
}

function indexKey(type: string, field: string): string {
  return `${type}.${field}`;
}

function indexValue(value: StoredValue): string {
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

function sameValue(a: StoredValue, b: StoredValue): boolean {
  return a !== null && b !== null && indexValue(a) === indexValue(b);
}

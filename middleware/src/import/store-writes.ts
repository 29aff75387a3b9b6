import type { RecordData } from '../domain/records.js';
import type {
  ImportProblem,
  ImportSink,
  MappedRecord,
} from './import-types.js';
import { formatName, shortenText } from './quote-value.js';

/** The max length of a store error shown as a reason, room for its list of problems. */
const MAX_STORE_REASON = 2000;

/** A record to write, and whether the store has no record with its Id yet. */
export interface PendingWrite extends MappedRecord {
  isNew: boolean;
}

/**
 * Writes the records of one object and returns those written. A record the store
 * rejects is added to `problems` with the store's reason, and the others are written.
 */
export async function writeBatch(
  sink: ImportSink,
  objectName: string,
  batch: PendingWrite[],
  problems: ImportProblem[],
): Promise<PendingWrite[]> {
  if (batch.length === 0) return [];
  try {
    await sink.upsertRecords(
      objectName,
      batch.map((b) => b.data),
    );
    return batch;
  } catch {
    // The batch is all-or-none; write one by one to find the records at fault.
    const loaded = [];
    for (const entry of batch) {
      const { source, data } = entry;
      try {
        await sink.upsertRecords(objectName, [data]);
        loaded.push(entry);
      } catch (error) {
        // The store's messages quote rejected values, such as a repeated unique one.
        const message =
          unknownIdReason(entry, objectName, error) ??
          singleRecordReason(error);
        problems.push({
          origin: source.origin,
          objectName: source.objectName,
          reason: shortenText(message, MAX_STORE_REASON),
        });
      }
    }
    return loaded;
  }
}

/**
 * Returns the reason the store gave for one record. A schema error lists problems
 * by record, and its message speaks of a whole batch, so only the details are kept.
 */
function singleRecordReason(error: unknown): string {
  const problems = storeProblems(error);
  if (problems.length > 0) {
    return problems.map((p) => String(p.detail)).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Explains a rejected record whose file gives an Id that the store does not have
 * and leaves out fields that a new record requires. Such a row is meant to update
 * a record, usually of another store, so the missing Id is the problem to name,
 * not the missing fields. Returns undefined for any other rejection.
 */
function unknownIdReason(
  entry: PendingWrite,
  objectName: string,
  error: unknown,
): string | undefined {
  if (!entry.isNew || !hasIdInFile(entry.source.fields)) return undefined;
  const missing = storeProblems(error)
    .filter((p) => typeof p.field === 'string' && p.value === null)
    .map((p) => String(p.field))
    .filter((field) => !(field in entry.data));
  if (missing.length === 0) return undefined;
  const fields = missing.map(formatName).join(', ');
  return (
    `Id ${String(entry.data['Id'])} is not in this store, so the row would add a new ${objectName}, which needs ${fields}; ` +
    `to update the record, import into the store that has it (npm run import's --db option); to add it, add the columns ${fields}`
  );
}

/** Tells whether the record as read from its file has a non-blank Id. */
function hasIdInFile(fields: RecordData): boolean {
  const id = Object.entries(fields).find(
    ([name]) => name.toLowerCase() === 'id',
  )?.[1];
  return id !== undefined && id !== null && id !== '';
}

/** Returns the per-record problems of a store validation error, or none. */
function storeProblems(
  error: unknown,
): Array<{ field?: unknown; value?: unknown; detail?: unknown }> {
  const problems = (error as { problems?: unknown } | null)?.problems;
  return Array.isArray(problems) ? problems : [];
}

import { setImmediate } from 'node:timers/promises';
import type { FieldSchema, ObjectSchema, OrgSchema } from '../domain/schema.js';
import type {
  ImportProblem,
  ImportSink,
  MappedRecord,
  SourceRecord,
} from './import-types.js';
import { shortenText } from './quote-value.js';

/** Records checked between two checks of the abort signal. */
const RECORDS_PER_SIGNAL_CHECK = 100;

/**
 * Checks that lookups name existing records, as Salesforce does when it rejects a
 * record with INVALID_CROSS_REFERENCE_KEY. A lookup Id is valid when the store has
 * a record of the lookup's object with that Id, or when the Id is in `pendingIds`,
 * the records of this import that are not written yet. The import removes the Ids
 * of records it rejects from `pendingIds`.
 */
export class LookupCheck {
  /** Ids found in the store, or found missing, by object name and Id. */
  private readonly inStore = new Map<string, boolean>();

  constructor(
    private readonly schema: OrgSchema,
    private readonly sink: ImportSink,
    private readonly pendingIds: Set<string>,
  ) {}

  /**
   * Returns the records of `batch` whose lookups all name existing records and adds
   * a problem for each other one. A rejected record can invalidate another record
   * of the batch that refers to it, so the check repeats until no record is
   * rejected.
   */
  async keepValid(
    object: ObjectSchema,
    batch: MappedRecord[],
    problems: ImportProblem[],
    signal?: AbortSignal,
  ): Promise<MappedRecord[]> {
    const lookups = Object.values(object.fields).filter(
      (field) => field.type === 'reference',
    );
    if (lookups.length === 0) return batch;
    let remaining = batch;
    for (;;) {
      const valid: MappedRecord[] = [];
      for (const [index, entry] of remaining.entries()) {
        if (signal !== undefined && index % RECORDS_PER_SIGNAL_CHECK === 0) {
          // The store's reads never leave the microtask queue; see importRecords.
          await setImmediate();
          signal.throwIfAborted();
        }
        const reason = await this.danglingReason(lookups, entry);
        if (reason === undefined) {
          valid.push(entry);
          continue;
        }
        this.pendingIds.delete(String(entry.data['Id']));
        problems.push({
          origin: entry.source.origin,
          objectName: object.name,
          reason,
        });
      }
      if (valid.length === remaining.length) return valid;
      remaining = valid;
    }
  }

  /** Explains each lookup of `entry` that names no record, or returns undefined. */
  private async danglingReason(
    lookups: FieldSchema[],
    entry: MappedRecord,
  ): Promise<string | undefined> {
    const reasons: string[] = [];
    for (const field of lookups) {
      const id = entry.data[field.name];
      if (typeof id !== 'string' || this.pendingIds.has(id)) continue;
      const target = this.targetObject(field, id);
      // An Id of another object is left to the store, which names the prefixes.
      if (target === undefined) continue;
      if (await this.storeHas(target, id)) continue;
      reasons.push(danglingLookupReason(field, target, id, entry.source));
    }
    return reasons.length === 0 ? undefined : reasons.join('; ');
  }

  /** Returns the object among the lookup's targets whose key prefix `id` has. */
  private targetObject(field: FieldSchema, id: string): string | undefined {
    return (field.referenceTo ?? []).find((name) => {
      const prefix = this.schema[name]?.keyPrefix;
      return prefix !== undefined && id.startsWith(prefix);
    });
  }

  private async storeHas(objectName: string, id: string): Promise<boolean> {
    const key = `${objectName}:${id}`;
    const known = this.inStore.get(key);
    if (known !== undefined) return known;
    const [record] = await this.sink.queryRecords(objectName, {
      where: { Id: id },
    });
    const found = record !== undefined;
    this.inStore.set(key, found);
    return found;
  }
}

/**
 * Explains that lookup `field` names `id`, which is neither in the store nor among
 * the records of the import that load, with the fix. An `@reference` is named as
 * the file wrote it.
 */
function danglingLookupReason(
  field: FieldSchema,
  target: string,
  id: string,
  source: SourceRecord,
): string {
  const raw = Object.entries(source.fields).find(
    ([name]) => name.toLowerCase() === field.name.toLowerCase(),
  )?.[1];
  if (typeof raw === 'string' && raw.startsWith('@')) {
    return `${field.name} refers to ${shortenText(raw)}, a record that was not imported (fix the problem listed for it)`;
  }
  return (
    `${field.name} ${id} is the Id of no ${target} in this store or in this import, which Salesforce rejects as INVALID_CROSS_REFERENCE_KEY ` +
    `(import that ${target} first or in the same import, use the Id of an existing ${target}, or remove the value)`
  );
}

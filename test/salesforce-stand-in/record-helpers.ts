import type { ObjectSchema } from '../../middleware/src/domain/schema.js';
import {
  deleteRecord,
  insertRecord,
  updateRecord,
  type WriteContext,
} from './dml.js';
import { runSoql } from './query-routes.js';
import type { StoredValue } from './record-store.js';
import { normalizeId } from './salesforce-id.js';
import type { JsonRecord } from './soql/execute.js';
import type { StandInState } from './state.js';

type Fields = Record<string, unknown>;

/**
 * Direct access to the stand-in's records for test set-up and checks. Writes are
 * "trusted": they may set read-only fields, insert custom metadata records (as a
 * deploy would) and skip validation rules, but field
 * names, types, required fields and unique values are checked as over the API.
 * None of these calls is recorded in `requests`.
 */
export interface StandInRecords {
  insert(type: string, fields: Fields): string;
  insertMany(type: string, rows: Fields[]): string[];
  update(type: string, id: string, fields: Fields): void;
  delete(type: string, id: string): void;
  /** Field values of a record (the recycle bin included), or undefined. */
  get(type: string, id: string): Record<string, StoredValue> | undefined;
  /** Field values of every live record of a type, in insertion order. */
  all(type: string): Record<string, StoredValue>[];
  /** Runs SOQL as the REST API would and returns every record, unpaged. */
  query(soql: string, options?: { includeDeleted?: boolean }): JsonRecord[];
}

export function createRecordHelpers(state: StandInState): StandInRecords {
  const ctx = (): WriteContext => {
    const user = state.users[0];
    if (!user)
      throw new Error('The stand-in has no users; configure at least one');
    return { state, user, trusted: true };
  };
  const object = (type: string): ObjectSchema => {
    const found = state.schema.object(type);
    if (!found) {
      throw new Error(
        `The stand-in schema has no object ${type}; check the name or the schema you started it with`,
      );
    }
    return found;
  };
  const inTransaction = <T>(work: () => T): T =>
    state.store.transaction(() => {
      const savepoint = state.store.savepoint();
      try {
        return work();
      } catch (error) {
        state.store.rollbackTo(savepoint);
        throw error;
      }
    });
  return {
    insert: (type, fields) =>
      inTransaction(() => insertRecord(ctx(), object(type), fields)),
    insertMany: (type, rows) =>
      inTransaction(() =>
        rows.map((fields) => insertRecord(ctx(), object(type), fields)),
      ),
    update: (type, id, fields) => {
      inTransaction(() => updateRecord(ctx(), object(type), id, fields));
    },
    delete: (type, id) => {
      inTransaction(() => deleteRecord(ctx(), object(type), id));
    },
    get: (type, id) => {
      const normalized = normalizeId(id);
      return normalized
        ? state.store.get(object(type).name, normalized)?.values
        : undefined;
    },
    all: (type) =>
      state.store
        .all(object(type).name)
        .filter((record) => !record.isDeleted)
        .map((record) => record.values),
    query: (soql, options = {}) =>
      runSoql(
        state,
        soql,
        options.includeDeleted ?? false,
        state.settings.apiVersion,
      ).records,
  };
}

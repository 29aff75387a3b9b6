import { IDEMPOTENCY_FIELDS as I } from '../../domain/api-names.js';
import type { IdempotencyRecord } from '../../domain/cosell.js';
import { DuplicateKeyError } from '../errors.js';
import type { RecordWriter } from './record-writer.js';
import { isUniqueViolation } from './sql.js';
import type { StatementCache } from './sql.js';

export const IDEMPOTENCY_SQL = {
  expiredKey: `DELETE FROM "Idempotency_Record__c" WHERE "${I.key}" = ? AND "${I.expiresAt}" <= ?`,
  // Each new key deletes up to 8 expired ones, so the table stays near the live
  // keys without a separate sweep.
  purgeExpired: `DELETE FROM "Idempotency_Record__c" WHERE rowid IN (
    SELECT rowid FROM "Idempotency_Record__c" WHERE "${I.expiresAt}" <= ? LIMIT 8)`,
};

/**
 * Stores an idempotency record inside the caller's transaction. An expired record
 * of the same key is replaced, and a live one raises `DuplicateKeyError`.
 */
export function insertIdempotencyRecord(
  statements: StatementCache,
  records: RecordWriter,
  record: IdempotencyRecord,
  now: string,
): void {
  statements.get(IDEMPOTENCY_SQL.expiredKey).run(record.key, now);
  statements.get(IDEMPOTENCY_SQL.purgeExpired).run(now);
  try {
    records.insertNew('Idempotency_Record__c', {
      Name: record.key.slice(0, 80),
      [I.key]: record.key,
      [I.fingerprint]: record.fingerprint,
      [I.responseStatus]: record.responseStatus,
      [I.responseBody]: record.responseBody,
      [I.expiresAt]: record.expiresAt,
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new DuplicateKeyError(`Idempotency_Record__c.${I.key}`, record.key, {
      cause: error,
    });
  }
}

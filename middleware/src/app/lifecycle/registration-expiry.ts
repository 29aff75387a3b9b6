import { storedInstant } from '../../domain/lifecycle/calendar.js';
import { isRegistrationExpired } from '../../domain/lifecycle/index.js';
import type { RegistrationRecord } from '../../org/lifecycle-store.js';
import type { LifecycleContext } from './lifecycle-context.js';

const EXPIRY_REASON = 'Expired before it was converted into a deal.';

/** Tells whether a registration is open (Submitted or Approved) rather than decided. */
export function isOpenRegistration(record: RegistrationRecord): boolean {
  return record.status === 'Submitted' || record.status === 'Approved';
}

/**
 * Tells whether an open registration is past its expiry. Fails with a
 * `StoredValueError` naming the registration when `Expires_At__c` is malformed.
 */
function isDue(record: RegistrationRecord, now: string): boolean {
  if (!isOpenRegistration(record) || record.expiresAt === null) return false;
  const expiresAt = storedInstant(record.expiresAt, {
    object: 'Deal_Registration__c',
    recordId: record.id,
    field: 'Expires_At__c',
  });
  return isRegistrationExpired(expiresAt, now);
}

/**
 * Marks one registration Expired. When another call decided or expired it
 * first, the store's current record is returned instead, with `expired` false.
 */
async function expire(
  lc: LifecycleContext,
  record: RegistrationRecord,
  now: string,
): Promise<{ current: RegistrationRecord; expired: boolean }> {
  try {
    const expired = await lc.store.closeRegistration({
      id: record.id,
      status: 'Expired',
      decidedById: null,
      decidedAt: now,
      reason: EXPIRY_REASON,
    });
    lc.cosell.logger.info(
      { registrationId: record.id, partnerAccountId: record.partnerAccountId },
      'registration expired',
    );
    return { current: expired, expired: true };
  } catch (error) {
    lc.cosell.logger.warn(
      { err: error, registrationId: record.id },
      'registration expiry failed; it was decided or expired concurrently',
    );
    const current = (await lc.store.getRegistration(record.id)) ?? record;
    return { current, expired: false };
  }
}

/** Applies expiry to a registration just read, so no caller sees a lapsed one as open. */
export async function applyRegistrationExpiry(
  lc: LifecycleContext,
  record: RegistrationRecord,
): Promise<RegistrationRecord> {
  const now = lc.cosell.now().toISOString();
  return isDue(record, now) ? (await expire(lc, record, now)).current : record;
}

/** Lists the open registrations that have not expired, expiring the lapsed ones on the way. */
export async function listLiveOpenRegistrations(
  lc: LifecycleContext,
): Promise<RegistrationRecord[]> {
  const now = lc.cosell.now().toISOString();
  const live: RegistrationRecord[] = [];
  for (const record of await lc.store.listOpenRegistrations()) {
    if (!isDue(record, now)) {
      live.push(record);
      continue;
    }
    const { current } = await expire(lc, record, now);
    if (isOpenRegistration(current) && !isDue(current, now)) live.push(current);
  }
  return live;
}

/**
 * Marks open registrations past `Expires_At__c` as Expired. The server runs it
 * beside the request expiry sweep, and reads also expire what they find.
 */
export async function expireDueRegistrations(
  lc: LifecycleContext,
  batchSize = 200,
): Promise<number> {
  const now = lc.cosell.now().toISOString();
  const due = await lc.store.listExpiredRegistrations(now, batchSize);
  let expired = 0;
  for (const record of due) {
    if ((await expire(lc, record, now)).expired) expired += 1;
  }
  if (expired > 0) {
    lc.cosell.logger.info({ expired }, 'expired deal registrations');
  }
  return expired;
}

import { DomainError } from '../../domain/domain-error.js';
import type { RegistrationRecord } from '../../org/lifecycle-store.js';
import type { Actor } from '../cosell-context.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { resolveViewer } from './lifecycle-viewer.js';
import type { LifecycleViewer } from './lifecycle-viewer.js';
import { applyRegistrationExpiry } from './registration-expiry.js';
import { registrationView } from './registration-view.js';
import type { RegistrationView } from './registration-view.js';

/**
 * Reads a registration with expiry applied. The vendor side may read every
 * registration, and a partner user only those of their own account; another
 * account's registration is missing to them.
 */
export async function readVisibleRegistration(
  lc: LifecycleContext,
  viewer: LifecycleViewer,
  registrationId: string,
): Promise<RegistrationRecord> {
  const stored = await lc.store.getRegistration(registrationId);
  // Another partner's registration gets the response for a missing Id, so a
  // partner user cannot learn which registrations exist by trying Ids.
  if (
    !stored ||
    (viewer.side === 'Partner' &&
      stored.partnerAccountId !== viewer.partnerAccountId)
  ) {
    throw new DomainError(
      'registration_not_found',
      `Deal registration ${registrationId} was not found.`,
      'Check the Deal_Registration__c Id.',
      { value: registrationId },
    );
  }
  return applyRegistrationExpiry(lc, stored);
}

/** Reads the registration with its conflict check, as the acting user may see it. */
export async function getRegistration(
  lc: LifecycleContext,
  actor: Actor,
  registrationId: string,
): Promise<RegistrationView> {
  const viewer = await resolveViewer(lc.cosell, actor);
  const record = await readVisibleRegistration(lc, viewer, registrationId);
  return registrationView(record, viewer);
}

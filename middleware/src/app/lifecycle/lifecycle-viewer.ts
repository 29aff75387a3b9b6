import type { OrgUser, Side } from '../../domain/cosell.js';
import { PERMISSION_SETS } from '../../domain/cosell.js';
import { DomainError } from '../../domain/domain-error.js';
import type { Actor, CosellContext } from '../cosell-context.js';
import type { LifecycleContext } from './lifecycle-context.js';

/**
 * The acting user as the lifecycle endpoints see them, worked out from the org.
 * Vendor viewers are active internal users with a co-sell permission set;
 * partner viewers are active partner sellers, limited to their own account.
 */
export interface LifecycleViewer {
  user: OrgUser;
  side: Side;
  /** The partner user's account; null for the vendor side. */
  partnerAccountId: string | null;
  isChannelManager: boolean;
}

const VENDOR_PERMISSION_SETS: readonly string[] = [
  PERMISSION_SETS.seller,
  PERMISSION_SETS.channelManager,
  PERMISSION_SETS.admin,
];

/** Looks the acting user up and decides their side; never trusts the request. */
export async function resolveViewer(
  ctx: CosellContext,
  actor: Actor,
): Promise<LifecycleViewer> {
  const [user] = await ctx.gateway.getUsers([actor.userId]);
  if (!user || !user.isActive) {
    throw new DomainError(
      'unknown_acting_user',
      `Acting user ${actor.userId} is ${user ? 'inactive' : 'not a user of the org'}.`,
      'Send the Id of an active Salesforce user in the X-Cosell-Acting-User header.',
      { value: actor.userId },
    );
  }
  const has = (name: string) => user.permissionSets.includes(name);
  if (
    user.userType === 'Standard' &&
    VENDOR_PERMISSION_SETS.some((name) => has(name))
  ) {
    return {
      user,
      side: 'Vendor',
      partnerAccountId: null,
      isChannelManager: has(PERMISSION_SETS.channelManager),
    };
  }
  if (user.userType === 'PowerPartner' && has(PERMISSION_SETS.partnerSeller)) {
    if (!user.accountId) throw partnerAccountMissing(user);
    return {
      user,
      side: 'Partner',
      partnerAccountId: user.accountId,
      isChannelManager: false,
    };
  }
  throw new DomainError(
    'no_cosell_access',
    `User ${user.id} has no co-sell permission set for this call.`,
    `Assign ${PERMISSION_SETS.seller}, ${PERMISSION_SETS.channelManager} or ${PERMISSION_SETS.admin} to an internal user, or ${PERMISSION_SETS.partnerSeller} to a partner user.`,
    { value: user.id },
  );
}

/**
 * Builds the 403 for a partner seller without a partner account. A partner
 * user's account is their contact's `AccountId`, so either the contact or the
 * contact's account is missing.
 */
function partnerAccountMissing(user: OrgUser): DomainError {
  const missing = user.contactId
    ? `has contact ${user.contactId}, which has no AccountId or does not exist`
    : 'has no contact (User.ContactId is empty)';
  return new DomainError(
    'partner_contact_missing',
    `Partner user ${user.id} ${missing}, so the user belongs to no partner account.`,
    user.contactId
      ? `Set the AccountId of contact ${user.contactId} to the user's partner account, or give the user a contact of that account.`
      : 'Create the partner user from a contact of their partner account (Enable Partner User on the contact).',
    { value: user.id },
  );
}

/**
 * Returns the partner account a call is limited to: a partner user's own
 * account always, or the one a vendor user asked for (null for all partners).
 */
export function partnerScope(
  viewer: LifecycleViewer,
  requested: string | undefined,
): string | null {
  if (viewer.side === 'Vendor') return requested ?? null;
  if (requested !== undefined && requested !== viewer.partnerAccountId) {
    throw new DomainError(
      'wrong_partner_account',
      `User ${viewer.user.id} belongs to partner account ${viewer.partnerAccountId}, not ${requested}; partner users see only their own account.`,
      'Leave partnerAccountId out, or pass your own account Id.',
      { value: requested },
    );
  }
  return viewer.partnerAccountId;
}

/**
 * Returns the partner account a call is limited to, as `partnerScope` does, and
 * checks that an account a vendor user names exists and is a partner account.
 * Without the check, an unknown Id would return an empty result as if the
 * partner had nothing.
 */
export async function resolvePartnerScope(
  lc: LifecycleContext,
  viewer: LifecycleViewer,
  requested: string | undefined,
): Promise<string | null> {
  const scope = partnerScope(viewer, requested);
  if (viewer.side !== 'Vendor' || requested === undefined) return scope;
  const account = await lc.store.getAccount(requested);
  if (!account) {
    throw new DomainError(
      'account_not_found',
      `partnerAccountId ${requested} names no Account.`,
      'Send the Id of a partner account, or leave partnerAccountId out for every partner.',
      { value: requested },
    );
  }
  if (!account.isPartner) {
    throw new DomainError(
      'not_partner_account',
      `partnerAccountId ${requested} names the Account ${account.name}, which is not a partner account (IsPartner is false).`,
      'Send the Id of a partner account, or leave partnerAccountId out for every partner.',
      { value: requested },
    );
  }
  return scope;
}

/** Fails unless the viewer is on the vendor side. */
export function requireVendorViewer(
  viewer: LifecycleViewer,
  what: string,
): void {
  if (viewer.side === 'Vendor') return;
  throw new DomainError(
    'vendor_only',
    `User ${viewer.user.id} is a partner user; ${what} is available to the vendor side only.`,
    'Ask a vendor seller or channel manager, or use the partner scorecard and agenda.',
    { value: viewer.user.id },
  );
}

/**
 * Fails unless the viewer may export the ops reports, which list every deal: a
 * channel manager or a user with the admin permission set. Sellers of either side
 * see only their own deals through the API.
 */
export function requireReportViewer(viewer: LifecycleViewer): void {
  if (
    viewer.side === 'Vendor' &&
    (viewer.isChannelManager ||
      viewer.user.permissionSets.includes(PERMISSION_SETS.admin))
  ) {
    return;
  }
  throw new DomainError(
    'not_report_viewer',
    `User ${viewer.user.id} may not export the ops reports, which list every deal.`,
    `Ask a user with the ${PERMISSION_SETS.channelManager} or ${PERMISSION_SETS.admin} permission set, or run sf cosell report export.`,
    { value: viewer.user.id },
  );
}

/** Fails unless the viewer has the channel manager permission set. */
export function requireChannelManager(
  viewer: LifecycleViewer,
  action: string,
): void {
  if (viewer.isChannelManager) return;
  throw new DomainError(
    'not_channel_manager',
    `User ${viewer.user.id} is not a channel manager; only a channel manager may ${action}.`,
    `Ask a user with the ${PERMISSION_SETS.channelManager} permission set.`,
    { value: viewer.user.id },
  );
}

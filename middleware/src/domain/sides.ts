import type { OrgUser, Side } from './cosell.js';
import { PERMISSION_SETS } from './cosell.js';
import type { RecordData } from './records.js';

/** How a user relates to one deal, worked out from the org, never from a request. */
export interface DealRole {
  side: Side | null;
  isChannelManager: boolean;
  /** A partner user of an account that only influences the deal. */
  isInfluencingPartner: boolean;
}

const PARTNER_USER_TYPES = new Set(['PowerPartner']);

/**
 * Applies the side rules: the vendor side is an internal seller who owns the deal, is
 * its vendor owner or is on its team, or any channel manager; the partner side is a
 * partner seller of the deal's partner account.
 */
export function resolveDealRole(
  user: OrgUser,
  deal: RecordData,
  teamMemberIds: readonly string[],
): DealRole {
  const role: DealRole = {
    side: null,
    isChannelManager: false,
    isInfluencingPartner: false,
  };
  if (!user.isActive) return role;
  const has = (name: string) => user.permissionSets.includes(name);

  if (user.userType === 'Standard') {
    role.isChannelManager = has(PERMISSION_SETS.channelManager);
    const onDeal =
      deal['OwnerId'] === user.id ||
      deal['Vendor_Owner__c'] === user.id ||
      teamMemberIds.includes(user.id);
    if (role.isChannelManager || (has(PERMISSION_SETS.seller) && onDeal)) {
      role.side = 'Vendor';
    }
    return role;
  }

  if (PARTNER_USER_TYPES.has(user.userType) && user.accountId) {
    const partnerAccount = deal['Partner_Account__c'];
    if (
      has(PERMISSION_SETS.partnerSeller) &&
      partnerAccount === user.accountId
    ) {
      role.side = 'Partner';
      return role;
    }
    const dealPartners = deal['Deal_Partners__r'];
    if (Array.isArray(dealPartners)) {
      role.isInfluencingPartner = dealPartners.some(
        (row) =>
          row['Partner_Account__c'] === user.accountId &&
          row['Role__c'] === 'Influencing',
      );
    }
  }
  return role;
}

export function otherSide(side: Side): Side {
  return side === 'Vendor' ? 'Partner' : 'Vendor';
}

/** A user of the stand-in org, as `startSalesforceStandIn` is configured with it. */
export interface StandInUserConfig {
  username: string;
  name?: string;
  email?: string;
  /** `User.UserType`: `Standard` for internal users, `PowerPartner` for partner users. */
  userType?: string;
  isActive?: boolean;
  accountId?: string | null;
  contactId?: string | null;
  /** Custom permissions the user holds (through permission sets), such as `Cosell_Integration`. */
  customPermissions?: string[];
  /** Permission set names; the stand-in creates the PermissionSet and PermissionSetAssignment records. */
  permissionSets?: string[];
  /** Whether the connected app is approved for the user; a JWT grant for an unapproved user fails. Default true. */
  approved?: boolean;
}

/** A user as the stand-in keeps it once its User record exists. */
export interface StandInUser {
  id: string;
  username: string;
  name: string;
  customPermissions: ReadonlySet<string>;
  approved: boolean;
}

/** Users created when the options name none: one with the integration permission, one without. */
export const DEFAULT_USERS: StandInUserConfig[] = [
  {
    username: 'integration@stand-in.example',
    name: 'Integration User',
    customPermissions: ['Cosell_Integration'],
    permissionSets: ['Cosell_Integration'],
  },
  {
    username: 'seller@stand-in.example',
    name: 'Vendor Seller',
    permissionSets: ['Cosell_Seller'],
  },
];

import { PERMISSION_SETS } from '../../middleware/src/domain/cosell.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import type { LocalGateway } from '../../middleware/src/org/local/local-gateway.js';

/** Partner sellers whose `User.AccountId` names the first demo partner, Acme. */
export interface StrayPartnerUsers {
  /** Has no contact. */
  withoutContact: string;
  /** Has a contact of the second demo partner. */
  withOtherContact: string;
  /** The account of that contact. */
  otherContactAccount: string;
  /** The Id of that contact. */
  contactOfOther: string;
}

/**
 * Adds two partner users with the partner seller permission set to a seeded
 * demo store. Both have `AccountId` set to the first demo partner, but neither
 * has a contact of that account, so neither is on that partner's side.
 */
export async function addStrayPartnerUsers(
  gateway: LocalGateway,
): Promise<StrayPartnerUsers> {
  const acme = demoId('001', 100);
  const bluewave = demoId('001', 101);
  const contact = demoId('003', 900);
  const users = {
    withoutContact: demoId('005', 900),
    withOtherContact: demoId('005', 901),
    otherContactAccount: bluewave,
    contactOfOther: contact,
  };
  await gateway.upsertRecords('Contact', [
    { Id: contact, AccountId: bluewave, FirstName: 'Robin', LastName: 'Hale' },
  ]);
  const partnerUser = (id: string, name: string, contactId: string | null) => ({
    Id: id,
    Name: name,
    Username: `${name.toLowerCase().replace(' ', '.')}@cosell-demo.example`,
    Email: `${name.toLowerCase().replace(' ', '.')}@cosell-demo.example`,
    IsActive: true,
    UserType: 'PowerPartner',
    ContactId: contactId,
    AccountId: acme,
  });
  await gateway.upsertRecords('User', [
    partnerUser(users.withoutContact, 'Noa Contactless', null),
    partnerUser(users.withOtherContact, 'Robin Hale', contact),
  ]);
  const partnerSellerSet = demoId(
    '0PS',
    Object.values(PERMISSION_SETS).indexOf(PERMISSION_SETS.partnerSeller) + 1,
  );
  await gateway.upsertRecords(
    'PermissionSetAssignment',
    [users.withoutContact, users.withOtherContact].map((userId, i) => ({
      Id: demoId('0Pa', 900 + i),
      AssigneeId: userId,
      PermissionSetId: partnerSellerSet,
    })),
  );
  return users;
}

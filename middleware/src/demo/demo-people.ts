import { toId18 } from '../domain/salesforce-id.js';
import { PERMISSION_SETS } from '../domain/cosell.js';
import type { RecordData } from '../domain/records.js';

/** A deterministic 18-character Id with the object's key prefix. */
export function demoId(prefix: string, n: number): string {
  return toId18(`${prefix}${String(n).padStart(12, '0')}`);
}

export interface DemoPartner {
  account: RecordData;
  sellers: RecordData[];
}

export interface DemoPeople {
  permissionSets: RecordData[];
  accounts: RecordData[];
  contacts: RecordData[];
  users: RecordData[];
  assignments: RecordData[];
  partners: DemoPartner[];
  vendorSellers: RecordData[];
  channelManager: RecordData;
  customers: RecordData[];
}

const PARTNER_NAMES = [
  ['Acme Cloud Partners', 'acmecloud.example'],
  ['Bluewave Consulting', 'bluewave.example'],
  ['Cedar Systems Integration', 'cedar-si.example'],
  ['Delta Reseller GmbH', 'delta-reseller.example'],
] as const;

const CUSTOMER_NAMES = [
  'Northwind Traders',
  'Contoso Pharmaceuticals',
  'Fabrikam Logistics',
  'Globex Manufacturing',
  'Initech Financial',
  'Umbrella Health',
  'Stark Energy',
  'Wayne Transport',
  'Tyrell Biotech',
  'Soylent Foods',
  'Hooli Media',
  'Vandelay Imports',
  'Bank of the West Coast',
  'Oceanic Airlines',
  'Cyberdyne Robotics',
  'Massive Dynamic',
  'Wonka Confectionery',
  'Gringotts Savings',
  'Monarch Insurance',
  'Blue Sun Retail',
];

const VENDOR_SELLERS = [
  'Avery Chen',
  'Jordan Patel',
  'Morgan Silva',
  'Riley Novak',
];
const PARTNER_SELLERS = [
  ['Sam Okafor', 'Lee Tanaka'],
  ['Alex Moreau', 'Jamie Rossi'],
  ['Casey Lindqvist', 'Drew Haddad'],
  ['Kim Becker', 'Pat Schneider'],
];

function user(
  n: number,
  name: string,
  userType: string,
  extra: RecordData = {},
): RecordData {
  const [first, ...rest] = name.split(' ');
  const last = rest.join(' ');
  const login = `${(first ?? 'user').toLowerCase()}.${last.toLowerCase()}`;
  return {
    Id: demoId('005', n),
    Name: name,
    Username: `${login}@cosell-demo.example`,
    Email: `${login}@cosell-demo.example`,
    IsActive: true,
    UserType: userType,
    ContactId: null,
    AccountId: null,
    ...extra,
  };
}

/** The demo org's accounts, users and permission set assignments. */
export function buildDemoPeople(): DemoPeople {
  const accounts: RecordData[] = [];
  const contacts: RecordData[] = [];
  const users: RecordData[] = [];
  const assignments: RecordData[] = [];
  const permissionSets = Object.values(PERMISSION_SETS).map((name, i) => ({
    Id: demoId('0PS', i + 1),
    Name: name,
    Label: name.replace(/_/g, ' '),
  }));
  const permissionSetId = new Map<string, string>(
    permissionSets.map((p) => [p.Name, p.Id]),
  );
  const assign = (userId: string, permissionSet: string) =>
    assignments.push({
      Id: demoId('0Pa', assignments.length + 1),
      AssigneeId: userId,
      PermissionSetId: permissionSetId.get(permissionSet) ?? null,
    });

  const vendorSellers = VENDOR_SELLERS.map((name, i) =>
    user(i + 1, name, 'Standard'),
  );
  const channelManager = user(10, 'Taylor Brooks', 'Standard');
  const admin = user(11, 'Quinn Admin', 'Standard');
  const integration = user(12, 'Cosell Integration', 'Standard');
  users.push(...vendorSellers, channelManager, admin, integration);
  for (const seller of vendorSellers)
    assign(String(seller.Id), 'Cosell_Seller');
  assign(String(channelManager.Id), 'Cosell_Channel_Manager');
  assign(String(channelManager.Id), 'Cosell_Seller');
  assign(String(admin.Id), 'Cosell_Admin');
  assign(String(integration.Id), 'Cosell_Integration');

  const partners: DemoPartner[] = PARTNER_NAMES.map(([name, domain], i) => {
    const account: RecordData = {
      Id: demoId('001', 100 + i),
      Name: name,
      Website: `https://www.${domain}`,
      BillingCountry: i === 3 ? 'Germany' : 'United States',
      IsPartner: true,
    };
    accounts.push(account);
    const sellers = (PARTNER_SELLERS[i] ?? []).map((sellerName, j) => {
      const [first, ...rest] = sellerName.split(' ');
      const contact: RecordData = {
        Id: demoId('003', 100 + i * 10 + j),
        AccountId: account.Id,
        FirstName: first ?? null,
        LastName: rest.join(' '),
        Name: sellerName,
        Email: `${(first ?? '').toLowerCase()}@${domain}`,
      };
      contacts.push(contact);
      const seller = user(100 + i * 10 + j, sellerName, 'PowerPartner', {
        ContactId: contact.Id,
        AccountId: account.Id,
      });
      users.push(seller);
      assign(String(seller.Id), 'Cosell_Partner_Seller');
      return seller;
    });
    return { account, sellers };
  });

  const customers = CUSTOMER_NAMES.map((name, i) => {
    const account: RecordData = {
      Id: demoId('001', 1 + i),
      Name: name,
      Website: `https://${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
      BillingCountry: i % 3 === 0 ? 'Germany' : 'United States',
      IsPartner: false,
    };
    accounts.push(account);
    return account;
  });

  return {
    permissionSets,
    accounts,
    contacts,
    users,
    assignments,
    partners,
    vendorSellers,
    channelManager,
    customers,
  };
}

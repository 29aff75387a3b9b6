import type { ObjectSchema } from '../../domain/schema.js';
import { KEY_PREFIXES } from './key-prefixes.js';
import {
  booleanField,
  createdDateField,
  currencyIsoCodeField,
  idField,
  lastModifiedDateField,
  ownerIdField,
  picklistField,
  referenceField,
  textField,
  typedField,
} from './standard-fields.js';

/** Standard `Opportunity.StageName` values of a new org. */
const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];

/**
 * The stages of {@link OPPORTUNITY_STAGES} that close a deal, and the one that
 * wins it. In Salesforce the stage's OpportunityStage record sets IsClosed and
 * IsWon, and these are the settings of Salesforce's default stages.
 */
export const CLOSED_STAGES: readonly string[] = ['Closed Won', 'Closed Lost'];
export const WON_STAGES: readonly string[] = ['Closed Won'];

/** `User.UserType` values: internal users are `Standard`, partner users `PowerPartner`. */
const USER_TYPES = [
  'Standard',
  'PowerPartner',
  'PowerCustomerSuccess',
  'CustomerSuccess',
  'CspLitePortal',
  'CsnOnly',
  'SelfService',
  'Guest',
];

function object(
  name: string,
  label: string,
  fields: ObjectSchema['fields'][string][],
): ObjectSchema {
  return {
    name,
    label,
    custom: false,
    keyPrefix: KEY_PREFIXES[name] ?? '',
    fields: Object.fromEntries(fields.map((f) => [f.name, f])),
    childRelationships: {},
  };
}

/**
 * Returns the standard objects and fields the product uses, as describe reports them.
 * The reader merges in the custom fields of these objects from the `force-app` files.
 */
export function standardObjects(): ObjectSchema[] {
  return [
    object('Opportunity', 'Opportunity', [
      idField(),
      textField('Name', 'Name', 120, false),
      referenceField('AccountId', 'Account ID', 'Account', 'Account'),
      ownerIdField(),
      // Salesforce requires a stage on every opportunity, as it does Name and CloseDate.
      {
        ...picklistField('StageName', 'Stage', OPPORTUNITY_STAGES, true),
        nillable: false,
      },
      booleanField('IsWon', 'Won'),
      booleanField('IsClosed', 'Closed'),
      typedField('Amount', 'currency', 'Amount', { precision: 18, scale: 2 }),
      typedField('ExpectedRevenue', 'currency', 'Expected Amount', {
        precision: 18,
        scale: 2,
      }),
      typedField('Probability', 'percent', 'Probability (%)', {
        precision: 3,
        scale: 0,
        valueRange: { min: 0, max: 100 },
      }),
      picklistField(
        'ForecastCategoryName',
        'Forecast Category',
        ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'],
        true,
      ),
      typedField('CloseDate', 'date', 'Close Date', { nillable: false }),
      textField('NextStep', 'Next Step', 255),
      currencyIsoCodeField(),
      createdDateField(),
      lastModifiedDateField(),
    ]),
    object('Account', 'Account', [
      idField(),
      textField('Name', 'Account Name', 255, false),
      typedField('Website', 'url', 'Website', { length: 255 }),
      textField('BillingCountry', 'Billing Country', 80),
      booleanField('IsPartner', 'Partner Account'),
      ownerIdField(),
      currencyIsoCodeField(),
      createdDateField(),
      lastModifiedDateField(),
    ]),
    object('Contact', 'Contact', [
      idField(),
      referenceField('AccountId', 'Account ID', 'Account', 'Account'),
      textField('FirstName', 'First Name', 40),
      textField('LastName', 'Last Name', 80, false),
      textField('Name', 'Full Name', 121, false),
      typedField('Email', 'email', 'Email', { length: 80 }),
      ownerIdField(),
      currencyIsoCodeField(),
      createdDateField(),
      lastModifiedDateField(),
    ]),
    object('User', 'User', [
      idField(),
      textField('Name', 'Full Name', 121, false),
      textField('Username', 'Username', 80, false),
      typedField('Email', 'email', 'Email', { length: 128, nillable: false }),
      booleanField('IsActive', 'Active'),
      picklistField('UserType', 'User Type', USER_TYPES, true),
      referenceField('ContactId', 'Contact ID', 'Contact', 'Contact'),
      referenceField('AccountId', 'Account ID', 'Account', 'Account'),
      currencyIsoCodeField(),
      createdDateField(),
      lastModifiedDateField(),
    ]),
    object('OpportunityTeamMember', 'Opportunity Team Member', [
      idField(),
      referenceField(
        'OpportunityId',
        'Opportunity ID',
        'Opportunity',
        'Opportunity',
        false,
      ),
      referenceField('UserId', 'User ID', 'User', 'User', false),
      picklistField('TeamMemberRole', 'Team Role', [
        'Account Manager',
        'Channel Manager',
        'Executive Sponsor',
        'Lead Qualifier',
        'Pre-Sales Consultant',
        'Sales Manager',
        'Sales Rep',
      ]),
      createdDateField(),
    ]),
    object('PermissionSetAssignment', 'Permission Set Assignment', [
      idField(),
      referenceField('AssigneeId', 'Assignee ID', 'User', 'Assignee', false),
      referenceField(
        'PermissionSetId',
        'Permission Set ID',
        'PermissionSet',
        'PermissionSet',
        false,
      ),
    ]),
    object('PermissionSet', 'Permission Set', [
      idField(),
      textField('Name', 'Name', 80, false),
      textField('Label', 'Label', 80, false),
    ]),
  ];
}

/** Child relationships between the standard objects above, by parent. */
export const STANDARD_CHILD_RELATIONSHIPS = [
  {
    parent: 'Opportunity',
    relationshipName: 'OpportunityTeamMembers',
    childSObject: 'OpportunityTeamMember',
    field: 'OpportunityId',
  },
  {
    parent: 'Account',
    relationshipName: 'Opportunities',
    childSObject: 'Opportunity',
    field: 'AccountId',
  },
  {
    parent: 'Account',
    relationshipName: 'Contacts',
    childSObject: 'Contact',
    field: 'AccountId',
  },
  {
    parent: 'User',
    relationshipName: 'PermissionSetAssignments',
    childSObject: 'PermissionSetAssignment',
    field: 'AssigneeId',
  },
  {
    parent: 'PermissionSet',
    relationshipName: 'Assignments',
    childSObject: 'PermissionSetAssignment',
    field: 'PermissionSetId',
  },
] as const;

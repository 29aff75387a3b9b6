/**
 * `Deal_Registration__c` fields as both lifecycle stores write and read them,
 * so the local store and the org map a registration the same way.
 */
import { REGISTRATION_FIELDS as G } from '../domain/api-names.js';
import type { RegistrationStatus } from '../domain/lifecycle/index.js';
import { moneyText } from '../domain/lifecycle/money.js';
import type { FieldValue } from '../domain/records.js';
import type {
  ConflictStatus,
  NewRegistration,
  RegistrationRecord,
} from './lifecycle-store.js';

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);

const money = (value: unknown): string | null => {
  const given = text(value);
  return given === null ? null : moneyText(given);
};

/**
 * Builds the fields of a new Submitted registration. `CreatedDate` (when it
 * was submitted) and `Name` are left to the store, because an org sets both.
 * The submitting partner user owns it. The object is Private, and in an org both
 * its sharing rule to internal users and the partner role hierarchy reach only
 * rows that a partner user owns.
 */
export function registrationFields(
  registration: NewRegistration,
): Record<string, FieldValue> {
  return {
    CurrencyIsoCode: registration.currencyIsoCode,
    [G.customerCompany]: registration.customerCompany,
    [G.customerWebsite]: registration.customerWebsite,
    [G.customerCountry]: registration.customerCountry,
    [G.productLine]: registration.productLine,
    [G.amount]: registration.amount,
    [G.expectedCloseDate]: registration.expectedCloseDate,
    [G.status]: 'Submitted',
    [G.conflictStatus]: registration.conflictStatus,
    [G.conflictMatches]: registration.conflictMatches,
    [G.expiresAt]: registration.expiresAt,
    [G.partnerAccount]: registration.partnerAccountId,
    [G.submittedBy]: registration.submittedById,
    OwnerId: registration.submittedById,
  };
}

/** Reads a registration from its fields and its partner account's name. */
export function toRegistrationRecord(
  fields: Readonly<Record<string, unknown>>,
  partnerAccountName: unknown,
): RegistrationRecord {
  const id = String(fields['Id']);
  return {
    id,
    name: text(fields['Name']) ?? id,
    partnerAccountId: String(fields[G.partnerAccount] ?? ''),
    partnerAccountName: text(partnerAccountName),
    customerCompany: String(fields[G.customerCompany] ?? ''),
    customerWebsite: text(fields[G.customerWebsite]),
    customerCountry: text(fields[G.customerCountry]),
    productLine: text(fields[G.productLine]),
    amount: money(fields[G.amount]),
    currencyIsoCode: text(fields['CurrencyIsoCode']) ?? 'USD',
    expectedCloseDate: text(fields[G.expectedCloseDate]),
    status: (text(fields[G.status]) ?? 'Submitted') as RegistrationStatus,
    submittedAt: String(fields['CreatedDate']),
    decidedAt: text(fields[G.decidedAt]),
    expiresAt: text(fields[G.expiresAt]),
    opportunityId: text(fields[G.opportunity]),
    conflictStatus: (text(fields[G.conflictStatus]) ??
      'Not Checked') as ConflictStatus,
    conflictMatches: text(fields[G.conflictMatches]),
    submittedById: text(fields[G.submittedBy]),
    ownerId: text(fields['OwnerId']),
    decidedById: text(fields[G.decidedBy]),
    decisionReason: text(fields[G.decisionReason]),
  };
}

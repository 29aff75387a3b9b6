import type { FieldSchema, FieldType } from '../../domain/schema.js';

/** Builders for the standard fields of the kept standard objects. */
function field(
  name: string,
  type: FieldType,
  label: string,
  extra: Partial<FieldSchema> = {},
): FieldSchema {
  return { name, type, label, custom: false, nillable: true, ...extra };
}

export const idField = (): FieldSchema =>
  field('Id', 'id', 'Record ID', { nillable: false, length: 18 });

export const textField = (
  name: string,
  label: string,
  length: number,
  nillable = true,
): FieldSchema => field(name, 'string', label, { length, nillable });

export const typedField = (
  name: string,
  type: FieldType,
  label: string,
  extra: Partial<FieldSchema> = {},
): FieldSchema => field(name, type, label, extra);

export const booleanField = (name: string, label: string): FieldSchema =>
  field(name, 'boolean', label, { nillable: false, defaultValue: false });

export const referenceField = (
  name: string,
  label: string,
  target: string,
  relationshipName: string,
  nillable = true,
): FieldSchema =>
  field(name, 'reference', label, {
    referenceTo: [target],
    relationshipName,
    nillable,
    length: 18,
  });

export const picklistField = (
  name: string,
  label: string,
  values: string[],
  restrictedPicklist = false,
): FieldSchema =>
  field(name, 'picklist', label, {
    picklistValues: values,
    restrictedPicklist,
    length: 255,
  });

/**
 * `CurrencyIsoCode`, which every record has because the org has multiple currencies.
 * NOTE: an org's active currencies differ, so local mode lists common codes and does
 * not restrict the picklist. The local store accepts any current ISO 4217 code, but
 * Salesforce accepts only the org's active currencies.
 */
export const currencyIsoCodeField = (): FieldSchema =>
  picklistField('CurrencyIsoCode', 'Currency ISO Code', [
    'USD',
    'EUR',
    'GBP',
    'JPY',
    'AUD',
    'CAD',
  ]);

export const createdDateField = (): FieldSchema =>
  typedField('CreatedDate', 'datetime', 'Created Date', { nillable: false });

export const lastModifiedDateField = (): FieldSchema =>
  typedField('LastModifiedDate', 'datetime', 'Last Modified Date', {
    nillable: false,
  });

/** Owner of a record. NOTE: Salesforce also allows a queue (Group); local mode only users. */
export const ownerIdField = (): FieldSchema =>
  referenceField('OwnerId', 'Owner ID', 'User', 'Owner', false);

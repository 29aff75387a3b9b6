import type { FieldSchema, ObjectSchema } from '../../domain/schema.js';
import { KEY_PREFIXES } from './key-prefixes.js';
import {
  createdDateField,
  currencyIsoCodeField,
  idField,
  lastModifiedDateField,
  ownerIdField,
  referenceField,
  textField,
} from './standard-fields.js';
import { childNode, childText, type XmlNode } from './xml-file.js';

/**
 * Builds the schema of a custom object (`__c`) or custom metadata type (`__mdt`)
 * from its `CustomObject` element, with the standard fields Salesforce gives it.
 * `isDetail` is true when a master-detail field makes it a child without an owner.
 */
export function customObjectSchema(
  name: string,
  xml: XmlNode,
  isDetail: boolean,
): ObjectSchema {
  const label = childText(xml, 'label');
  if (label === undefined) throw new Error('<label> is missing');
  const keyPrefix = KEY_PREFIXES[name];
  if (keyPrefix === undefined) {
    throw new Error(
      `no key prefix is assigned to ${name}; add it to KEY_PREFIXES in middleware/src/org/force-app/key-prefixes.ts`,
    );
  }
  const fields = name.endsWith('__mdt')
    ? metadataTypeFields()
    : customObjectFields(xml, isDetail);
  return {
    name,
    label,
    custom: true,
    keyPrefix,
    fields: Object.fromEntries(fields.map((f) => [f.name, f])),
    childRelationships: {},
  };
}

function customObjectFields(xml: XmlNode, isDetail: boolean): FieldSchema[] {
  const nameField = childNode(xml, 'nameField');
  const nameType = nameField && childText(nameField, 'type');
  if (nameType !== 'Text' && nameType !== 'AutoNumber') {
    throw new Error(
      '<nameField><type> must be Text or AutoNumber, not ' + String(nameType),
    );
  }
  const nameLabel = childText(nameField ?? {}, 'label') ?? 'Name';
  // NOTE: describe reports an auto-number Name as not nillable but not createable;
  // FieldSchema has no createable flag, so both kinds read as nillable here and the
  // store fills in the name (auto number format: the object's <displayFormat>).
  const fields = [
    idField(),
    textField('Name', nameLabel, 80),
    createdDateField(),
    referenceField('CreatedById', 'Created By ID', 'User', 'CreatedBy', false),
    lastModifiedDateField(),
    currencyIsoCodeField(),
  ];
  if (!isDetail) fields.push(ownerIdField());
  return fields;
}

/** Standard fields of every custom metadata type record. */
function metadataTypeFields(): FieldSchema[] {
  return [
    idField(),
    textField('DeveloperName', 'Custom Metadata Record Name', 40, false),
    textField('MasterLabel', 'Label', 40, false),
    textField('Label', 'Label', 40, false),
    textField('QualifiedApiName', 'Qualified API Name', 70, false),
    textField('NamespacePrefix', 'Namespace Prefix', 15),
  ];
}

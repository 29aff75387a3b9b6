import type { FieldSchema, FieldType } from '../../domain/schema.js';
import { childNode, childNodes, childText, type XmlNode } from './xml-file.js';

/** Salesforce metadata field types and the describe type each one reports. */
const DESCRIBE_TYPES: Readonly<Record<string, FieldType>> = {
  Text: 'string',
  EncryptedText: 'string',
  AutoNumber: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Email: 'email',
  Url: 'url',
  Phone: 'phone',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Lookup: 'reference',
  MasterDetail: 'reference',
  MetadataRelationship: 'reference',
};

/** Fixed lengths of types whose metadata has no `<length>`. */
const FIXED_LENGTHS: Readonly<Record<string, number>> = {
  TextArea: 255,
  Email: 80,
  Url: 255,
  Phone: 40,
  Picklist: 255,
  MultiselectPicklist: 4099,
};

/** A lookup found in a field file; the schema reader links it to its parent. */
export interface LookupLink {
  field: string;
  target: string;
  /** Child relationship name on the parent, without `__r`; absent for metadata relationships. */
  childRelationshipName?: string;
}

export interface ParsedField {
  schema: FieldSchema;
  lookup?: LookupLink;
  /** A master-detail field makes its object a detail, which has no owner. */
  masterDetail: boolean;
}

/**
 * Maps one `CustomField` element to the field's describe shape. Throws an `Error`
 * whose message names the element that is wrong.
 */
export function parseCustomField(name: string, xml: XmlNode): ParsedField {
  const fullName = childText(xml, 'fullName');
  if (fullName !== undefined && fullName !== name) {
    throw new Error(
      `<fullName> ${fullName} does not match the file name ${name}; rename one of them`,
    );
  }
  if (childText(xml, 'formula') !== undefined) {
    throw new Error(
      'formula fields are not supported: the local store cannot compute them',
    );
  }
  const metadataType = childText(xml, 'type');
  if (metadataType === undefined) throw new Error('<type> is missing');
  const describeType = DESCRIBE_TYPES[metadataType];
  if (describeType === undefined) {
    throw new Error(
      `unknown field type "${metadataType}"; supported types are ${Object.keys(DESCRIBE_TYPES).join(', ')}`,
    );
  }
  const label = childText(xml, 'label');
  if (label === undefined) throw new Error('<label> is missing');

  const required = childText(xml, 'required') === 'true';
  const schema: FieldSchema = {
    name,
    type: describeType,
    label,
    custom: true,
    nillable: !required && metadataType !== 'MasterDetail',
  };
  addSizes(schema, metadataType, xml);
  if (childText(xml, 'externalId') === 'true') schema.externalId = true;
  if (childText(xml, 'unique') === 'true') schema.unique = true;
  if (metadataType === 'Checkbox') schema.nillable = false;
  if (metadataType === 'Picklist' || metadataType === 'MultiselectPicklist') {
    addPicklist(schema, xml);
  }
  const defaultValue = parseDefault(childText(xml, 'defaultValue'));
  if (defaultValue !== undefined) schema.defaultValue = defaultValue;

  const masterDetail = metadataType === 'MasterDetail';
  if (describeType !== 'reference') return { schema, masterDetail };
  const lookup = parseLookup(name, metadataType, schema, xml);
  return { schema, lookup, masterDetail };
}

function addSizes(schema: FieldSchema, metadataType: string, xml: XmlNode) {
  const length = childText(xml, 'length');
  if (length !== undefined) schema.length = parseWhole(length, 'length');
  else if (FIXED_LENGTHS[metadataType] !== undefined) {
    schema.length = FIXED_LENGTHS[metadataType];
  }
  const precision = childText(xml, 'precision');
  const scale = childText(xml, 'scale');
  if (precision !== undefined) {
    schema.precision = parseWhole(precision, 'precision');
  }
  if (scale !== undefined) schema.scale = parseWhole(scale, 'scale');
  if (metadataType === 'Number' && (schema.scale ?? 0) === 0) {
    schema.type = 'int';
  }
}

function addPicklist(schema: FieldSchema, xml: XmlNode) {
  const valueSet = childNode(xml, 'valueSet');
  const globalName = valueSet && childText(valueSet, 'valueSetName');
  if (globalName !== undefined) {
    throw new Error(
      `uses the global value set ${globalName}, which this reader does not resolve; define the values in the field's own <valueSetDefinition>`,
    );
  }
  const definition = valueSet && childNode(valueSet, 'valueSetDefinition');
  const values = definition ? childNodes(definition, 'value') : [];
  if (values.length === 0) {
    throw new Error('picklist has no <valueSet><valueSetDefinition><value>');
  }
  schema.picklistValues = values.map((value, index) => {
    const apiName = childText(value, 'fullName');
    if (apiName === undefined) {
      throw new Error(`picklist value ${index + 1} has no <fullName>`);
    }
    if (childText(value, 'default') === 'true') schema.defaultValue = apiName;
    return apiName;
  });
  schema.restrictedPicklist =
    childText(valueSet ?? {}, 'restricted') === 'true';
}

function parseLookup(
  name: string,
  metadataType: string,
  schema: FieldSchema,
  xml: XmlNode,
): LookupLink {
  const target = childText(xml, 'referenceTo');
  if (target === undefined) throw new Error('<referenceTo> is missing');
  schema.referenceTo = [target];
  schema.relationshipName = name.replace(/__c$/, '__r');
  schema.length = 18;
  if (metadataType === 'MetadataRelationship') return { field: name, target };
  const childRelationshipName = childText(xml, 'relationshipName');
  if (childRelationshipName === undefined) {
    throw new Error(
      '<relationshipName> is missing; it names the child relationship on the parent',
    );
  }
  return { field: name, target, childRelationshipName };
}

/** Parses a literal default value into what the field stores; formulas are rejected. */
function parseDefault(text: string | undefined): FieldSchema['defaultValue'] {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const quoted = /^"(.*)"$/s.exec(trimmed) ?? /^'(.*)'$/s.exec(trimmed);
  if (quoted) return quoted[1] ?? '';
  throw new Error(
    `<defaultValue> ${trimmed} is a formula; only literal defaults (a number, true, false or a quoted text) are supported`,
  );
}

function parseWhole(text: string, tag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`<${tag}> must be a whole number, not "${text}"`);
  }
  return value;
}

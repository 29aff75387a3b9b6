import { z } from 'zod';
import { OBJECTS } from '../../domain/api-names.js';
import type {
  ChildRelationshipSchema,
  FieldSchema,
  FieldType,
  ObjectSchema,
  OrgSchema,
} from '../../domain/schema.js';
import { SalesforceCallError } from './api-error.js';
import { sendComposite, type Subrequest } from './composite.js';
import { checkResponse } from './org-response.js';
import type { SalesforceApi } from './salesforce-api.js';

/** Objects the product reads or writes: the API-name mapping plus `PermissionSet`. */
export const DESCRIBED_OBJECTS: readonly string[] = [
  ...new Set<string>([...Object.values(OBJECTS), 'PermissionSet']),
];

/** Describe types with no `FieldType` of their own, read as the closest one. */
const TYPE_ALIASES: Record<string, FieldType> = {
  combobox: 'picklist',
  encryptedstring: 'string',
  long: 'int',
};
const FIELD_TYPES = new Set<string>([
  'id',
  'reference',
  'string',
  'textarea',
  'email',
  'url',
  'phone',
  'picklist',
  'multipicklist',
  'boolean',
  'double',
  'int',
  'currency',
  'percent',
  'date',
  'datetime',
]);

/** The parts of a describe result that `toObjectSchema` reads without a fallback. */
const DESCRIBE_RESULT = z.object({
  name: z.string(),
  fields: z.array(z.object({ name: z.string(), type: z.string() })),
});

interface DescribeField {
  name: string;
  label: string;
  type: string;
  custom: boolean;
  referenceTo?: string[];
  relationshipName?: string | null;
  picklistValues?: { value: string; active: boolean }[];
  restrictedPicklist?: boolean;
  externalId?: boolean;
  unique?: boolean;
  nillable?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  defaultValue?: unknown;
}

interface DescribeResult {
  name: string;
  label: string;
  custom: boolean;
  keyPrefix: string | null;
  fields: DescribeField[];
  childRelationships: {
    childSObject: string;
    field: string;
    relationshipName: string | null;
  }[];
}

/**
 * Describes the product's objects in one composite call of `GET
 * /sobjects/{name}/describe` subrequests and maps the results to `OrgSchema`.
 * Describe lists only what the integration user can see, so a field without read
 * access is missing here, and a criterion that reads it fails to load. An object
 * the user cannot see is left out; its absence is logged.
 */
export async function describeSchema(api: SalesforceApi): Promise<OrgSchema> {
  const operation = 'describe objects';
  const subrequests: Subrequest[] = DESCRIBED_OBJECTS.map((name, index) => ({
    method: 'GET',
    url: `${api.dataPath}/sobjects/${name}/describe`,
    referenceId: `describe${index}`,
  }));
  // A failed describe is thrown inside the retried call, so a row lock or 503 of
  // one part is retried like one of the whole call. NOT_FOUND means the
  // integration user cannot see the object, which a retry does not change.
  const result = await api.retrying(operation, async () => {
    const sent = await sendComposite(api, operation, subrequests, false);
    const errors = subrequests
      .map((subrequest) => sent.errors(subrequest.referenceId))
      .filter((part) => !part.every((e) => e.errorCode === 'NOT_FOUND'))
      .flat();
    if (errors.length > 0) throw new SalesforceCallError(operation, errors);
    return sent;
  });
  const schema: OrgSchema = {};
  const missing: string[] = [];
  DESCRIBED_OBJECTS.forEach((name, index) => {
    const referenceId = `describe${index}`;
    if (result.ok(referenceId)) {
      const object = toObjectSchema(
        checkResponse<DescribeResult>(
          operation,
          `the describe result of ${name}`,
          DESCRIBE_RESULT,
          result.body(referenceId),
        ),
      );
      schema[object.name] = object;
      return;
    }
    missing.push(name);
  });
  if (missing.length > 0) {
    api.logger.warn(
      { objects: missing },
      'objects the integration user cannot see are missing from the schema',
    );
  }
  return schema;
}

export function toObjectSchema(describe: DescribeResult): ObjectSchema {
  const fields: Record<string, FieldSchema> = {};
  for (const field of describe.fields) {
    const mapped = toFieldSchema(field);
    if (mapped) fields[mapped.name] = mapped;
  }
  const childRelationships: Record<string, ChildRelationshipSchema> = {};
  for (const child of describe.childRelationships ?? []) {
    if (!child.relationshipName) continue;
    childRelationships[child.relationshipName] = {
      relationshipName: child.relationshipName,
      childSObject: child.childSObject,
      field: child.field,
    };
  }
  return {
    name: describe.name,
    label: describe.label,
    custom: describe.custom,
    keyPrefix: describe.keyPrefix ?? '',
    fields,
    childRelationships,
  };
}

/** Maps one describe field; compound and binary fields (address, base64) are left out. */
function toFieldSchema(field: DescribeField): FieldSchema | null {
  const type = TYPE_ALIASES[field.type] ?? field.type;
  if (!FIELD_TYPES.has(type)) return null;
  const schema: FieldSchema = {
    name: field.name,
    type: type as FieldType,
    label: field.label,
    custom: field.custom,
  };
  if (field.referenceTo && field.referenceTo.length > 0) {
    schema.referenceTo = field.referenceTo;
  }
  if (field.relationshipName) schema.relationshipName = field.relationshipName;
  if (type === 'picklist' || type === 'multipicklist') {
    schema.picklistValues = (field.picklistValues ?? [])
      .filter((value) => value.active)
      .map((value) => value.value);
    schema.restrictedPicklist = field.restrictedPicklist ?? false;
  }
  if (field.externalId !== undefined) schema.externalId = field.externalId;
  if (field.unique !== undefined) schema.unique = field.unique;
  if (field.nillable !== undefined) schema.nillable = field.nillable;
  if (field.length) schema.length = field.length;
  if (field.precision) schema.precision = field.precision;
  if (field.precision) schema.scale = field.scale ?? 0;
  const defaultValue = field.defaultValue;
  if (
    typeof defaultValue === 'string' ||
    typeof defaultValue === 'number' ||
    typeof defaultValue === 'boolean'
  ) {
    schema.defaultValue = defaultValue;
  }
  return schema;
}

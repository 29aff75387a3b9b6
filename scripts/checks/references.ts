import type { Finding } from './finding.js';
import { CUSTOM_NAME, type SchemaLookup } from './schema-lookup.js';

/** A name that one file uses and that must exist in `force-app`. */
export type Reference = { file: string; line?: number } & (
  | { kind: 'object'; object: string }
  /** A field or a path through lookups, such as `Partner_Account__r.Name`. */
  | { kind: 'field'; object: string; path: string }
  /** A child relationship of `object`, such as `Close_Plan_Steps__r`. */
  | { kind: 'child-relationship'; object: string; name: string }
  /** A custom name whose object is not known from the text, such as `deal.Foo__c`. */
  | { kind: 'custom-name'; name: string }
  | { kind: 'apex-method'; className: string; method: string }
  | { kind: 'apex-class'; className: string }
  | { kind: 'label'; name: string }
  | { kind: 'custom-permission'; name: string }
);

/** The names a reference can resolve to besides the schema. */
export interface KnownNames {
  schema: SchemaLookup;
  /** Lower-case class name to its lower-case `@AuraEnabled` static method names. */
  auraMethods: Map<string, Set<string>>;
  /** Lower-case custom label names. */
  labels: Set<string>;
  /** Lower-case custom permission names. */
  customPermissions: Set<string>;
  /** Lower-case Apex sharing reason names as Apex spells them, such as `partner_account_access__c`. */
  sharingReasons: Set<string>;
}

const CHECK = 'cross-reference';

/** Returns a finding when the reference names nothing in `force-app`. */
export function resolveReference(
  reference: Reference,
  known: KnownNames,
): Finding | undefined {
  const at = reference.line === undefined ? '' : `line ${reference.line}: `;
  const fail = (name: string, message: string): Finding => ({
    check: CHECK,
    file: reference.file,
    name,
    message: at + message,
  });
  switch (reference.kind) {
    case 'object':
      return resolveObject(reference.object, known.schema, fail);
    case 'field':
      return resolveField(reference.object, reference.path, known.schema, fail);
    case 'child-relationship': {
      const objectName = known.schema.objectName(reference.object);
      if (objectName === undefined) {
        return resolveObject(reference.object, known.schema, fail);
      }
      if (known.schema.childObject(objectName, reference.name))
        return undefined;
      return fail(
        `${reference.object}.${reference.name}`,
        `${reference.name} is not a child relationship of ${objectName}; fix the name, or set <relationshipName> on the child's lookup field`,
      );
    }
    case 'custom-name':
      if (known.schema.hasCustomName(reference.name)) return undefined;
      if (known.sharingReasons.has(reference.name.toLowerCase())) {
        return undefined;
      }
      return fail(
        reference.name,
        `no custom object, field or relationship named ${reference.name} is defined in force-app; fix the name or add its metadata`,
      );
    case 'apex-class':
      if (known.auraMethods.has(reference.className.toLowerCase())) {
        return undefined;
      }
      return fail(
        reference.className,
        `Apex class ${reference.className} is not defined in force-app classes`,
      );
    case 'apex-method': {
      const name = `${reference.className}.${reference.method}`;
      const methods = known.auraMethods.get(reference.className.toLowerCase());
      if (methods === undefined) {
        return fail(
          name,
          `Apex class ${reference.className} is not defined in force-app classes`,
        );
      }
      if (methods.has(reference.method.toLowerCase())) return undefined;
      return fail(
        name,
        `${reference.className} has no static @AuraEnabled method ${reference.method}; add the annotation or fix the import`,
      );
    }
    case 'label':
      if (known.labels.has(reference.name.toLowerCase())) return undefined;
      return fail(
        `c.${reference.name}`,
        `custom label ${reference.name} is not defined in force-app labels; add it to CustomLabels.labels-meta.xml or fix the import`,
      );
    case 'custom-permission':
      if (known.customPermissions.has(reference.name.toLowerCase())) {
        return undefined;
      }
      return fail(
        reference.name,
        `custom permission ${reference.name} is not defined in force-app customPermissions`,
      );
  }
}

function resolveObject(
  object: string,
  schema: SchemaLookup,
  fail: (name: string, message: string) => Finding,
): Finding | undefined {
  if (schema.objectName(object) !== undefined) return undefined;
  if (!CUSTOM_NAME.test(object)) return undefined;
  return fail(
    object,
    `object ${object} is not defined in force-app; add objects/${object}/${object}.object-meta.xml or fix the name`,
  );
}

function resolveField(
  object: string,
  path: string,
  schema: SchemaLookup,
  fail: (name: string, message: string) => Finding,
): Finding | undefined {
  const objectName = schema.objectName(object);
  if (objectName === undefined) return resolveObject(object, schema, fail);
  const miss = schema.missingInPath(objectName, path);
  if (miss === undefined) return undefined;
  const name = `${object}.${path}`;
  if (miss.relationship) {
    return fail(
      name,
      `${miss.segment} is not a lookup relationship of ${miss.object}`,
    );
  }
  const fix = CUSTOM_NAME.test(miss.segment)
    ? `add objects/${miss.object}/fields/${miss.segment}.field-meta.xml or fix the name`
    : 'fix the name, or add the standard field to EXTRA_STANDARD_FIELDS in scripts/checks/standard-fields.ts';
  return fail(
    name,
    `field ${miss.object}.${miss.segment} is not defined in force-app; ${fix}`,
  );
}

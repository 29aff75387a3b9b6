import type { OrgSchema } from '../../middleware/src/domain/schema.js';
import { EXTRA_STANDARD_FIELDS } from './standard-fields.js';

/** Custom object, custom metadata type, custom field or relationship API names. */
export const CUSTOM_NAME = /^[A-Za-z]\w*__(c|r|mdt)$/;

/** The segment of a field path that names nothing, and the object it was looked up on. */
export interface PathMiss {
  segment: string;
  object: string;
  /** True when the segment was expected to be a lookup relationship. */
  relationship: boolean;
}

interface ObjectNames {
  name: string;
  /** Lower-case field names. */
  fields: Set<string>;
  /** Lower-case lookup relationship name to the object it points to. */
  lookups: Map<string, string>;
  /** Lower-case child relationship name to the child object. */
  children: Map<string, string>;
}

/**
 * Case-insensitive look-ups over the `force-app` schema and the kept standard
 * fields, because Salesforce API names ignore case.
 */
export class SchemaLookup {
  private readonly objects = new Map<string, ObjectNames>();
  private readonly anyField = new Set<string>();
  private readonly anyRelationship = new Set<string>();

  constructor(schema: OrgSchema) {
    for (const object of Object.values(schema)) {
      const names = this.entry(object.name);
      for (const field of Object.values(object.fields)) {
        this.addField(names, field.name);
        const target = field.referenceTo?.[0];
        if (field.relationshipName && target) {
          names.lookups.set(field.relationshipName.toLowerCase(), target);
          this.anyRelationship.add(field.relationshipName.toLowerCase());
        }
      }
      for (const child of Object.values(object.childRelationships)) {
        names.children.set(
          child.relationshipName.toLowerCase(),
          child.childSObject,
        );
        this.anyRelationship.add(child.relationshipName.toLowerCase());
      }
    }
    for (const [objectName, fields] of Object.entries(EXTRA_STANDARD_FIELDS)) {
      const names = this.entry(objectName);
      for (const field of fields) this.addField(names, field);
    }
  }

  /** Returns the object's API name as defined, or undefined for an object not in the schema. */
  objectName(name: string): string | undefined {
    return this.objects.get(name.toLowerCase())?.name;
  }

  hasField(objectName: string, field: string): boolean {
    return (
      this.objects
        .get(objectName.toLowerCase())
        ?.fields.has(field.toLowerCase()) ?? false
    );
  }

  /** Returns the child object of a child relationship, such as `Close_Plan_Steps__r`. */
  childObject(objectName: string, relationship: string): string | undefined {
    return this.objects
      .get(objectName.toLowerCase())
      ?.children.get(relationship.toLowerCase());
  }

  /**
   * Follows a field path such as `Partner_Account__r.Name` from `objectName`.
   * Returns the first segment that names nothing, or undefined when the path
   * resolves or reaches an object that is not in the schema.
   */
  missingInPath(objectName: string, path: string): PathMiss | undefined {
    const segments = path.split('.');
    let current = this.objects.get(objectName.toLowerCase());
    for (const [index, segment] of segments.entries()) {
      if (!current) return undefined;
      const last = index === segments.length - 1;
      if (last) {
        return current.fields.has(segment.toLowerCase())
          ? undefined
          : { segment, object: current.name, relationship: false };
      }
      const target = current.lookups.get(segment.toLowerCase());
      if (target === undefined) {
        return { segment, object: current.name, relationship: true };
      }
      current = this.objects.get(target.toLowerCase());
    }
    return undefined;
  }

  /** Returns whether a custom name (`__c`, `__r`, `__mdt`) names anything in the schema. */
  hasCustomName(name: string): boolean {
    const lower = name.toLowerCase();
    if (lower.endsWith('__r')) return this.anyRelationship.has(lower);
    if (lower.endsWith('__mdt')) return this.objects.has(lower);
    return this.objects.has(lower) || this.anyField.has(lower);
  }

  private entry(name: string): ObjectNames {
    const key = name.toLowerCase();
    let names = this.objects.get(key);
    if (!names) {
      names = {
        name,
        fields: new Set(),
        lookups: new Map(),
        children: new Map(),
      };
      this.objects.set(key, names);
    }
    return names;
  }

  private addField(names: ObjectNames, field: string): void {
    names.fields.add(field.toLowerCase());
    this.anyField.add(field.toLowerCase());
  }
}

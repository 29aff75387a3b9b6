import type {
  ChildRelationshipSchema,
  FieldSchema,
  ObjectSchema,
  OrgSchema,
} from '../../middleware/src/domain/schema.js';

/**
 * Case-insensitive look-ups over an `OrgSchema`, as Salesforce resolves object,
 * field and relationship names in SOQL and in REST paths.
 */
export class SchemaIndex {
  private readonly objectsByName = new Map<string, ObjectSchema>();
  private readonly objectsByPrefix = new Map<string, ObjectSchema>();
  private readonly fieldsByObject = new Map<string, Map<string, FieldSchema>>();
  private readonly parentsByObject = new Map<
    string,
    Map<string, FieldSchema>
  >();
  private readonly childrenByObject = new Map<
    string,
    Map<string, ChildRelationshipSchema>
  >();

  constructor(readonly schema: OrgSchema) {
    for (const object of Object.values(schema)) this.add(object);
  }

  private add(object: ObjectSchema): void {
    if (!/^[a-zA-Z0-9]{3}$/.test(object.keyPrefix)) {
      throw new Error(
        `Object ${object.name} has key prefix "${object.keyPrefix}"; the stand-in needs 3 letters or digits to generate its Ids`,
      );
    }
    const samePrefix = this.objectsByPrefix.get(object.keyPrefix);
    if (samePrefix) {
      throw new Error(
        `Objects ${samePrefix.name} and ${object.name} share the key prefix ${object.keyPrefix}; give each object its own`,
      );
    }
    const key = object.name.toLowerCase();
    this.objectsByName.set(key, object);
    this.objectsByPrefix.set(object.keyPrefix, object);
    const fields = new Map<string, FieldSchema>();
    const parents = new Map<string, FieldSchema>();
    for (const field of Object.values(object.fields)) {
      fields.set(field.name.toLowerCase(), field);
      if (field.type === 'reference' && field.relationshipName) {
        parents.set(field.relationshipName.toLowerCase(), field);
      }
    }
    this.fieldsByObject.set(key, fields);
    this.parentsByObject.set(key, parents);
    const children = new Map<string, ChildRelationshipSchema>();
    for (const child of Object.values(object.childRelationships)) {
      children.set(child.relationshipName.toLowerCase(), child);
    }
    this.childrenByObject.set(key, children);
  }

  objects(): ObjectSchema[] {
    return [...this.objectsByName.values()];
  }

  object(name: string): ObjectSchema | undefined {
    return this.objectsByName.get(name.toLowerCase());
  }

  objectByKeyPrefix(prefix: string): ObjectSchema | undefined {
    return this.objectsByPrefix.get(prefix);
  }

  field(objectName: string, fieldName: string): FieldSchema | undefined {
    return this.fieldsByObject
      .get(objectName.toLowerCase())
      ?.get(fieldName.toLowerCase());
  }

  /** The lookup field whose relationship name is `relationshipName` (`Owner`, `Partner_Account__r`). */
  parentRelationship(
    objectName: string,
    relationshipName: string,
  ): FieldSchema | undefined {
    return this.parentsByObject
      .get(objectName.toLowerCase())
      ?.get(relationshipName.toLowerCase());
  }

  childRelationship(
    objectName: string,
    relationshipName: string,
  ): ChildRelationshipSchema | undefined {
    return this.childrenByObject
      .get(objectName.toLowerCase())
      ?.get(relationshipName.toLowerCase());
  }

  /** Returns the label Salesforce puts before an Id error: `Account ID` for standard objects, `Record ID` for custom ones. */
  idLabel(object: ObjectSchema): string {
    return object.custom ? 'Record ID' : `${object.label} ID`;
  }
}

/**
 * The org's schema as the middleware sees it: objects, fields, lookups and child
 * relationships, keyed by API name. Local mode derives it from the `force-app` object
 * files; the Salesforce gateway from describe results. Field types use the names of
 * Salesforce's describe API (`DescribeFieldResult.type`).
 */
export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'email'
  | 'url'
  | 'phone'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'double'
  | 'int'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime';

export interface FieldSchema {
  name: string;
  type: FieldType;
  label: string;
  custom: boolean;
  /** Target objects of a lookup or master-detail field. */
  referenceTo?: string[];
  /** Name of the lookup's relationship, such as `Partner_Account__r` or `Owner`. */
  relationshipName?: string;
  /** Picklist values (API names), in their order. */
  picklistValues?: string[];
  /** A restricted picklist rejects values that are not in `picklistValues`. */
  restrictedPicklist?: boolean;
  externalId?: boolean;
  unique?: boolean;
  /** Whether the field may be left blank on insert. */
  nillable?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  /**
   * Smallest and largest value of a number field, where the platform limits it more
   * than `precision` does. Describe does not report it, so only the local schema
   * sets it, such as 0 to 100 for `Opportunity.Probability`.
   */
  valueRange?: { min: number; max: number };
  /** Default value for new records, as the literal the field stores. */
  defaultValue?: string | number | boolean | null;
}

export interface ChildRelationshipSchema {
  /** Relationship name used in formulas and SOQL, such as `Close_Plan_Steps__r`. */
  relationshipName: string;
  childSObject: string;
  /** Lookup field on the child that points to the parent. */
  field: string;
}

export interface ObjectSchema {
  name: string;
  label: string;
  custom: boolean;
  /** Three-character Id prefix of the object's records. */
  keyPrefix: string;
  fields: Record<string, FieldSchema>;
  childRelationships: Record<string, ChildRelationshipSchema>;
}

export type OrgSchema = Record<string, ObjectSchema>;

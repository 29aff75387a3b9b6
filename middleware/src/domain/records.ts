/**
 * Record data in the shape of a SOQL result, keyed by API name: scalar fields as
 * values, a lookup's parent under its relationship name (`Owner__r: { ... } | null`),
 * and child records under the child relationship name as an array
 * (`Close_Plan_Steps__r: [ ... ]`). Dates are `YYYY-MM-DD` text, date-times ISO 8601
 * text in UTC, numbers JavaScript numbers, blanks `null`.
 */
export type FieldValue = string | number | boolean | null;

export interface RecordData {
  Id?: string;
  [field: string]: FieldValue | RecordData | RecordData[] | undefined;
}

import type { FieldValue, RecordData } from '../../domain/records.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type {
  FieldSchema,
  ObjectSchema,
  OrgSchema,
} from '../../domain/schema.js';

/** A field path resolved against the schema: the lookups it crosses and its field. */
interface ResolvedColumn {
  /** Relationship names, in order, such as `['Partner_Account__r']`. */
  relationships: string[];
  name: string;
  field: FieldSchema | undefined;
}

/**
 * Turns records as the REST API (JSON) or Bulk API 2.0 (CSV text) serves them into
 * the shape of `domain/records.ts`, so a record reads the same from either:
 *
 * - blanks are `null` (CSV `""` included), except a blank checkbox, which is `false`;
 * - numbers, currency and percent are JavaScript numbers parsed once from the
 *   org's decimal text, never computed, so a value of up to 15 significant digits
 *   reads back as the same decimal (the criteria engine then works in exact decimals);
 * - dates stay `YYYY-MM-DD` text and are never turned into a `Date`, so no time zone
 *   can shift them; date-times become ISO 8601 in UTC (`...T09:30:00.000Z`);
 * - Ids and lookups are widened to 18 characters;
 * - a lookup's parent is a nested record, or `null` when its `Id` is blank, and
 *   child relationships are arrays (empty when the deal has none).
 */
export class RecordNormalizer {
  constructor(private readonly schema: OrgSchema) {}

  /** Normalises a REST record (with `attributes`) and its parents and children. */
  fromJson(record: Record<string, unknown>, objectName?: string): RecordData {
    const type =
      objectName ?? (record.attributes as { type?: string } | undefined)?.type;
    const object = type ? this.schema[type] : undefined;
    const out: RecordData = {};
    for (const [key, raw] of Object.entries(record)) {
      if (key === 'attributes') continue;
      const field = object?.fields[key];
      if (field || raw === null || typeof raw !== 'object') {
        out[key] = convertValue(field, raw);
        continue;
      }
      const nested = raw as Record<string, unknown>;
      if (Array.isArray(nested.records)) {
        const childType = object?.childRelationships[key]?.childSObject;
        out[key] = (nested.records as Record<string, unknown>[]).map((child) =>
          this.fromJson(child, childType),
        );
        continue;
      }
      const parentType = object
        ? lookupByRelationship(object, key)?.referenceTo?.[0]
        : undefined;
      const parent = this.fromJson(nested, parentType);
      out[key] = isBlankParent(parent) ? null : parent;
    }
    if (object) this.emptyChildren(object, record, out);
    return out;
  }

  /** Columns of a Bulk CSV header, resolved once per result set. */
  resolveColumns(objectName: string, columns: readonly string[]) {
    return columns.map((column) => this.resolveColumn(objectName, column));
  }

  /** Normalises one Bulk CSV row, read with the header `resolveColumns` resolved. */
  fromCsv(
    columns: readonly ResolvedColumn[],
    row: readonly string[],
  ): RecordData {
    const out: RecordData = {};
    columns.forEach((column, index) => {
      let target = out;
      for (const relationship of column.relationships) {
        const existing = target[relationship];
        if (existing === null || existing === undefined) {
          const created: RecordData = {};
          target[relationship] = created;
          target = created;
        } else {
          target = existing as RecordData;
        }
      }
      target[column.name] = convertText(column.field, row[index] ?? '');
    });
    return nullBlankParents(out, columns);
  }

  private resolveColumn(objectName: string, column: string): ResolvedColumn {
    const parts = column.split('.');
    let object: ObjectSchema | undefined = this.schema[objectName];
    const relationships: string[] = [];
    for (const part of parts.slice(0, -1)) {
      const lookup = object ? lookupByRelationship(object, part) : undefined;
      relationships.push(lookup?.relationshipName ?? part);
      const target = lookup?.referenceTo?.[0];
      object = target ? this.schema[target] : undefined;
    }
    const name = parts[parts.length - 1] ?? column;
    const field = object
      ? (object.fields[name] ?? findCaseInsensitive(object.fields, name))
      : undefined;
    return { relationships, name: field?.name ?? name, field };
  }

  /** A subquery with no rows is `null` in REST; the port's shape is `[]`. */
  private emptyChildren(
    object: ObjectSchema,
    record: Record<string, unknown>,
    out: RecordData,
  ): void {
    for (const key of Object.keys(record)) {
      if (record[key] === null && object.childRelationships[key]) {
        out[key] = [];
      }
    }
  }
}

/** Converts a JSON value by the field's type; unknown fields keep JSON's value. */
export function convertValue(
  field: FieldSchema | undefined,
  raw: unknown,
): FieldValue {
  if (raw === null || raw === undefined) {
    return field?.type === 'boolean' ? false : null;
  }
  if (typeof raw === 'string') return convertText(field, raw);
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return JSON.stringify(raw);
}

/** Converts text (a CSV cell or a JSON string) by the field's type. */
export function convertText(
  field: FieldSchema | undefined,
  text: string,
): FieldValue {
  if (!field) return text === '' ? null : text;
  if (field.type === 'boolean') return text.toLowerCase() === 'true';
  if (text === '') return null;
  switch (field.type) {
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      // NOTE: a value of more than 15 significant digits does not read back exactly, because RecordData holds numbers, not decimal text.
      const value = Number(text);
      return Number.isFinite(value) ? value : text;
    }
    case 'datetime':
      return toUtcIso(text);
    case 'id':
    case 'reference':
      return isSalesforceId(text) ? toId18(text) : text;
    default:
      return text;
  }
}

/** `2024-05-01T09:30:00.000+0000` or `...Z` to `2024-05-01T09:30:00.000Z`. */
function toUtcIso(text: string): string {
  const millis = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(millis) ? text : new Date(millis).toISOString();
}

function lookupByRelationship(
  object: ObjectSchema,
  relationship: string,
): FieldSchema | undefined {
  const wanted = relationship.toLowerCase();
  return Object.values(object.fields).find(
    (field) => field.relationshipName?.toLowerCase() === wanted,
  );
}

function findCaseInsensitive(
  fields: Record<string, FieldSchema>,
  name: string,
): FieldSchema | undefined {
  const wanted = name.toLowerCase();
  return Object.values(fields).find(
    (field) => field.name.toLowerCase() === wanted,
  );
}

/** A parent is blank when it has an `Id` key whose value is blank. */
function isBlankParent(parent: RecordData): boolean {
  return 'Id' in parent && (parent.Id === null || parent.Id === undefined);
}

/** Replaces each parent of a CSV row whose `Id` is blank with `null`, deepest first. */
function nullBlankParents(
  record: RecordData,
  columns: readonly ResolvedColumn[],
): RecordData {
  const depths = [...new Set(columns.map((c) => c.relationships.join('.')))]
    .filter((path) => path !== '')
    .sort((a, b) => b.split('.').length - a.split('.').length);
  for (const path of depths) {
    const parts = path.split('.');
    let holder: RecordData | null = record;
    for (const part of parts.slice(0, -1)) {
      const next: unknown = holder?.[part];
      holder =
        next && typeof next === 'object' && !Array.isArray(next)
          ? (next as RecordData)
          : null;
    }
    const last = parts[parts.length - 1] as string;
    const parent = holder?.[last];
    if (
      holder &&
      parent &&
      typeof parent === 'object' &&
      !Array.isArray(parent) &&
      isBlankParent(parent)
    ) {
      holder[last] = null;
    }
  }
  return record;
}

import type { FieldSchema, OrgSchema } from '../../domain/schema.js';

/**
 * The key prefixes a lookup's Id may start with: those of the objects it points
 * to. Empty (no check) when a target is not in the schema or has no prefix.
 */
export function referencePrefixes(
  schema: OrgSchema,
  field: FieldSchema,
): string[] {
  if (field.type === 'id') return [];
  const prefixes: string[] = [];
  for (const target of field.referenceTo ?? []) {
    const prefix = schema[target]?.keyPrefix;
    if (!prefix) return [];
    prefixes.push(prefix);
  }
  return prefixes;
}

import { getOpenApiMetadata } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { textLengthNote } from '../domain/text-length.js';
import { echoedNames } from './problem.js';

type RawIssue = z.core.$ZodRawIssue;

/** The bounds and choices of a field schema that its messages name. */
interface FieldFacts {
  minLength: number | null;
  maxLength: number | null;
  options: readonly unknown[] | null;
  keys: readonly string[] | null;
}

/**
 * Builds zod's per-parse error map for a request schema. It writes the messages
 * of issues that have no message of their own, naming the field, what is wrong
 * with it and what to send, such as "reason is missing: send a reason of 1 to
 * 1000 characters". Messages that a schema sets itself take precedence.
 */
export function requestErrorMap(
  root: z.ZodType,
  where: 'params' | 'body' | 'query' = 'body',
) {
  return (issue: RawIssue): string | undefined => {
    const path = (issue.path ?? []).map(String);
    const field = path.at(-1) ?? 'the value';
    const facts = factsOf(schemaAt(root, path));
    const accepted =
      expectedText(field, facts, issue) ??
      describedOr(root, path, `${field} as text`);
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) {
          return `${field} is missing: send ${accepted}`;
        }
        return `${field} is ${typeName(issue.input)}: send ${accepted}`;
      case 'too_small':
        if (typeof issue.input === 'string' && issue.input.trim() === '') {
          return `${field} is blank: send ${accepted}`;
        }
        return `${field} is too short: send ${accepted}`;
      case 'too_big':
        return `${field} is too long: send ${accepted}${typeof issue.input === 'string' ? textLengthNote(issue.input) : ''}`;
      case 'invalid_value':
        // zod 4 reports a missing enum or literal field as invalid_value.
        if (issue.input === undefined) {
          return `${field} is missing: send ${accepted}`;
        }
        return `${field} is not an accepted value: send ${accepted}`;
      case 'invalid_union':
        // Every branch rejected the value, so the field's description names what fits.
        if (issue.input === undefined) {
          return `${field} is missing: send ${describedOr(root, path, accepted)}`;
        }
        return `${field} is ${valueName(issue.input)}: send ${describedOr(root, path, accepted)}`;
      case 'unrecognized_keys':
        return unknownKeysMessage(issue.keys, facts.keys, where);
      default:
        return undefined;
    }
  };
}

function unknownKeysMessage(
  unknown: readonly string[],
  known: readonly string[] | null,
  where: 'params' | 'body' | 'query',
): string {
  const echoed = echoedNames(unknown);
  const more = unknown.length - echoed.length;
  const names = `${echoed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  const single = unknown.length === 1;
  if (where === 'query') {
    const accepted =
      known && known.length > 0
        ? `; the accepted query parameters are ${known.join(', ')}`
        : '; this path takes no query parameters';
    return `unknown query ${single ? 'parameter' : 'parameters'} ${names}: remove ${single ? 'it' : 'them'}${accepted}`;
  }
  const accepted =
    known && known.length > 0
      ? `; the accepted fields are ${known.join(', ')}`
      : '; this object takes no fields';
  return `unknown ${single ? 'field' : 'fields'} ${names}: remove ${single ? 'it' : 'them'}${accepted}`;
}

/**
 * Describes what a field accepts, such as "a reason of 1 to 1000 characters", or
 * returns null for text without length bounds, which its description covers better.
 */
function expectedText(
  field: string,
  facts: FieldFacts,
  issue: RawIssue,
): string | null {
  if (facts.options) {
    return `one of ${facts.options.map((option) => JSON.stringify(option)).join(', ')}`;
  }
  const expected =
    issue.code === 'invalid_type' ? issue.expected : issueOrigin(issue);
  if (expected === 'string') {
    const length = lengthText(facts);
    return length === null ? null : `${article(field)} ${field} of ${length}`;
  }
  return `${field} as ${article(expected)} ${expected}`;
}

/** Describes a string's length bounds, or returns null when it has none. */
function lengthText({ minLength, maxLength }: FieldFacts): string | null {
  const min = minLength ?? 0;
  if (maxLength === null) {
    if (min === 0) return null;
    return `at least ${min} ${min === 1 ? 'character' : 'characters'}`;
  }
  return `${min} to ${maxLength} characters`;
}

/**
 * Returns the OpenAPI description of the field at `path` as the end of a
 * sentence, or `fallback` when the field has none.
 */
function describedOr(
  root: z.ZodType,
  path: readonly string[],
  fallback: string,
): string {
  const parent = schemaAt(root, path.slice(0, -1));
  const key = path.at(-1);
  let field = key === undefined ? undefined : parent?._zod.def.shape?.[key];
  // The description sits on whichever wrapper .openapi() was called on.
  for (let depth = 0; field && depth < 10; depth += 1) {
    const described = getOpenApiMetadata(field).description;
    if (typeof described === 'string' && described !== '') {
      return sentenceTail(described);
    }
    const def = (field as unknown as SchemaInternals)._zod.def;
    field = def.innerType ?? def.in;
  }
  return fallback;
}

/**
 * Turns a description into the end of a sentence: no full stop, and a lowercase
 * first word unless it is an acronym or a format such as YYYY-MM-DD.
 */
function sentenceTail(description: string): string {
  const text = description.replace(/\.$/, '');
  return /^[A-Z](?![A-Z])/.test(text)
    ? text.charAt(0).toLowerCase() + text.slice(1)
    : text;
}

/** Names a rejected value's type, calling Infinity and NaN by name. */
function valueName(input: unknown): string {
  if (typeof input === 'number' && !Number.isFinite(input)) {
    return `${String(input)}, which is out of range`;
  }
  return typeName(input);
}

function issueOrigin(issue: RawIssue): string {
  const origin = (issue as { origin?: unknown }).origin;
  return typeof origin === 'string' ? origin : 'value';
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'an' : 'a';
}

/** Names the JSON type of a rejected value, such as "a number" or "null". */
function typeName(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object') return 'an object';
  return `${article(typeof input)} ${typeof input}`;
}

interface SchemaInternals {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, z.ZodType>;
      innerType?: z.ZodType;
      in?: z.ZodType;
      out?: z.ZodType;
      entries?: Record<string, unknown>;
    };
  };
  /** Length bounds of a string schema, read from its checks. */
  minLength?: number | null;
  maxLength?: number | null;
}

/** Removes optional, default, nullable and pipe wrappers around a schema. */
function unwrap(schema: z.ZodType | undefined): SchemaInternals | undefined {
  let current = schema as unknown as SchemaInternals | undefined;
  for (let depth = 0; current && depth < 10; depth += 1) {
    const def: SchemaInternals['_zod']['def'] = current._zod.def;
    if (def.innerType) {
      current = def.innerType as unknown as SchemaInternals;
    } else if (def.type === 'pipe' && def.in) {
      // A preprocess pipe starts with a transform, so its output schema does the checks.
      const input = def.in as unknown as SchemaInternals;
      const next = input._zod.def.type === 'transform' ? def.out : def.in;
      current = next as unknown as SchemaInternals;
    } else {
      return current;
    }
  }
  return current;
}

/** Finds the schema of the field at `path` inside nested object schemas. */
function schemaAt(
  root: z.ZodType,
  path: readonly string[],
): SchemaInternals | undefined {
  let current = unwrap(root);
  for (const key of path) {
    const shape = current?._zod.def.shape;
    if (!shape) return undefined;
    current = unwrap(shape[key]);
  }
  return current;
}

function factsOf(schema: SchemaInternals | undefined): FieldFacts {
  const def = schema?._zod.def;
  return {
    minLength: def?.type === 'string' ? (schema?.minLength ?? null) : null,
    maxLength: def?.type === 'string' ? (schema?.maxLength ?? null) : null,
    options:
      def?.type === 'enum' && def.entries ? Object.values(def.entries) : null,
    keys: def?.shape ? Object.keys(def.shape) : null,
  };
}

import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import type { Reference } from './references.js';
import { CUSTOM_NAME, type SchemaLookup } from './schema-lookup.js';
import { soqlReferences } from './soql-references.js';
import { blankRange, blankText, lineAt } from './source-text.js';

/** Members of an SObject token that are not fields. */
const TOKEN_MEMBERS = new Set(['sobjecttype', 'class', 'fields', 'fieldsets']);

/**
 * Apex source with comments blanked out, once with string literals kept (for SOQL
 * and permission names) and once with them blanked too (for identifiers). Blanking
 * keeps every offset, so line numbers stay right.
 */
export interface ApexText {
  withStrings: string;
  code: string;
}

/** Blanks comments and, in `code`, the insides of string literals. */
export function blankApex(source: string): ApexText {
  let withStrings = '';
  let code = '';
  let index = 0;
  while (index < source.length) {
    const rest = source.slice(index, index + 2);
    let end: number;
    if (rest === '//') {
      end = source.indexOf('\n', index);
      end = end === -1 ? source.length : end;
      withStrings += blankText(source.slice(index, end));
      code += blankText(source.slice(index, end));
    } else if (rest === '/*') {
      end = source.indexOf('*/', index + 2);
      end = end === -1 ? source.length : end + 2;
      withStrings += blankText(source.slice(index, end));
      code += blankText(source.slice(index, end));
    } else if (source[index] === "'") {
      end = index + 1;
      while (end < source.length && source[end] !== "'") {
        end += source[end] === '\\' ? 2 : 1;
      }
      end = Math.min(end + 1, source.length);
      const literal = source.slice(index, end);
      withStrings += literal;
      code += `'${blankText(literal.slice(1, -1))}'`;
    } else {
      end = index + 1;
      withStrings += source[index];
      code += source[index];
    }
    index = end;
  }
  return { withStrings, code };
}

/**
 * Lists the objects, fields, relationships and custom permissions that one Apex
 * class or trigger names: inline SOQL, SObject and field tokens
 * (`Schema.Opportunity.Foo__c`, `Schema.SObjectType.Opportunity.fields.Foo__c`),
 * field names in SObject constructors (`new Opportunity(Foo__c = 1)`), every other
 * custom name (`deal.Foo__c`), and `FeatureManagement.checkPermission` names. Apex
 * identifiers cannot contain `__`, so a name with `__c`, `__r` or `__mdt` is always
 * an object, field or relationship. Standard objects count only when spelled with
 * their exact case, so that a variable such as `opportunity` is not taken for one.
 */
export function apexReferences(
  file: string,
  source: string,
  schema: SchemaLookup,
): Reference[] {
  const text = blankApex(source);
  const references: Reference[] = [];
  const code = blankSoql(text, file, references, schema);
  const covered = new Set<number>();
  constructorReferences(file, code, schema, references, covered);
  chainReferences(file, code, schema, references, covered);
  permissionReferences(file, text.withStrings, references);
  return references;
}

/** Adds the references of inline SOQL and returns `code` with the queries blanked. */
function blankSoql(
  text: ApexText,
  file: string,
  references: Reference[],
  schema: SchemaLookup,
): string {
  let code = text.code;
  for (const match of text.withStrings.matchAll(/\[\s*SELECT\b[^\]]*\]/gi)) {
    const start = match.index;
    const soql = match[0].slice(1, -1);
    const line = lineAt(text.withStrings, start);
    let query: Query | undefined;
    try {
      query = parseQuery(soql, { allowApexBindVariables: true });
    } catch {
      // NOTE: the parser rejects some valid Apex SOQL, such as a bind variable in
      // LIMIT. Such a query keeps its FROM object, and its custom names are checked
      // only by name.
      const from = /\bFROM\s+([A-Za-z]\w*)/i.exec(soql);
      if (from?.[1]) {
        references.push({ kind: 'object', file, line, object: from[1] });
      }
      continue;
    }
    references.push(...soqlReferences(query, file, line, schema));
    code = blankRange(code, start, match[0].length);
  }
  return code;
}

/** Field names assigned in SObject constructors: `new Schema.Opportunity(Name = x)`. */
function constructorReferences(
  file: string,
  code: string,
  schema: SchemaLookup,
  references: Reference[],
  covered: Set<number>,
): void {
  const constructor = /\bnew\s+(?:Schema\s*\.\s*)?([A-Za-z]\w*)\s*\(/g;
  for (const match of code.matchAll(constructor)) {
    const object = match[1] ?? '';
    if (!isObjectName(object, schema)) continue;
    const open = match.index + match[0].length;
    const close = matchingParenthesis(code, open);
    const assignment = /(?:^|,)\s*([A-Za-z]\w*)\s*=(?!=)/g;
    const args = topLevel(code.slice(open, close));
    for (const arg of args.matchAll(assignment)) {
      const field = arg[1] ?? '';
      const offset = open + arg.index + arg[0].indexOf(field);
      covered.add(offset);
      references.push({
        kind: 'field',
        file,
        line: lineAt(code, offset),
        object,
        path: field,
      });
    }
  }
}

/** Dotted names: SObject and field tokens, and every other custom name. */
function chainReferences(
  file: string,
  code: string,
  schema: SchemaLookup,
  references: Reference[],
  covered: Set<number>,
): void {
  const chain = /[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*/g;
  for (const match of code.matchAll(chain)) {
    const segments = splitChain(match[0], match.index);
    const callsLast = /^\s*\(/.test(code.slice(match.index + match[0].length));
    const token = tokenParts(segments);
    if (token && isSObjectToken(token, schema, covered)) {
      covered.add(token.object.offset);
      references.push({
        kind: 'object',
        file,
        line: lineAt(code, token.object.offset),
        object: token.object.name,
      });
      const member = token.member;
      const isCall = member === segments[segments.length - 1] && callsLast;
      if (
        member &&
        !isCall &&
        !TOKEN_MEMBERS.has(member.name.toLowerCase()) &&
        !/^get[A-Z]/.test(member.name)
      ) {
        covered.add(member.offset);
        references.push({
          kind: 'field',
          file,
          line: lineAt(code, member.offset),
          object: token.object.name,
          path: member.name,
        });
      }
    }
    for (const segment of segments) {
      if (!covered.has(segment.offset) && CUSTOM_NAME.test(segment.name)) {
        references.push({
          kind: 'custom-name',
          file,
          line: lineAt(code, segment.offset),
          name: segment.name,
        });
      }
    }
  }
}

interface Segment {
  name: string;
  offset: number;
}

function splitChain(text: string, start: number): Segment[] {
  const segments: Segment[] = [];
  for (const part of text.matchAll(/[A-Za-z_]\w*/g)) {
    segments.push({ name: part[0], offset: start + part.index });
  }
  return segments;
}

/**
 * Splits an SObject token into its object and member after dropping `Schema.`,
 * `SObjectType.` and `.fields.`, so `Schema.SObjectType.Opportunity.fields.Foo__c`
 * gives `Opportunity` and `Foo__c`.
 */
function tokenParts(
  segments: Segment[],
): { object: Segment; member?: Segment; viaSchema: boolean } | undefined {
  let rest = segments;
  const viaSchema = rest[0]?.name === 'Schema';
  if (viaSchema) rest = rest.slice(1);
  if (rest[0]?.name === 'SObjectType') rest = rest.slice(1);
  const object = rest[0];
  if (!object) return undefined;
  let members = rest.slice(1);
  if (members[0]?.name.toLowerCase() === 'fields') members = members.slice(1);
  const member = members[0];
  return member ? { object, member, viaSchema } : { object, viaSchema };
}

/**
 * Returns whether a chain starts with an SObject type. That is a custom metadata
 * type, a custom object followed by a member (`Foo__c.Bar__c`, because a lone
 * `Foo__c` may be a field), or a standard object of the schema spelled with its
 * exact case unless after `Schema.`. A name read as a constructor argument is a field.
 */
function isSObjectToken(
  token: { object: Segment; member?: Segment; viaSchema: boolean },
  schema: SchemaLookup,
  covered: Set<number>,
): boolean {
  const name = token.object.name;
  if (covered.has(token.object.offset)) return false;
  if (/__mdt$/i.test(name)) return true;
  if (/__c$/i.test(name)) return token.member !== undefined || token.viaSchema;
  return isObjectName(name, schema, token.viaSchema);
}

/**
 * Returns whether a name is an SObject type: any custom object or metadata type, or
 * a standard object of the schema spelled with its exact case.
 */
function isObjectName(
  name: string,
  schema: SchemaLookup,
  viaSchema = true,
): boolean {
  if (/__(c|mdt)$/i.test(name)) return true;
  const defined = schema.objectName(name);
  return defined !== undefined && (viaSchema || defined === name);
}

function matchingParenthesis(code: string, open: number): number {
  let depth = 1;
  for (let index = open; index < code.length; index++) {
    if (code[index] === '(') depth++;
    if (code[index] === ')') depth--;
    if (depth === 0) return index;
  }
  return code.length;
}

/** Blanks nested brackets, so only top-level `name =` assignments match. */
function topLevel(args: string): string {
  let depth = 0;
  let result = '';
  for (const char of args) {
    if ('([{'.includes(char)) depth++;
    result += depth === 0 ? char : ' ';
    if (')]}'.includes(char)) depth--;
  }
  return result;
}

/**
 * Custom permission names passed to `FeatureManagement.checkPermission`, as a
 * literal or through a `String` constant whose name ends in `PERMISSION`.
 */
function permissionReferences(
  file: string,
  text: string,
  references: Reference[],
): void {
  const patterns = [
    /\bcheckPermission\s*\(\s*'([^']+)'\s*\)/g,
    /\b\w*PERMISSION\s*=\s*'([^']+)'\s*;/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      references.push({
        kind: 'custom-permission',
        file,
        line: lineAt(text, match.index),
        name: match[1] ?? '',
      });
    }
  }
}

/**
 * Lists the static `@AuraEnabled` methods of one Apex class, in lower case, since
 * only static methods can be imported by a Lightning web component.
 */
export function auraEnabledMethods(source: string): Set<string> {
  const { code } = blankApex(source);
  const methods = new Set<string>();
  const annotation = /@AuraEnabled\b(?:\s*\([^)]*\))?/gi;
  for (const match of code.matchAll(annotation)) {
    const after = code.slice(match.index + match[0].length);
    const open = after.indexOf('(');
    const declaration = open === -1 ? '' : after.slice(0, open);
    if (/[{};=]/.test(declaration) || !/\bstatic\b/i.test(declaration))
      continue;
    const name = /(\w+)\s*$/.exec(declaration)?.[1];
    if (name) methods.add(name.toLowerCase());
  }
  return methods;
}

import type { Reference } from './references.js';
import { CUSTOM_NAME, type SchemaLookup } from './schema-lookup.js';
import { blankRange, blankText, lineAt } from './source-text.js';

const SALESFORCE_MODULE = /(['"])(@salesforce\/[^'"]+)\1/g;
const NAMED_FIELD =
  /\b(?:([A-Za-z]\w*)\.)?([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__(?:c|r|mdt))\b/g;

/**
 * Lists what one Lightning web component file (`.js` or `.html`) names: schema,
 * Apex, label and custom permission module imports, and API names such as
 * `'Opportunity.Foo__c'` or `deal.fields.Foo__c.value`. A name after an object of
 * the schema (`Opportunity.`) is checked on that object, and any other custom name
 * must exist on some object.
 */
export function lwcReferences(
  file: string,
  source: string,
  schema: SchemaLookup,
): Reference[] {
  const text = file.endsWith('.html')
    ? source.replace(/<!--[\s\S]*?-->/g, (comment) => blankText(comment))
    : blankJsComments(source);
  const references: Reference[] = [];
  let rest = text;
  for (const match of text.matchAll(SALESFORCE_MODULE)) {
    const line = lineAt(text, match.index);
    const reference = moduleReference(match[2] ?? '', file, line);
    if (reference) references.push(reference);
    rest = blankRange(rest, match.index, match[0].length);
  }
  for (const match of rest.matchAll(NAMED_FIELD)) {
    const prefix = match[1];
    const name = match[2] ?? '';
    const line = lineAt(rest, match.index);
    const object = prefix === undefined ? undefined : schema.objectName(prefix);
    if (
      prefix !== undefined &&
      (object === prefix || CUSTOM_NAME.test(prefix))
    ) {
      references.push({
        kind: 'field',
        file,
        line,
        object: prefix,
        path: name,
      });
    } else {
      references.push({ kind: 'custom-name', file, line, name });
    }
  }
  return references;
}

/** Returns the reference of an `@salesforce/...` module, or undefined for other modules. */
function moduleReference(
  specifier: string,
  file: string,
  line: number,
): Reference | undefined {
  const [, scope, rest = ''] =
    /^@salesforce\/([^/]+)\/?(.*)$/.exec(specifier) ?? [];
  if (scope === 'schema' && rest !== '') {
    const [object = '', ...path] = rest.split('.');
    return path.length === 0
      ? { kind: 'object', file, line, object }
      : { kind: 'field', file, line, object, path: path.join('.') };
  }
  if (scope === 'apex' && rest !== '') {
    const parts = rest.split('.');
    const method = parts.pop() ?? '';
    return {
      kind: 'apex-method',
      file,
      line,
      className: parts.join('.'),
      method,
    };
  }
  if (scope === 'label' && rest.startsWith('c.')) {
    return { kind: 'label', file, line, name: rest.slice(2) };
  }
  if (scope === 'customPermission' && rest !== '' && !rest.includes('.')) {
    return { kind: 'custom-permission', file, line, name: rest };
  }
  return undefined;
}

/** Blanks `//` and `/* *\/` comments outside string literals, keeping offsets. */
function blankJsComments(source: string): string {
  let result = '';
  let index = 0;
  while (index < source.length) {
    const char = source[index] ?? '';
    const pair = source.slice(index, index + 2);
    let end = index + 1;
    if (pair === '//' || pair === '/*') {
      if (pair === '//') {
        const lineEnd = source.indexOf('\n', index);
        end = lineEnd === -1 ? source.length : lineEnd;
      } else {
        const commentEnd = source.indexOf('*/', index + 2);
        end = commentEnd === -1 ? source.length : commentEnd + 2;
      }
      result += blankText(source.slice(index, end));
    } else if (char === "'" || char === '"' || char === '`') {
      while (end < source.length && source[end] !== char) {
        end += source[end] === '\\' ? 2 : 1;
      }
      end = Math.min(end + 1, source.length);
      result += source.slice(index, end);
    } else {
      result += char;
    }
    index = end;
  }
  return result;
}

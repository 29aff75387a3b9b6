import { readFile } from 'node:fs/promises';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  byteAt,
  countLineBreaks,
  firstInvalidOffset,
  utf16Evidence,
} from '../../domain/utf8-bytes.js';
import {
  checkReferences,
  describeCodePoint,
  xmlEntityDecoder,
} from './xml-references.js';

/** A parsed XML element: child elements by tag, attributes as `@_name`, text as `#text`. */
export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** Tags that may repeat, by their path from the root, so they always parse as arrays. */
const REPEATED_PATHS = new Set([
  'CustomField.valueSet.valueSetDefinition.value',
  'CustomMetadata.values',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value as text, because `0012` and `1e3` are read by the field's type.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Decodes character references too, which the parser's default leaves as written.
  entityDecoder: xmlEntityDecoder,
  isArray: (_name, jPath) => REPEATED_PATHS.has(String(jPath)),
});

/**
 * Reads an XML file and returns its root element, checking that the root tag is the
 * expected one. Throws an `Error` whose message gives the line of malformed XML
 * or of an invalid entity or character reference.
 */
export async function readXmlRoot(
  file: string,
  rootTag: string,
): Promise<XmlNode> {
  return (await readXmlDocument(file, rootTag)).root;
}

/** Like `readXmlRoot`, and also returns the file's text, to find where values sit in it. */
export async function readXmlDocument(
  file: string,
  rootTag: string,
): Promise<{ root: XmlNode; text: string }> {
  const text = decodeXmlFile(await readFile(file));
  checkCharacters(text);
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    throw new Error(`malformed XML at line ${line}, column ${col}: ${msg}`);
  }
  checkReferences(text);
  const document = parser.parse(text) as XmlNode;
  const root = document[rootTag];
  if (root === undefined) {
    const found = Object.keys(document).filter((key) => !key.startsWith('?'));
    throw new Error(
      `expected a <${rootTag}> root element, found <${found.join('>, <')}>`,
    );
  }
  return {
    root: typeof root === 'string' || Array.isArray(root) ? {} : root,
    text,
  };
}

/**
 * A character that XML 1.0 does not allow in a document (production [2] `Char`):
 * C0 controls other than tab, line feed and carriage return, and U+FFFE and
 * U+FFFF. A decoded UTF-8 file has no lone surrogates.
 */
// eslint-disable-next-line no-control-regex -- the pattern exists to find them.
const NOT_XML_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

/**
 * Throws an `Error` naming the line, column and code point of the first
 * character that XML does not allow, because the parser accepts such a
 * character written as itself while a deploy rejects the file as not
 * well-formed.
 */
function checkCharacters(text: string): void {
  const match = NOT_XML_CHARACTER.exec(text);
  if (!match) return;
  const lines = text.slice(0, match.index).split(/\r\n|\r|\n/);
  const column = lines[lines.length - 1]!.length + 1;
  const codePoint = match[0].codePointAt(0)!;
  throw new Error(
    `line ${lines.length}, column ${column} contains ${describeCodePoint(codePoint)}, which XML does not allow in a document, so a deploy rejects the file as not well-formed; remove it`,
  );
}

const SAVE_AS_UTF8 =
  'save it as UTF-8, the encoding Salesforce metadata files use';

/**
 * Decodes a metadata file as UTF-8, dropping a UTF-8 byte order mark. A UTF-16
 * file or a byte that is not UTF-8 fails with a message that names it, rather than
 * as malformed XML or with a replacement character in a value.
 */
function decodeXmlFile(bytes: Uint8Array): string {
  const utf16 = utf16Evidence(bytes);
  if (utf16 !== undefined) {
    const how =
      utf16 === 'byte order mark'
        ? 'it starts with a UTF-16 byte order mark'
        : 'its first bytes contain zero bytes, as UTF-16 text does';
    throw new Error(`the file is encoded as UTF-16 (${how}); ${SAVE_AS_UTF8}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidOffset(bytes);
    const line = countLineBreaks(bytes.subarray(0, offset)) + 1;
    throw new Error(
      `the file is not valid UTF-8: line ${line} has the byte ${byteAt(bytes, offset)}, ` +
        `which does not form a valid UTF-8 character there (a file saved as Windows-1252 or Latin-1 has such bytes for letters such as é); ${SAVE_AS_UTF8}`,
    );
  }
}

/** Returns the text of a child element, or undefined when it is absent or not text. */
export function childText(node: XmlNode, tag: string): string | undefined {
  const value = node[tag];
  if (typeof value === 'string') return value;
  if (value !== undefined && !Array.isArray(value)) {
    const text = value['#text'];
    return typeof text === 'string' ? text : undefined;
  }
  return undefined;
}

/** Returns a child element, or undefined when it is absent or plain text. */
export function childNode(node: XmlNode, tag: string): XmlNode | undefined {
  const value = node[tag];
  return value !== undefined &&
    typeof value !== 'string' &&
    !Array.isArray(value)
    ? value
    : undefined;
}

/** Returns the child elements with a repeated tag. */
export function childNodes(node: XmlNode, tag: string): XmlNode[] {
  const value = node[tag];
  const list = Array.isArray(value)
    ? value
    : value === undefined
      ? []
      : [value];
  return list.filter(
    (item): item is XmlNode => typeof item !== 'string' && !Array.isArray(item),
  );
}

import type { EntityDecoderOptions } from 'fast-xml-parser';

/** The five entities XML predefines. Metadata files declare no others. */
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** A reference as XML 1.0 writes it: `&name;`, `&#digits;` or `&#xhex;`. */
const REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z_:][\w.:-]*));/y;

/** Any reference, valid or not, for `decodeReferences`. */
const ANY_REFERENCE = /&[^&;<\s]*;/g;

/** A decoded reference and the offset after its `;`. */
export interface DecodedReference {
  text: string;
  end: number;
}

/**
 * Decodes the reference that starts with the `&` at `at`, as XML 1.0 does: one of
 * the five predefined entities, or a decimal or hexadecimal character reference
 * to a character that XML allows. Throws an `Error` that names the reference and
 * the fix when it is invalid.
 */
export function decodeReferenceAt(text: string, at: number): DecodedReference {
  REFERENCE.lastIndex = at;
  const match = REFERENCE.exec(text);
  if (!match) {
    const written = /^&[^\s<&]{0,20}/.exec(text.slice(at))?.[0] ?? '&';
    throw new Error(
      `"${written}" is not a valid reference. Write a literal & as &amp;, or a character as &#NNN; (decimal) or &#xHHHH; (hexadecimal)`,
    );
  }
  const end = at + match[0].length;
  const [reference, hex, decimal, name] = match;
  if (name !== undefined) {
    const character = PREDEFINED_ENTITIES[name];
    if (character === undefined) {
      throw new Error(
        `the entity ${reference} is not defined, because XML predefines only &amp;, &lt;, &gt;, &quot; and &apos; and metadata files declare no others. Write the character itself or a numeric reference such as &#160;`,
      );
    }
    return { text: character, end };
  }
  const codePoint = parseInt(hex ?? decimal!, hex === undefined ? 10 : 16);
  if (!isXmlCharacter(codePoint)) {
    throw new Error(
      `the character reference ${reference} names ${describeCodePoint(codePoint)}, which XML does not allow in a document. Remove it or write the character you meant`,
    );
  }
  return { text: String.fromCodePoint(codePoint), end };
}

/**
 * Checks every reference in the element content and attribute values of an XML
 * document, skipping comments, CDATA sections, processing instructions and
 * declarations. Throws an `Error` that names the line and column of the first
 * invalid reference.
 */
export function checkReferences(text: string): void {
  let at = 0;
  while (at < text.length) {
    const skipped = skipUnparsed(text, at);
    if (skipped !== undefined) {
      at = skipped;
    } else if (text[at] !== '&') {
      at++;
    } else {
      try {
        at = decodeReferenceAt(text, at).end;
      } catch (error) {
        const lines = text.slice(0, at).split(/\r\n|\r|\n/);
        const column = lines[lines.length - 1]!.length + 1;
        throw new Error(
          `line ${lines.length}, column ${column}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
  }
}

/**
 * Replaces the references in parsed text with their characters. Run
 * `checkReferences` on the document first, because this throws without a
 * position on an invalid reference.
 */
export function decodeReferences(text: string): string {
  return text.replace(ANY_REFERENCE, (_reference, offset: number) => {
    return decodeReferenceAt(text, offset).text;
  });
}

/**
 * The entity decoder of the XML parser: `decodeReferences` for text and
 * attribute values. DOCTYPE entity declarations are ignored, so a reference to
 * one fails in `checkReferences`.
 */
export const xmlEntityDecoder: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: () => undefined,
  reset: () => undefined,
  decode: decodeReferences,
  setXmlVersion: () => undefined,
};

/**
 * Returns the offset after a comment, CDATA section, declaration or processing
 * instruction at `at`, or undefined when none starts there.
 */
export function skipUnparsed(text: string, at: number): number | undefined {
  if (text[at] !== '<') return undefined;
  for (const [open, close] of [
    ['<!--', '-->'],
    ['<![CDATA[', ']]>'],
    ['<?', '?>'],
    ['<!', '>'],
  ] as const) {
    if (text.startsWith(open, at)) {
      const end = text.indexOf(close, at + open.length);
      return end === -1 ? text.length : end + close.length;
    }
  }
  return undefined;
}

/** Tests whether XML 1.0 allows the code point in a document (production [2] `Char`). */
function isXmlCharacter(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** Names a code point that XML does not allow, such as "U+0000, a control character". */
export function describeCodePoint(codePoint: number): string {
  if (codePoint > 0x10ffff)
    return 'a number beyond the last Unicode code point, U+10FFFF';
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
    return `U+${hex}, a UTF-16 surrogate`;
  }
  if (codePoint >= 0xfffe) return `U+${hex}, a noncharacter`;
  return `U+${hex}, a control character`;
}

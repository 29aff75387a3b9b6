import { childNodes, childText, type XmlNode } from './xml-file.js';

/**
 * The values of one custom metadata record (`CustomMetadata` element) with typed
 * getters. A getter that meets a missing or malformed value records a problem naming
 * the field and returns a fallback, so one pass reports every bad value.
 */
export class MetadataRecord {
  readonly label: string;
  private readonly values = new Map<string, string | null>();

  constructor(
    xml: XmlNode,
    private readonly report: (message: string) => void,
  ) {
    this.label = childText(xml, 'label') ?? '';
    if (this.label === '') report('<label> is missing');
    for (const entry of childNodes(xml, 'values')) {
      const field = childText(entry, 'field');
      if (field === undefined) {
        report('a <values> element has no <field>');
        continue;
      }
      const value = entry['value'];
      const isNil =
        value !== undefined &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        value['@_xsi:nil'] === 'true';
      this.values.set(
        field,
        isNil ? null : (childText(entry, 'value') ?? null),
      );
    }
  }

  /** Text value; blank text counts as missing. */
  text(field: string, required: boolean): string | null {
    const value = this.values.get(field)?.trim() || null;
    if (value === null && required) this.report(`${field} is missing`);
    return value;
  }

  /** Number value, or null when blank and not required. */
  number(field: string, required: boolean): number | null {
    const text = this.text(field, required);
    if (text === null) return null;
    const value = Number(text);
    if (!Number.isFinite(value)) {
      this.report(`${field} must be a number, not "${text}"`);
      return null;
    }
    return value;
  }

  /** Checkbox value; a missing checkbox takes the field's default. */
  checkbox(field: string, defaultValue: boolean): boolean {
    const text = this.text(field, false);
    if (text === null) return defaultValue;
    if (text !== 'true' && text !== 'false') {
      this.report(`${field} must be true or false, not "${text}"`);
      return defaultValue;
    }
    return text === 'true';
  }

  /** Picklist value that must be one of `allowed`. */
  choice<T extends string>(field: string, allowed: readonly T[]): T | null {
    const text = this.text(field, true);
    if (text === null) return null;
    if (!(allowed as readonly string[]).includes(text)) {
      this.report(
        `${field} must be one of ${allowed.join(', ')}, not "${text}"`,
      );
      return null;
    }
    return text as T;
  }
}

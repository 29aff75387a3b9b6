import {
  BIDI_CONTROL_RANGES,
  BIDI_CONTROLS,
  codePoint,
  DEL_AND_C1_CONTROLS,
  isBlankText,
} from '../../domain/control-characters.js';
import { didYouMean } from '../../domain/criteria/closest-name.js';
import type { FieldSchema, ObjectSchema } from '../../domain/schema.js';
import { FieldValueError, toSqlValue } from '../local/field-values.js';
import { childNodes, childText, type XmlNode } from './xml-file.js';

/** The maximum length of a custom metadata record's label (`MasterLabel`). */
const MAX_LABEL_LENGTH = 40;
/** The elements a `CustomMetadata` record file may have. */
const RECORD_ELEMENTS = ['description', 'label', 'protected', 'values'];
/** Characters of a long value that a message quotes. */
const QUOTED_LENGTH = 40;

/**
 * The values of one custom metadata record (`CustomMetadata` element) with typed
 * getters. Each value is checked against its type's field definition as a deploy
 * checks it: the field must exist and be given once, and the value must fit the
 * field's type, length, precision, scale and picklist values. Each problem is
 * reported with the field and the value; a getter that meets a missing or
 * malformed value reports it too and returns a fallback, so one pass reports
 * every bad value.
 */
export class MetadataRecord {
  readonly label: string;
  private readonly values = new Map<string, string | null>();
  /** Fields whose value was reported already, so the getters stay quiet about them. */
  private readonly rejected = new Set<string>();

  constructor(
    xml: XmlNode,
    /** The record's type with its fields; undefined when the package lacks it. */
    private readonly type: ObjectSchema | undefined,
    private readonly report: (message: string) => void,
  ) {
    this.label = childText(xml, 'label') ?? '';
    if (isBlankText(this.label)) report('<label> is missing');
    else if (this.label.length > MAX_LABEL_LENGTH) {
      report(
        `<label> has ${this.label.length} characters, more than the ${MAX_LABEL_LENGTH} a custom metadata record's label allows; shorten it`,
      );
    }
    const labelProblem = characterProblem('<label>', this.label);
    if (labelProblem) report(labelProblem);
    for (const element of Object.keys(xml)) {
      if (element.startsWith('@_') || element.startsWith('#')) continue;
      if (!RECORD_ELEMENTS.includes(element)) {
        const fix =
          didYouMean(element, RECORD_ELEMENTS) ||
          '; a record has <description>, <label>, <protected> and <values>';
        report(
          `<${element}> is not an element of a custom metadata record${fix}`,
        );
      }
    }
    const protectedText = childText(xml, 'protected');
    if (protectedText !== undefined && !/^(true|false)$/.test(protectedText)) {
      report(`<protected> must be true or false, not "${protectedText}"`);
    }
    for (const entry of childNodes(xml, 'values')) this.read(entry);
  }

  private read(entry: XmlNode): void {
    const field = childText(entry, 'field')?.trim();
    if (field === undefined || field === '') {
      this.report('a <values> element has no <field>');
      return;
    }
    const value = entry['value'];
    const isNil =
      value !== undefined &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      value['@_xsi:nil'] === 'true';
    const text = isNil ? null : (childText(entry, 'value') ?? null);
    if (this.values.has(field) || this.rejected.has(field)) {
      this.report(
        `${field} is given in two <values> elements; keep one of them`,
      );
      this.values.delete(field);
      this.rejected.add(field);
      return;
    }
    if (!this.type) {
      this.values.set(field, text);
      return;
    }
    const definition = this.type.fields[field];
    if (!definition?.custom) {
      this.report(unknownField(field, this.type));
      this.rejected.add(field);
      return;
    }
    const checked = checkValue(definition, text);
    if ('problem' in checked) {
      this.report(checked.problem);
      this.rejected.add(field);
      return;
    }
    const textProblem = text && characterProblem(field, text);
    if (textProblem) {
      this.report(textProblem);
      this.rejected.add(field);
      return;
    }
    this.values.set(field, checked.value);
  }

  /** Text value, trimmed. Text that `isBlankText` finds blank counts as missing. */
  text(field: string, required: boolean): string | null {
    const raw = this.values.get(field);
    const value =
      raw === undefined || raw === null || isBlankText(raw) ? null : raw.trim();
    if (value === null && required && !this.rejected.has(field)) {
      this.report(`${field} is missing`);
    }
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

/**
 * Names a bidirectional control, DEL or a C1 control in a label or value. The
 * import and the HTTP API reject bidirectional controls in free text too,
 * because they make the text display in another order than it is stored. XML
 * allows DEL and the C1 controls, but the HTTP API rejects DEL, and a reader
 * sees neither.
 */
function characterProblem(name: string, text: string): string | undefined {
  const bidi = BIDI_CONTROLS.exec(text);
  if (bidi) {
    return `${name} ${quoted(text)} contains the bidirectional control character ${codePoint(bidi[0])}, which makes the text display in another order than it is stored; remove it (${BIDI_CONTROL_RANGES})`;
  }
  const control = DEL_AND_C1_CONTROLS.exec(text);
  if (control) {
    return `${name} ${quoted(text)} contains the control character ${codePoint(control[0])}, which shows as nothing or as a box; remove it (DEL and the C1 controls, U+007F to U+009F)`;
  }
  return undefined;
}

/** Names a `<field>` the type lacks, with the closest field or else all of them. */
function unknownField(field: string, type: ObjectSchema): string {
  const fields = Object.values(type.fields)
    .filter((f) => f.custom)
    .map((f) => f.name)
    .sort();
  const fix =
    didYouMean(field, fields) || `; its fields are ${fields.join(', ')}`;
  return `<field>${field}</field> is not a field of ${type.name}, so a deploy rejects the record${fix}`;
}

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);

/**
 * Checks a value against its field definition as the store checks a record value.
 * Returns the value as the field keeps it (a number rounded to the field's scale,
 * as Salesforce rounds it) or the problem. A metadata relationship contains the
 * DeveloperName of a record rather than an Id, so only the reader of the
 * relationship checks it.
 */
function checkValue(
  definition: FieldSchema,
  text: string | null,
): { value: string | null } | { problem: string } {
  if (text === null || isBlankText(text)) {
    return definition.nillable === false && definition.type !== 'boolean'
      ? {
          problem: `${definition.name} is missing, and its field definition requires a value`,
        }
      : { value: text };
  }
  if (definition.type === 'reference') return { value: text };
  const value =
    definition.type === 'boolean' && /^(true|false)$/.test(text)
      ? text === 'true'
      : text;
  try {
    const stored = toSqlValue(definition, value);
    return {
      value: NUMBER_TYPES.has(definition.type) ? String(Number(stored)) : text,
    };
  } catch (error) {
    if (!(error instanceof FieldValueError)) throw error;
    const type = NUMBER_TYPES.has(definition.type)
      ? ` (the field is ${numberType(definition)})`
      : '';
    return {
      problem: `${definition.name} = ${quoted(text)}: ${error.detail}${type}`,
    };
  }
}

/** Quotes a value for a message, cutting a long one short. */
function quoted(text: string): string {
  if (text.length <= QUOTED_LENGTH) return JSON.stringify(text);
  return `${JSON.stringify(`${text.slice(0, QUOTED_LENGTH)}…`)} (${text.length} characters)`;
}

/** Names a number field's type as its definition does, such as `Number(6, 0)`. */
function numberType(field: FieldSchema): string {
  const name =
    field.type === 'currency'
      ? 'Currency'
      : field.type === 'percent'
        ? 'Percent'
        : 'Number';
  return `${name}(${field.precision ?? 18}, ${field.scale ?? 0})`;
}

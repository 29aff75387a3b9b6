import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  checkFormula,
  compileFormulaWith,
} from '../../../middleware/src/domain/criteria/compile-formula.js';
import { generateEvaluatorSource } from '../../../middleware/src/domain/criteria/generate-evaluator.js';
import type {
  FieldSchema,
  FieldType,
  ObjectSchema,
  OrgSchema,
} from '../../../middleware/src/domain/schema.js';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import { env } from './org-schema-fixture.js';

/**
 * Formula text and schema names reach the generated evaluator only as entries of
 * its constants array. These tests try to break out of the source with text that
 * would end a string, template, comment or line if it were pasted in.
 */

/** U+212A KELVIN SIGN: its lower case is "k", so a formula's `key` matches `\u212Aey`. */
const KELVIN = '\u212A';

function object(
  name: string,
  fields: Array<[string, FieldType, Partial<FieldSchema>?]>,
  children: Array<[string, string]> = [],
): ObjectSchema {
  return {
    name,
    label: name,
    custom: true,
    keyPrefix: 'a00',
    fields: Object.fromEntries(
      fields.map(([fieldName, type, extra]) => [
        fieldName,
        { name: fieldName, type, label: fieldName, custom: true, ...extra },
      ]),
    ),
    childRelationships: Object.fromEntries(
      children.map(([relationshipName, childSObject]) => [
        relationshipName,
        { relationshipName, childSObject, field: 'Parent__c' },
      ]),
    ),
  };
}

/** Names whose schema spelling has a Kelvin sign, reachable from ASCII formula text. */
const NAME = `${KELVIN}ey_Name__c`;
const LOOKUP = `${KELVIN}ey_Owner__c`;
const RELATIONSHIP = `${KELVIN}ey_Owner__r`;
const CHILDREN = `${KELVIN}ey_Items__r`;

const schema: OrgSchema = {
  Deal__c: object(
    'Deal__c',
    [
      [NAME, 'string'],
      ['Stage__c', 'picklist', { picklistValues: ['Open'] }],
      ['Regions__c', 'multipicklist'],
      [
        LOOKUP,
        'reference',
        { referenceTo: ['Person__c'], relationshipName: RELATIONSHIP },
      ],
    ],
    [[CHILDREN, 'Item__c']],
  ),
  Person__c: object('Person__c', [[NAME, 'string']]),
  Item__c: object('Item__c', [
    ['Role__c', 'picklist', { picklistValues: ['Lead'] }],
  ]),
};

/** Texts that would end a string, template, comment or line in pasted source. */
const PAYLOADS = [
  '"; globalThis.injected = true; "',
  "'); globalThis.injected = true; ('",
  '\\',
  '\\"',
  "\\'",
  '*/ globalThis.injected = true; /*',
  '${(globalThis.injected = true)}',
  '` + (globalThis.injected = true) + `',
  'first line\nglobalThis.injected = true',
  'carriage\rreturn',
  'line\u2028separator',
  'paragraph\u2029separator',
  '</script><!--',
  'nul\u0000byte',
];

/** Writes a payload as a formula text literal, with the escapes the lexer reads. */
function quoted(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
  return `"${escaped}"`;
}

const TYPEOF_TAGS = /'(?:string|number|boolean|object)'/g;

/** Checks the invariants of source-writer.ts on a formula's generated source. */
function expectSafeSource(formula: string, criterionName: string): void {
  const { root, state } = checkFormula(formula, {
    rootObject: 'Deal__c',
    schema,
    criterionName,
  });
  const { body } = generateEvaluatorSource(root, state);
  const withoutTags = body.replace(TYPEOF_TAGS, '');
  expect(body).toMatch(/^[\x20-\x7e\n]*$/);
  expect(withoutTags).not.toMatch(/['"`\\]/);
  expect(body).not.toContain('/*');
  expect(body).not.toContain('//');
  expect(body).not.toContain('injected');
  expect(body).not.toContain('ey_');
}

function evaluate(
  formula: string,
  record: RecordData,
  criterionName = 'Injection_Test',
) {
  expectSafeSource(formula, criterionName);
  const compiled = compileFormulaWith(
    formula,
    { rootObject: 'Deal__c', schema, criterionName },
    'generated',
  );
  return compiled.evaluate(record, env);
}

const globals = globalThis as { injected?: unknown };

afterEach(() => {
  expect(globals.injected).toBeUndefined();
});

describe('generated source', () => {
  it.each(PAYLOADS)('compares text equal to %j', (payload) => {
    const formula = `${KELVIN.toLowerCase()}ey_name__c = ${quoted(payload)}`;
    expect(evaluate(formula, { [NAME]: payload }).value).toBe(true);
    expect(evaluate(formula, { [NAME]: `${payload} ` }).value).toBe(false);
  });

  it.each(PAYLOADS)('tests picklist value %j', (payload) => {
    const formula = `ISPICKVAL(Stage__c, ${quoted(payload)})`;
    expect(evaluate(formula, { Stage__c: payload }).value).toBe(true);
    expect(evaluate(formula, { Stage__c: 'Open' }).value).toBe(false);
  });

  const unseparated = PAYLOADS.filter((payload) => !payload.includes(';'));
  it.each(unseparated)('finds selection %j', (payload) => {
    const formula = `INCLUDES(Regions__c, ${quoted(payload)})`;
    const selection = `EMEA;${payload}`;
    expect(evaluate(formula, { Regions__c: selection }).value).toBe(true);
    expect(evaluate(formula, { Regions__c: 'EMEA' }).value).toBe(false);
  });

  it.each(PAYLOADS)('joins and searches text %j', (payload) => {
    const formula = `CONTAINS(key_name__c & ${quoted(payload)}, ${quoted(payload)})`;
    expect(evaluate(formula, { [NAME]: null }).value).toBe(true);
  });

  it.each(PAYLOADS)('reports an aggregate over %j', (payload) => {
    const call = `COUNT(key_items__r, ISPICKVAL(Role__c, ${quoted(payload)}))`;
    const result = evaluate(`${call} = 1`, {
      [CHILDREN]: [{ Role__c: payload }, { Role__c: 'Lead' }],
    });
    expect(result.value).toBe(true);
    expect(result.reads).toEqual([
      {
        // The path is the call as written, white space inside quotes included.
        path: call,
        value: 1,
        relationship: CHILDREN,
        recordCount: 2,
        matchedCount: 1,
      },
    ]);
  });

  it.each(PAYLOADS)('names criterion %j in a record error', (payload) => {
    expect(() =>
      evaluate('key_name__c = "a"', { [NAME]: { text: 'a' } }, payload),
    ).toThrow(`Criterion ${payload}: ${NAME} holds`);
  });

  it('reads schema names that are not ASCII', () => {
    const result = evaluate('key_owner__r.key_name__c = "Jane"', {
      [RELATIONSHIP]: { [NAME]: 'Jane' },
    });
    expect(result.value).toBe(true);
    expect(result.reads).toEqual([
      { path: `${RELATIONSHIP}.${NAME}`, value: 'Jane' },
    ]);
  });
});

describe('generated evaluator fallback', () => {
  const script = 'dist/middleware/src/domain/criteria/index.js';

  it('evaluates with closures where code generation is disallowed', async () => {
    // The built package is what a deployment runs; `npm test` builds it first.
    if (!existsSync(script)) {
      throw new Error(`${script} is missing; run npm run build first`);
    }
    const program = [
      `import { compileFormula } from './${script}';`,
      `const schema = ${JSON.stringify(schema)};`,
      "const compiled = compileFormula('key_name__c = \"Jane\"', { rootObject: 'Deal__c', schema, criterionName: 'Fallback' });",
      `const env = { now: new Date(0), timeZone: 'UTC' };`,
      `console.log(JSON.stringify(compiled.evaluate({ ${JSON.stringify(NAME)}: 'Jane' }, env)));`,
      "try { new Function('return 1'); console.log('allowed'); } catch (error) { console.log(error.name); }",
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--disallow-code-generation-from-strings',
        '--input-type=module',
        '--eval',
        program,
      ],
      { cwd: process.cwd() },
    );
    expect(stdout.trim().split('\n')).toEqual([
      JSON.stringify({ value: true, reads: [{ path: NAME, value: 'Jane' }] }),
      'EvalError',
    ]);
  });
});

import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { filePositionOf } from '../../../middleware/src/domain/text-in-file.js';
import { readModelSource } from '../../../middleware/src/org/force-app/index.js';
import {
  makePackage,
  metadataTypeFiles,
  problemsOf as readProblems,
  recordXml,
  type PackageFixture,
} from './package-fixture.js';

/**
 * The checks of `readModelSource` that a deploy makes too: each value against its
 * field's definition, the fields a record names, the record's label and file name,
 * and the file's encoding; and where each formula sits in its file.
 */

const FOLDER = 'main/default/customMetadata';
const MODEL = `${FOLDER}/Cosell_Model.Default.md-meta.xml`;
const STAGE = `${FOLDER}/Cosell_Stage.Default_Registered.md-meta.xml`;
const CRITERION = `${FOLDER}/Exit_Criterion.Default_Registered_Owners.md-meta.xml`;

const model = (values: Record<string, string | null> = {}, label = 'Default') =>
  recordXml(label, {
    Request_Expiry_Hours__c: '72',
    Registration_Expiry_Days__c: '90',
    ...values,
  });

const stage = (values: Record<string, string | null> = {}) =>
  recordXml('Registered', {
    Model__c: 'Default',
    Stage_Value__c: 'Registered',
    Order__c: '1',
    Probability__c: '10',
    Forecast_Category__c: 'Pipeline',
    Stall_Days__c: '14',
    ...values,
  });

const criterion = (values: Record<string, string | null> = {}) =>
  recordXml('Owners named', {
    Stage__c: 'Default_Registered',
    Kind__c: 'Exit',
    Formula__c: 'IsWon',
    Rule_Text__c: 'The deal is won.',
    Evidence_Label__c: 'Won',
    Order__c: '1',
    ...values,
  });

/** Adds a `<values>` element to a record document. */
const withValue = (xml: string, field: string, value: string) =>
  xml.replace(
    '</CustomMetadata>',
    `<values><field>${field}</field><value xsi:type="xsd:string">${value}</value></values></CustomMetadata>`,
  );

let types: Record<string, string>;
let fixture: PackageFixture | undefined;

beforeAll(async () => {
  types = await metadataTypeFiles();
});

afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

async function packageOf(
  files: Record<string, string | Uint8Array>,
  withTypes = true,
) {
  fixture = await makePackage(withTypes ? { ...types, ...files } : files);
  return fixture;
}

/** The problems reading the files gives, as [file in the package, message]. */
async function problemsOf(
  files: Record<string, string | Uint8Array>,
  withTypes = true,
) {
  const made = await packageOf(files, withTypes);
  const problems = await readProblems(readModelSource, made);
  return problems.map((p) => [p.file.slice(made.dir.length + 1), p.message]);
}

describe('values against their field definitions', () => {
  test('numbers must fit precision and scale', async () => {
    expect(
      await problemsOf({
        [MODEL]: model({
          Request_Expiry_Hours__c: '1e12',
          Registration_Expiry_Days__c: '0.0001',
        }),
        [STAGE]: stage({ Stall_Days__c: '1.5', Order__c: '1000' }),
      }),
    ).toEqual([
      [
        MODEL,
        'Request_Expiry_Hours__c = "1e12": has 13 digits before the decimal point; this field allows 6 (the field is Number(6, 0))',
      ],
      [
        MODEL,
        'Registration_Expiry_Days__c = "0.0001": is not a whole number; this field has no decimal places (the field is Number(4, 0))',
      ],
      [
        STAGE,
        'Order__c = "1000": has 4 digits before the decimal point; this field allows 3 (the field is Number(3, 0))',
      ],
      [
        STAGE,
        'Stall_Days__c = "1.5": is not a whole number; this field has no decimal places (the field is Number(4, 0))',
      ],
    ]);
  });

  test('a whole Order__c of 2.5 is rejected the same way', async () => {
    expect(await problemsOf({ [STAGE]: stage({ Order__c: '2.5' }) })).toEqual([
      [
        STAGE,
        'Order__c = "2.5": is not a whole number; this field has no decimal places (the field is Number(3, 0))',
      ],
    ]);
  });

  test('a number is read as the field keeps it, rounded to its scale', async () => {
    const made = await packageOf({
      [STAGE]: stage({ Probability__c: '10.125', Order__c: '2.0' }),
    });
    const read = await readModelSource(made.dir);
    expect(read.stages[0]).toMatchObject({ probability: 10.13, order: 2 });
  });

  test('texts must fit the field length, the label 40 characters', async () => {
    const long = 'x'.repeat(300);
    const formula = 'A'.repeat(22_496);
    const problems = await problemsOf({
      [MODEL]: model({}, 'L'.repeat(90)),
      [CRITERION]: criterion({
        Formula__c: formula,
        Rule_Text__c: long,
        Evidence_Label__c: long,
      }),
    });
    expect(problems).toEqual([
      [
        MODEL,
        "<label> has 90 characters, more than the 40 a custom metadata record's label allows; shorten it",
      ],
      [
        CRITERION,
        `Formula__c = "${formula.slice(0, 40)}…" (22496 characters): has 22496 characters, more than the field's 10000; shorten it`,
      ],
      [
        CRITERION,
        `Rule_Text__c = "${'x'.repeat(40)}…" (300 characters): has 300 characters, more than the field's 255; shorten it`,
      ],
      [
        CRITERION,
        `Evidence_Label__c = "${'x'.repeat(40)}…" (300 characters): has 300 characters, more than the field's 255; shorten it`,
      ],
    ]);
  });

  test('a formula of 10,000 characters fits', async () => {
    const made = await packageOf({
      [CRITERION]: criterion({ Formula__c: 'A'.repeat(10_000) }),
    });
    const read = await readModelSource(made.dir);
    expect(read.criteria[0]?.formula).toHaveLength(10_000);
  });

  test('checkboxes and picklists take only their values', async () => {
    expect(
      await problemsOf({
        [CRITERION]: criterion({ Is_Active__c: 'no', Kind__c: 'exit' }),
      }),
    ).toEqual([
      [
        CRITERION,
        'Kind__c = "exit": "exit" is not a value of this restricted picklist; use one of: Exit, Closing',
      ],
      [
        CRITERION,
        'Is_Active__c = "no": is not a checkbox value; use true or false',
      ],
    ]);
  });
});

describe('fields a record names', () => {
  test('a misspelled field names the closest field', async () => {
    expect(
      await problemsOf({
        [CRITERION]: criterion({ IsActive__c: 'false' }),
        [STAGE]: stage({ Stall_Days__c: null, Stall_Day__c: '14' }),
      }),
    ).toEqual([
      [
        STAGE,
        '<field>Stall_Day__c</field> is not a field of Cosell_Stage__mdt, so a deploy rejects the record; did you mean Stall_Days__c?',
      ],
      [
        CRITERION,
        '<field>IsActive__c</field> is not a field of Exit_Criterion__mdt, so a deploy rejects the record; did you mean Is_Active__c?',
      ],
    ]);
  });

  test('an unknown field lists the fields of the type', async () => {
    expect(
      await problemsOf({
        [CRITERION]: criterion({ Unknown_Field__c: 'x', DeveloperName: 'y' }),
      }),
    ).toEqual([
      [
        CRITERION,
        '<field>Unknown_Field__c</field> is not a field of Exit_Criterion__mdt, so a deploy rejects the record; its fields are Evidence_Label__c, Formula__c, Is_Active__c, Kind__c, Order__c, Rule_Text__c, Stage__c',
      ],
      [
        CRITERION,
        '<field>DeveloperName</field> is not a field of Exit_Criterion__mdt, so a deploy rejects the record; its fields are Evidence_Label__c, Formula__c, Is_Active__c, Kind__c, Order__c, Rule_Text__c, Stage__c',
      ],
    ]);
  });

  test('a field given twice is named, and neither value is used', async () => {
    expect(
      await problemsOf({
        [CRITERION]: withValue(criterion(), 'Order__c', '2'),
        [STAGE]: withValue(stage(), 'Order__c', 'two'),
      }),
    ).toEqual([
      [STAGE, 'Order__c is given in two <values> elements; keep one of them'],
      [
        CRITERION,
        'Order__c is given in two <values> elements; keep one of them',
      ],
    ]);
  });

  test('an unknown element of the record is named', async () => {
    const xml = model().replace('<label>Default</label>', '<lable>x</lable>');
    expect(await problemsOf({ [MODEL]: xml })).toEqual([
      [MODEL, '<label> is missing'],
      [
        MODEL,
        '<lable> is not an element of a custom metadata record; did you mean label?',
      ],
    ]);
  });

  test('records of a type the package does not define are named once', async () => {
    const second = `${FOLDER}/Cosell_Stage.Default_Validating.md-meta.xml`;
    expect(
      await problemsOf({ [STAGE]: stage(), [second]: stage() }, false),
    ).toEqual([
      [
        STAGE,
        "the package does not define the type Cosell_Stage__mdt, whose field definitions this record's values are checked against; add its folder objects/Cosell_Stage__mdt with its object and field files",
      ],
    ]);
  });
});

describe('record file names', () => {
  const rule = (type: string, name: string, problem: string, fix?: string) =>
    `the record name "${name}" (the file name between ${type}. and .md-meta.xml) is not a valid DeveloperName: ${problem}; ` +
    (fix
      ? `rename the file, such as to ${type}.${fix}.md-meta.xml`
      : 'rename the file');

  test('every record file is read, and a bad name is named', async () => {
    const longName = `Default_Registered_${'X'.repeat(40)}`;
    expect(longName).toHaveLength(59);
    const names = [
      'Default-Registered-Never',
      'Default Registered',
      'Défaut',
      'Default__Registered',
      'Default_',
      '1Default',
      longName,
    ];
    const files = Object.fromEntries(
      names.map((name) => [
        `${FOLDER}/Exit_Criterion.${name}.md-meta.xml`,
        criterion({ Formula__c: 'FALSE' }),
      ]),
    );
    files[`${FOLDER}/Other_Type.Not-Checked.md-meta.xml`] = 'not even XML';
    const problems = await problemsOf(files);
    const letters =
      'it may contain only the letters A-Z and a-z, digits and underscores, and';
    const type = 'Exit_Criterion';
    expect(problems.map(([, message]) => message).sort()).toEqual(
      [
        rule(
          type,
          'Default-Registered-Never',
          `${letters} "-" is none of them`,
          'Default_Registered_Never',
        ),
        rule(
          type,
          'Default Registered',
          `${letters} a space is none of them`,
          'Default_Registered',
        ),
        rule(type, 'Défaut', `${letters} "é" is none of them`, 'Defaut'),
        rule(
          type,
          'Default__Registered',
          'it must not contain two underscores in a row',
          'Default_Registered',
        ),
        rule(type, 'Default_', 'it must not end with an underscore', 'Default'),
        rule(type, '1Default', 'it must start with a letter', 'Default'),
        rule(
          type,
          longName,
          'it has 59 characters, more than the 40 allowed',
          longName.slice(0, 40),
        ),
      ].sort(),
    );
  });

  test('a record file without a name is named', async () => {
    const file = `${FOLDER}/Cosell_Stage.md-meta.xml`;
    expect(await problemsOf({ [file]: stage() })).toEqual([
      [file, rule('Cosell_Stage', '', 'it is empty')],
    ]);
  });

  test('a valid name of 40 characters is read', async () => {
    const name = `A${'b'.repeat(39)}`;
    const made = await packageOf({
      [`${FOLDER}/Exit_Criterion.${name}.md-meta.xml`]: criterion(),
    });
    const read = await readModelSource(made.dir);
    expect(read.criteria.map((c) => c.developerName)).toEqual([name]);
  });
});

describe('file encodings', () => {
  test('a UTF-16 file with a byte order mark is named as UTF-16', async () => {
    const bytes = Buffer.from(`\ufeff${model()}`, 'utf16le');
    expect(await problemsOf({ [MODEL]: bytes })).toEqual([
      [
        MODEL,
        'the file is encoded as UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8, the encoding Salesforce metadata files use',
      ],
    ]);
  });

  test('names UTF-16 without byte order mark', async () => {
    const bytes = Buffer.from(model(), 'utf16le');
    const problems = await problemsOf({ [MODEL]: bytes });
    expect(problems[0]?.[1]).toMatch(
      /^the file is encoded as UTF-16 \(its first bytes contain zero bytes, as UTF-16 text does\); save it as UTF-8/,
    );
  });

  test('a byte that is not UTF-8 is named with its line', async () => {
    const text = model({}, 'Caf\u00e9');
    const bytes = Buffer.from(text.replace('\u00e9', '\u0001'), 'utf8');
    bytes[bytes.indexOf(0x01)] = 0xe9;
    const problems = await problemsOf({ [MODEL]: bytes });
    expect(problems).toEqual([
      [
        MODEL,
        expect.stringMatching(
          /^the file is not valid UTF-8: line 2 has the byte 0xE9, which does not form a valid UTF-8 character there .*; save it as UTF-8/,
        ),
      ],
    ]);
  });

  test('a UTF-8 byte order mark is accepted', async () => {
    const made = await packageOf({ [MODEL]: `\ufeff${model()}` });
    const read = await readModelSource(made.dir);
    expect(read.models[0]?.requestExpiryHours).toBe(72);
  });
});

describe('entity and character references', () => {
  test('decimal and hexadecimal references are decoded', async () => {
    const made = await packageOf({
      [CRITERION]: criterion({
        Formula__c: 'Amount &#62; 1 &amp;&amp; Amount &#x3E;= 2 &amp;#62;',
        Rule_Text__c: 'Caf&#xE9; &#233; &#x1F600;',
      }),
    });
    const read = await readModelSource(made.dir);
    expect(read.criteria[0]?.formula).toBe('Amount > 1 && Amount >= 2 &#62;');
    expect(read.criteria[0]?.ruleText).toBe('Caf\u00e9 \u00e9 \u{1F600}');
  });

  test('character reference maps to file position', async () => {
    const xml = criterion({ Formula__c: 'Amount &#x3E;= 2 &amp;&amp; IsWon' });
    const line = xml.slice(0, xml.indexOf('Amount')).split('\n').length;
    const column =
      xml.indexOf('Amount') - xml.lastIndexOf('\n', xml.indexOf('Amount'));
    const made = await packageOf({ [CRITERION]: xml });
    const read = await readModelSource(made.dir);
    const formula = read.criteria[0]!.formula;
    const map = read.formulasInFiles?.['Default_Registered_Owners'];
    expect(map).toBeDefined();
    const at = (index: number) =>
      filePositionOf(map!, formula, { line: 1, column: index });
    expect(at(8)).toEqual({ line, column: column + 7 });
    expect(at(9)).toEqual({ line, column: column + 13 });
    expect(at(12)).toEqual({ line, column: column + 16 });
  });

  test.each([
    ['&#0;', /names U\+0000, a control character, which XML does not allow/],
    ['&#x1;', /names U\+0001, a control character/],
    ['&#xD800;', /names U\+D800, a UTF-16 surrogate/],
    ['&#57343;', /names U\+DFFF, a UTF-16 surrogate/],
    ['&#xFFFE;', /names U\+FFFE, a noncharacter/],
    ['&#x110000;', /names a number beyond the last Unicode code point/],
    ['&nbsp;', /the entity &nbsp; is not defined.*such as &#160;$/],
    ['&#x;', /"&#x;" is not a valid reference. Write a literal & as &amp;/],
  ])('%s is rejected with its line and column', async (reference, message) => {
    const xml = criterion({ Formula__c: `IsWon\n  ${reference}` });
    const line = xml.slice(0, xml.indexOf('IsWon')).split('\n').length + 1;
    const problems = await problemsOf({ [CRITERION]: xml });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.[0]).toBe(CRITERION);
    expect(problems[0]?.[1]).toMatch(`line ${line}, column 3: `);
    expect(problems[0]?.[1]).toMatch(message);
  });

  test('references in comments and CDATA are left alone', async () => {
    const made = await packageOf({
      [CRITERION]: criterion({
        Formula__c: '<!-- &#0; --><![CDATA[IsWon && "&#0;"]]>',
      }),
    });
    const read = await readModelSource(made.dir);
    expect(read.criteria[0]?.formula).toBe('IsWon && "&#0;"');
  });
});

describe('characters a label or value must not contain', () => {
  test('a raw NUL in a label is named with its position', async () => {
    const xml = stage().replace('<label>Registered', '<label>Regis\u0000tered');
    const line = xml.slice(0, xml.indexOf('\u0000')).split('\n').length;
    const column =
      xml.indexOf('\u0000') - xml.lastIndexOf('\n', xml.indexOf('\u0000'));
    expect(await problemsOf({ [STAGE]: xml })).toEqual([
      [
        STAGE,
        `line ${line}, column ${column} contains U+0000, a control character, which XML does not allow in a document, so a deploy rejects the file as not well-formed; remove it`,
      ],
    ]);
  });

  test.each([
    ['U+0007', '\u0007'],
    ['U+001F', '\u001F'],
    ['U+FFFE', '\uFFFE'],
  ])('a raw %s in a formula is named', async (code, character) => {
    const problems = await problemsOf({
      [CRITERION]: criterion({ Formula__c: `IsWon${character}` }),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.[1]).toContain(` contains ${code}, `);
  });

  test('a bidi override in a label is named', async () => {
    const label = 'Jointly\u202E\u200BQualified';
    expect(
      await problemsOf({
        [STAGE]: stage().replace('Registered<', `${label}<`),
      }),
    ).toEqual([
      [
        STAGE,
        `<label> ${JSON.stringify(label)} contains the bidirectional control character U+202E, which makes the text display in another order than it is stored; remove it (U+202A to U+202E, U+2066 to U+2069)`,
      ],
    ]);
  });

  test('a bidi override in Rule_Text__c is named', async () => {
    const rule = '\u202EThe deal is won.';
    expect(
      await problemsOf({ [CRITERION]: criterion({ Rule_Text__c: rule }) }),
    ).toEqual([
      [
        CRITERION,
        `Rule_Text__c ${JSON.stringify(rule)} contains the bidirectional control character U+202E, which makes the text display in another order than it is stored; remove it (U+202A to U+202E, U+2066 to U+2069)`,
      ],
    ]);
  });

  test.each([
    ['U+202A', '\u202A'],
    ['U+202D', '\u202D'],
    ['U+2066', '\u2066'],
    ['U+2069', '\u2069'],
  ])('bidi control %s in a value is named', async (_code, character) => {
    const problems = await problemsOf({
      [CRITERION]: criterion({ Evidence_Label__c: `Won${character}` }),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.[1]).toMatch(
      /^Evidence_Label__c ".*" contains the bidirectional control character/,
    );
  });

  test.each([
    ['U+007F', '\u007F'],
    ['U+0080', '\u0080'],
    ['U+0085', '\u0085'],
    ['U+009F', '\u009F'],
  ])('control %s in a label is named', async (code, character) => {
    const label = `Regis${character}tered`;
    expect(
      await problemsOf({
        [STAGE]: stage().replace('Registered<', `${label}<`),
      }),
    ).toEqual([
      [
        STAGE,
        `<label> ${JSON.stringify(label)} contains the control character ${code}, which shows as nothing or as a box; remove it (DEL and the C1 controls, U+007F to U+009F)`,
      ],
    ]);
  });

  test.each([
    ['Rule_Text__c', 'U+0080', '\u0080'],
    ['Rule_Text__c', 'U+009F', '\u009F'],
    ['Evidence_Label__c', 'U+007F', '\u007F'],
    ['Evidence_Label__c', 'U+0085', '\u0085'],
  ])('%s with control %s is rejected', async (field, code, character) => {
    const problems = await problemsOf({
      [CRITERION]: criterion({ [field]: `Won${character}` }),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.[0]).toBe(CRITERION);
    expect(problems[0]?.[1]).toMatch(new RegExp(`^${field} `));
    expect(problems[0]?.[1]).toContain(`the control character ${code}`);
  });

  test.each([
    ['zero-width space', '\u200B'],
    ['byte order mark', '\uFEFF'],
    ['word joiner and space', '\u2060 \u200B'],
    ['no-break space', '\u00A0'],
    ['Hangul filler', '\u3164'],
    ['braille blank', '\u2800'],
    ['Hangul choseong and jungseong fillers', '\u115F\u1160'],
    ['combining grapheme joiner', '\u034F'],
    ['variation selector', '\uFE0F'],
  ])('Evidence_Label__c of %s is missing', async (_name, blank) => {
    expect(
      await problemsOf({
        [CRITERION]: criterion({ Evidence_Label__c: blank }),
      }),
    ).toEqual([
      [
        CRITERION,
        'Evidence_Label__c is missing, and its field definition requires a value',
      ],
    ]);
  });

  test('Rule_Text__c of a zero-width space is missing', async () => {
    expect(
      await problemsOf({
        [CRITERION]: criterion({ Rule_Text__c: '\u200B' }),
      }),
    ).toEqual([[CRITERION, 'Rule_Text__c is missing']]);
  });

  test('a label of a zero-width space is missing', async () => {
    expect(
      await problemsOf({
        [STAGE]: stage().replace('Registered<', '\u200B<'),
      }),
    ).toEqual([[STAGE, '<label> is missing']]);
  });

  test('a zero-width space alone is read', async () => {
    const made = await packageOf({
      [STAGE]: stage().replace('Registered<', 'Regis\u200Btered<'),
    });
    const read = await readModelSource(made.dir);
    expect(read.stages[0]?.label).toBe('Regis\u200Btered');
  });
});

describe('where formulas sit in their files', () => {
  async function formulaMap(xml: string) {
    const made = await packageOf({ [CRITERION]: xml });
    const read = await readModelSource(made.dir);
    const formula = read.criteria[0]!.formula;
    const map = read.formulasInFiles?.['Default_Registered_Owners'];
    expect(map).toBeDefined();
    return (line: number, column: number) =>
      filePositionOf(map!, formula, { line, column });
  }

  test('the shipped files map each formula position to the file', async () => {
    const read = await readModelSource('force-app');
    const name = 'Default_Validating_Customer_Step';
    const formula = read.criteria.find(
      (c) => c.developerName === name,
    )!.formula;
    const map = read.formulasInFiles![name]!;
    // `COUNT(...)) &gt;= 1` on line 11, the formula starting at column 38.
    const at = (column: number) =>
      filePositionOf(map, formula, { line: 1, column });
    expect(at(1)).toEqual({ line: 11, column: 38 });
    expect(formula.charAt(65)).toBe('>');
    expect(at(66)).toEqual({ line: 11, column: 103 });
    expect(at(67)).toEqual({ line: 11, column: 107 });
    expect(at(70)).toEqual({ line: 11, column: 110 });
  });

  test('entities, CRLF line ends and indentation are counted', async () => {
    const xml = criterion({
      Formula__c:
        '\r\n    COUNT(X) &gt;= 1\r\n    &amp;&amp; &quot;a&apos;b&quot;\r\n',
    }).replace(/><values>/g, '>\r\n<values>');
    const lineOf = (text: string) =>
      xml.slice(0, xml.indexOf(text)).split(/\r\n|\r|\n/).length;
    const line = lineOf('COUNT(X)');
    const at = await formulaMap(xml);
    expect(at(1, 1)).toEqual({ line, column: 5 });
    expect(at(1, 10)).toEqual({ line, column: 14 });
    expect(at(1, 11)).toEqual({ line, column: 18 });
    expect(at(2, 5)).toEqual({ line: line + 1, column: 5 });
    expect(at(2, 6)).toEqual({ line: line + 1, column: 10 });
    expect(at(2, 8)).toEqual({ line: line + 1, column: 16 });
    expect(at(2, 9)).toEqual({ line: line + 1, column: 22 });
    expect(at(2, 10)).toEqual({ line: line + 1, column: 23 });
    expect(at(2, 11)).toEqual({ line: line + 1, column: 29 });
  });

  test('a CDATA section is counted from its content', async () => {
    const xml = criterion({
      Formula__c: '<![CDATA[\n  IsWon\n  && "a<b" ]]>',
    });
    const line = xml.slice(0, xml.indexOf('  IsWon')).split('\n').length;
    const at = await formulaMap(xml);
    expect(at(1, 1)).toEqual({ line, column: 3 });
    expect(at(2, 6)).toEqual({ line: line + 1, column: 6 });
  });

  test('a changed formula no longer matches the file', async () => {
    const made = await packageOf({ [CRITERION]: criterion() });
    const read = await readModelSource(made.dir);
    const map = read.formulasInFiles!['Default_Registered_Owners']!;
    expect(filePositionOf(map, 'IsWon', { line: 1, column: 1 })).toBeDefined();
    expect(filePositionOf(map, 'IsLost', { line: 1, column: 1 })).toBe(
      undefined,
    );
    expect(filePositionOf(map, 'IsWon', { line: 2, column: 1 })).toBe(
      undefined,
    );
  });
});

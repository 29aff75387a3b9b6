import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { checkApexFormat } from '../../scripts/checks/apex-format.js';
import { copyFixture, DEFAULT, type FixtureCopy } from './fixture-package.js';

const CLASS = `${DEFAULT}/classes/FixtureDealController.cls`;

let fixture: FixtureCopy;

beforeEach(async () => {
  fixture = await copyFixture();
});

afterEach(async () => {
  await fixture.remove();
});

describe('checkApexFormat', () => {
  test('formatted class passes', async () => {
    expect(await checkApexFormat(fixture.dir)).toEqual([]);
  });

  test('unformatted class names file', async () => {
    await fixture.replace(
      CLASS,
      '    public static Schema.Opportunity',
      '  public static Schema.Opportunity',
    );

    expect(await checkApexFormat(fixture.dir)).toEqual([
      {
        check: 'apex-format',
        file: fixture.path(CLASS),
        name: '',
        message: `is not formatted as prettier-plugin-apex formats it; run npx prettier --write ${fixture.path(CLASS)}`,
      },
    ]);
  });

  test('unparsable class names file and token', async () => {
    await fixture.replace(CLASS, 'return deal;', 'return deal');

    const findings = await checkApexFormat(fixture.dir);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.file).toBe(fixture.path(CLASS));
    expect(findings[0]?.message).toMatch(
      /^does not parse as Apex: Missing ';' at '}'/,
    );
  });

  test('trigger is checked too', async () => {
    await fixture.write(
      `${DEFAULT}/classes/FixtureTrigger.trigger`,
      'trigger FixtureTrigger on Opportunity(after update) {\n  System.debug(1);\n}\n',
    );

    const findings = await checkApexFormat(fixture.dir);

    expect(findings.map((finding) => finding.file)).toEqual([
      fixture.path(`${DEFAULT}/classes/FixtureTrigger.trigger`),
    ]);
  });
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  test,
} from '@jest/globals';
import { checkApexPmd } from '../../scripts/checks/apex-pmd.js';
import {
  copyFixture,
  DEFAULT,
  useTemporaryHome,
  type FixtureCopy,
} from './fixture-package.js';

const CLASS = `${DEFAULT}/classes/FixtureDealController.cls`;
const HAS_JAVA = spawnSync('java', ['-version']).status === 0;

let fixture: FixtureCopy;
const temporaryHome = useTemporaryHome('cosell-pmd-home-');

beforeAll(() => {
  if (!HAS_JAVA) {
    console.log(
      'PMD tests skipped: no java on PATH; they only check that the step reports it.',
    );
  }
});

beforeEach(async () => {
  fixture = await copyFixture();
});

afterEach(async () => {
  await fixture.remove();
});

describe('checkApexPmd', () => {
  test('missing Java skips with reason', async () => {
    const result = await checkApexPmd(fixture.dir, {
      javaCommand: join(temporaryHome(), 'no-java'),
    });

    expect(result.findings).toEqual([]);
    expect(result.skipped).toMatch(
      /^Java was not found \(.*no-java: spawnSync .* ENOENT\)\. PMD needs Java 11 or later/,
    );
  });

  (HAS_JAVA ? test : test.skip)(
    'empty catch block names file and rule',
    async () => {
      await fixture.replace(
        CLASS,
        '        return deal;\n',
        [
          '        try {',
          '            deal.Name = null;',
          '        } catch (System.NullPointerException error) {',
          '        }',
          "        System.debug('deal read');",
          '        return deal;',
          '',
        ].join('\n'),
      );

      const result = await checkApexPmd(fixture.dir);

      expect(result.skipped).toBeUndefined();
      expect(result.fileCount).toBe(1);
      expect(result.findings).toEqual([
        {
          check: 'pmd',
          file: fixture.path(CLASS),
          name: 'EmptyCatchBlock',
          message: 'line 28: Avoid empty catch blocks (severity 2, High)',
        },
      ]);
      // AvoidDebugStatements and DebugsShouldUseLoggingLevel, both severity 4,
      // are counted but do not fail the check.
      expect(result.minorViolationCount).toBe(2);
    },
    60_000,
  );

  (HAS_JAVA ? test : test.skip)(
    'unparsable class names file',
    async () => {
      await fixture.replace(CLASS, 'return deal;', 'return deal');

      const result = await checkApexPmd(fixture.dir);

      expect(result.findings).toHaveLength(1);
      expect(result.findings[0]?.file).toBe(fixture.path(CLASS));
      expect(result.findings[0]?.message).toMatch(
        /^PMD failed: PMD issued a processing error for file .* Syntax error at 27:4: missing ';' at '}'$/,
      );
    },
    60_000,
  );
});

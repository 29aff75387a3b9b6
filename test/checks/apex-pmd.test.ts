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
    'clean class has no high violations',
    async () => {
      const result = await checkApexPmd(fixture.dir);

      expect(result.skipped).toBeUndefined();
      expect(result.findings).toEqual([]);
      expect(result.fileCount).toBe(1);
      expect(result.minorViolationCount).toBe(0);
    },
    60_000,
  );

  (HAS_JAVA ? test : test.skip)(
    'debug statements count as minor',
    async () => {
      await fixture.replace(
        CLASS,
        '        return deal;\n',
        "        System.debug('deal read');\n        return deal;\n",
      );

      const result = await checkApexPmd(fixture.dir);

      // AvoidDebugStatements and DebugsShouldUseLoggingLevel, both severity 4.
      expect(result.findings).toEqual([]);
      expect(result.minorViolationCount).toBe(2);
    },
    60_000,
  );

  (HAS_JAVA ? test : test.skip)(
    'empty catch block names file and rule',
    async () => {
      await fixture.replace(
        CLASS,
        '        return deal;\n',
        '        try {\n            deal.Name = null;\n        } catch (System.NullPointerException error) {\n        }\n        return deal;\n',
      );

      const result = await checkApexPmd(fixture.dir);

      expect(result.findings).toEqual([
        {
          check: 'pmd',
          file: fixture.path(CLASS),
          name: 'EmptyCatchBlock',
          message: 'line 28: Avoid empty catch blocks (severity 2, High)',
        },
      ]);
    },
    60_000,
  );
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { buildStageCatalog } from '../../../middleware/src/domain/lifecycle/stage-catalog.js';
import {
  daysInStage,
  detectRegression,
  entryTransition,
  isStalled,
  stagesToHold,
} from '../../../middleware/src/domain/lifecycle/stalls.js';
import { DEFAULT_STAGES } from './default-stages.js';

/** Instants around daylight-saving changes, with the calendar days expected. */
const DST_CASES: Array<{
  zone: string;
  entered: string;
  now: string;
  days: number;
  note: string;
}> = [
  {
    zone: 'America/New_York',
    entered: '2026-03-08T04:30:00Z',
    now: '2026-03-08T05:10:00Z',
    days: 1,
    note: '23:30 EST to 00:10 EST, 40 minutes',
  },
  {
    zone: 'America/New_York',
    entered: '2026-03-08T04:30:00Z',
    now: '2026-03-09T03:50:00Z',
    days: 1,
    note: '23:30 EST to 23:50 EDT on the 23-hour day',
  },
  {
    zone: 'America/New_York',
    entered: '2026-03-08T04:30:00Z',
    now: '2026-03-09T04:10:00Z',
    days: 2,
    note: '23:30 EST to 00:10 EDT two days on, 23 h 40 min',
  },
  {
    zone: 'America/New_York',
    entered: '2026-10-31T03:30:00Z',
    now: '2026-11-02T04:59:00Z',
    days: 2,
    note: '23:30 EDT to 23:59 EST across the 25-hour day',
  },
  {
    zone: 'Europe/Berlin',
    entered: '2026-10-24T21:30:00Z',
    now: '2026-10-25T22:59:00Z',
    days: 1,
    note: '23:30 CEST to 23:59 CET, 25 h 29 min',
  },
  {
    zone: 'Europe/Berlin',
    entered: '2026-10-24T21:30:00Z',
    now: '2026-10-25T23:10:00Z',
    days: 2,
    note: '23:30 CEST to 00:10 CET two days on, 25 h 40 min',
  },
  {
    zone: 'Europe/Berlin',
    entered: '2026-03-28T22:30:00Z',
    now: '2026-03-29T21:30:00Z',
    days: 1,
    note: '23:30 CET to 23:30 CEST, 23 hours',
  },
  {
    zone: 'Europe/Berlin',
    entered: '2026-03-08T04:30:00Z',
    now: '2026-03-09T04:10:00Z',
    days: 1,
    note: 'the New York instants seen from Berlin, 05:30 to 05:10',
  },
];

describe('daysInStage', () => {
  it.each(DST_CASES)('counts $days day(s) in $zone: $note', (testCase) => {
    expect(daysInStage(testCase.entered, testCase.now, testCase.zone)).toBe(
      testCase.days,
    );
  });

  it('reads offsets in the input', () => {
    expect(
      daysInStage(
        '2026-03-07T23:30:00-05:00',
        '2026-03-09T00:10:00-04:00',
        'America/New_York',
      ),
    ).toBe(2);
  });

  it('never counts below zero', () => {
    expect(
      daysInStage('2026-03-09T00:00:00Z', '2026-03-01T00:00:00Z', 'UTC'),
    ).toBe(0);
  });

  it('rejects an unknown zone', () => {
    expect(() =>
      daysInStage('2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z', 'Mars/Base'),
    ).toThrow(/"Mars\/Base" is not an IANA time zone/);
  });

  it('rejects an instant without an offset', () => {
    expect(() =>
      daysInStage('2026-03-09T00:00:00', '2026-03-10T00:00:00Z', 'UTC'),
    ).toThrow(/with a time zone offset/);
  });
});

describe('daysInStage under another process time zone', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'cosell-tz-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  // A loader that lets a child Node process import the TypeScript sources.
  const typescript = pathToFileURL(
    path.join(process.cwd(), 'node_modules/typescript/lib/typescript.js'),
  ).href;
  writeFileSync(
    path.join(directory, 'loader.mjs'),
    `import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from '${typescript}';
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      return next(specifier.slice(0, -3) + '.ts', context);
    }
    throw error;
  }
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const output = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
`,
  );
  writeFileSync(
    path.join(directory, 'register.mjs'),
    `import { register } from 'node:module';
register('./loader.mjs', import.meta.url);
`,
  );
  const stalls = pathToFileURL(
    path.join(process.cwd(), 'middleware/src/domain/lifecycle/stalls.ts'),
  ).href;
  writeFileSync(
    path.join(directory, 'probe.mjs'),
    `import { daysInStage } from '${stalls}';
const cases = JSON.parse(process.argv[2]);
const offset = new Date('2026-07-01T00:00:00Z').getTimezoneOffset();
const days = cases.map((c) => daysInStage(c.entered, c.now, c.zone));
console.log(JSON.stringify({ offset, days }));
`,
  );

  it.each([['Pacific/Kiritimati'], ['America/Los_Angeles'], ['Asia/Kolkata']])(
    'counts the same days under TZ=%s',
    (processZone) => {
      const output = execFileSync(
        process.execPath,
        [
          '--import',
          pathToFileURL(path.join(directory, 'register.mjs')).href,
          path.join(directory, 'probe.mjs'),
          JSON.stringify(DST_CASES),
        ],
        {
          env: { ...process.env, TZ: processZone, NODE_OPTIONS: '' },
          encoding: 'utf8',
        },
      );
      const result = JSON.parse(output) as { offset: number; days: number[] };
      // The child really runs in another zone: its UTC offset is not zero.
      expect(result.offset).not.toBe(0);
      expect(result.days).toEqual(DST_CASES.map((testCase) => testCase.days));
    },
  );
});

describe('isStalled', () => {
  it.each([
    [14, 14, false],
    [14, 15, true],
    [0, 0, false],
    [0, 1, true],
    [null, 400, false],
    [undefined, 400, false],
  ])('stall days %p after %p days is %p', (stallDays, days, expected) => {
    expect(isStalled(stallDays, days)).toBe(expected);
  });
});

describe('regression', () => {
  const model = buildStageCatalog(DEFAULT_STAGES).get('Default')!;
  const transitions = [
    {
      dealId: 'D',
      fromStage: null,
      toStage: 'Registered',
      at: '2026-01-01T00:00:00Z',
      oneSided: false,
    },
    {
      dealId: 'D',
      fromStage: 'Registered',
      toStage: 'Validating',
      at: '2026-01-05T00:00:00Z',
      oneSided: false,
    },
    {
      dealId: 'D',
      fromStage: 'Validating',
      toStage: 'Jointly_Qualified',
      at: '2026-01-09T00:00:00Z',
      oneSided: false,
    },
    {
      dealId: 'D',
      fromStage: 'Jointly_Qualified',
      toStage: 'Validating',
      at: '2026-01-12T00:00:00+01:00',
      oneSided: false,
    },
    {
      dealId: 'E',
      fromStage: 'Jointly_Qualified',
      toStage: 'Validating',
      at: '2026-02-01T00:00:00Z',
      oneSided: false,
    },
  ];

  it('finds the latest move into the stage', () => {
    const entry = entryTransition(transitions, 'D', 'Validating');
    expect(entry?.fromStage).toBe('Jointly_Qualified');
    expect(entryTransition(transitions, 'D', 'Negotiating')).toBeUndefined();
  });

  it('holds the stage left and the stages skipped', () => {
    expect(
      stagesToHold(model, 'Registered', 'Validating').map((s) => s.value),
    ).toEqual(['Registered', 'Jointly_Qualified']);
    expect(
      stagesToHold(model, 'Validating', 'Negotiating').map((s) => s.value),
    ).toEqual(['Validating']);
  });

  it('holds nothing after a back move or a first stage', () => {
    expect(stagesToHold(model, 'Validating', 'Jointly_Qualified')).toEqual([]);
    expect(stagesToHold(model, null, 'Registered')).toEqual([]);
    expect(stagesToHold(model, 'Negotiating', 'Closed_Attributed')).toEqual([]);
  });

  it('reports the criteria that no longer hold', () => {
    const results = [
      { name: 'Joint_Qualification_Confirmed', met: true },
      { name: 'Customer_Confirmed', met: false },
    ];
    expect(detectRegression(results)).toEqual({
      regressed: true,
      failing: [{ name: 'Customer_Confirmed', met: false }],
    });
    expect(detectRegression(results.slice(0, 1)).regressed).toBe(false);
    expect(detectRegression([]).regressed).toBe(false);
  });
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { OrgSchema } from '../../../middleware/src/domain/schema.js';
import {
  convertText,
  RecordNormalizer,
} from '../../../middleware/src/org/salesforce/record-normalizer.js';
import { packageSchema } from './salesforce-fixture.js';

const run = promisify(execFile);
const NORMALIZER = path.resolve(
  'dist/middleware/src/org/salesforce/record-normalizer.js',
);
const FORCE_APP = path.resolve('dist/middleware/src/org/force-app/index.js');

/**
 * Converts dates and date-times in a child Node process whose `TZ` is `zone`,
 * with the built normaliser: jest's sandbox cannot change the time zone of its
 * own process. Returns what the child printed.
 */
async function runInTimeZone(zone: string) {
  if (!existsSync(NORMALIZER)) {
    throw new Error(`${NORMALIZER} is missing; run npm run build first`);
  }
  const script = `
    const { RecordNormalizer, convertText } = await import(${JSON.stringify(pathToFileURL(NORMALIZER).href)});
    const { readForceAppSchema } = await import(${JSON.stringify(pathToFileURL(FORCE_APP).href)});
    const schema = await readForceAppSchema(${JSON.stringify(path.resolve('force-app'))});
    const fields = schema.Opportunity.fields;
    const normalizer = new RecordNormalizer(schema);
    const dates = ['2025-01-01', '2024-12-31', '2024-02-29'];
    process.stdout.write(JSON.stringify({
      offsetMinutes: new Date(2025, 0, 1).getTimezoneOffset(),
      dates: dates.map((d) => convertText(fields.CloseDate, d)),
      jsonDates: dates.map((d) => normalizer.fromJson({ CloseDate: d }, 'Opportunity').CloseDate),
      instants: [
        '2025-01-31T23:30:00.000+0000',
        '2025-01-31T23:30:00.000Z',
        '2025-02-01T09:30:00.000+1000',
      ].map((t) => convertText(fields.Cosell_Stage_Entered_At__c, t)),
    }));
  `;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '--eval', script],
    { env: { ...process.env, TZ: zone } },
  );
  return JSON.parse(stdout) as {
    offsetMinutes: number;
    dates: string[];
    jsonDates: string[];
    instants: string[];
  };
}

/** A deal as the REST API returns it. */
const REST_DEAL = {
  attributes: { type: 'Opportunity', url: '/services/data/v62.0/...' },
  Id: '0068d0000000001AAA',
  Name: 'Acme, "East"',
  Amount: 1234567.89,
  CloseDate: '2025-01-01',
  IsClosed: false,
  Probability: 33.33,
  Cosell_Stage_Version__c: 3,
  Cosell_Stage_Entered_At__c: '2025-01-31T23:30:00.000+0000',
  Vendor_Owner__c: '0058d0000000001',
  Partner_Account__r: {
    attributes: { type: 'Account' },
    Id: '0018d0000000002AAA',
    Name: 'Partner Ltd',
  },
  Partner_Owner__r: null,
  Close_Plan_Steps__r: {
    totalSize: 1,
    done: true,
    records: [
      {
        attributes: { type: 'Close_Plan_Step__c' },
        Id: 'a038d0000000001AAA',
        Due_Date__c: '2024-12-31',
      },
    ],
  },
  Deal_Partners__r: null,
};

/** The same deal as Bulk API 2.0 CSV columns and cells. */
const CSV_COLUMNS = [
  'Id',
  'Name',
  'Amount',
  'CloseDate',
  'IsClosed',
  'Probability',
  'Cosell_Stage_Version__c',
  'Cosell_Stage_Entered_At__c',
  'Vendor_Owner__c',
  'Partner_Account__r.Id',
  'Partner_Account__r.Name',
  'Partner_Owner__r.Id',
  'Partner_Owner__r.Name',
];
const CSV_ROW = [
  '0068d0000000001AAA',
  'Acme, "East"',
  '1234567.89',
  '2025-01-01',
  'false',
  '33.33',
  '3',
  '2025-01-31T23:30:00.000Z',
  '0058d0000000001AAA',
  '0018d0000000002AAA',
  'Partner Ltd',
  '',
  '',
];

describe('RecordNormalizer', () => {
  let schema: OrgSchema;
  let normalizer: RecordNormalizer;

  beforeAll(async () => {
    schema = await packageSchema();
    normalizer = new RecordNormalizer(schema);
  });

  it('reads a REST record in the port shape', () => {
    expect(normalizer.fromJson(REST_DEAL)).toEqual({
      Id: '0068d0000000001AAA',
      Name: 'Acme, "East"',
      Amount: 1234567.89,
      CloseDate: '2025-01-01',
      IsClosed: false,
      Probability: 33.33,
      Cosell_Stage_Version__c: 3,
      Cosell_Stage_Entered_At__c: '2025-01-31T23:30:00.000Z',
      Vendor_Owner__c: '0058d0000000001AAA',
      Partner_Account__r: { Id: '0018d0000000002AAA', Name: 'Partner Ltd' },
      Partner_Owner__r: null,
      Close_Plan_Steps__r: [
        { Id: 'a038d0000000001AAA', Due_Date__c: '2024-12-31' },
      ],
      Deal_Partners__r: [],
    });
  });

  it('reads a CSV row as the REST record', () => {
    const columns = normalizer.resolveColumns('Opportunity', CSV_COLUMNS);
    const fromCsv = normalizer.fromCsv(columns, CSV_ROW);
    const {
      Close_Plan_Steps__r: _steps,
      Deal_Partners__r: _partners,
      ...fromRest
    } = normalizer.fromJson(REST_DEAL);
    expect(fromCsv).toEqual(fromRest);
  });

  it.each([
    ['0.1', 0.1, '0.1'],
    ['1.10', 1.1, '1.1'],
    ['33.33', 33.33, '33.33'],
    ['1234567.89', 1234567.89, '1234567.89'],
    ['9999999999999.99', 9999999999999.99, '9999999999999.99'],
    ['-0.01', -0.01, '-0.01'],
  ])('reads money %s without drift', (text, value, decimal) => {
    const field = schema.Opportunity!.fields.Amount;
    const read = convertText(field, text);
    expect(read).toBe(value);
    expect(String(read)).toBe(decimal);
    expect(read).toBe(JSON.parse(text));
  });

  it('widens 15-character Ids in lookups', () => {
    const field = schema.Opportunity!.fields.Partner_Account__c;
    expect(convertText(field, '0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
    expect(convertText(field, '')).toBeNull();
  });

  it('reads a blank checkbox as false', () => {
    expect(convertText(schema.Opportunity!.fields.IsClosed, '')).toBe(false);
    expect(normalizer.fromJson({ IsWon: null }, 'Opportunity')).toEqual({
      IsWon: false,
    });
  });

  it('keeps dates and instants in a far time zone', async () => {
    const output = await runInTimeZone('Pacific/Kiritimati');
    expect(output.offsetMinutes).toBe(-14 * 60);
    expect(output.dates).toEqual(['2025-01-01', '2024-12-31', '2024-02-29']);
    expect(output.jsonDates).toEqual(output.dates);
    expect(output.instants).toEqual([
      '2025-01-31T23:30:00.000Z',
      '2025-01-31T23:30:00.000Z',
      '2025-01-31T23:30:00.000Z',
    ]);
  });
});

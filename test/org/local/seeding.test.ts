import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import { isSalesforceId } from '../../../middleware/src/domain/salesforce-id.js';
import { RecordValidationError } from '../../../middleware/src/org/local/record-rows.js';
import { openTempStore, PACKAGE_DIR } from '../../helpers/local-store.js';
import { createTestLogger } from '../../helpers/log-lines.js';
import type { TempStore } from '../../helpers/local-store.js';

const ACCOUNT = '001000000000001AAA';
const USER = '005000000000001AAA';
const DEAL = '006000000000001AAA';
const NOW = new Date('2026-12-04T12:00:00.000Z');
let store: TempStore;

const deal = (extra: RecordData = {}): RecordData => ({
  Id: DEAL,
  Name: 'Northwind renewal',
  StageName: 'Prospecting',
  CloseDate: '2027-01-31',
  ...extra,
});

beforeEach(async () => {
  store = await openTempStore({ now: () => NOW });
  await store.gateway.upsertRecords('Account', [
    { Id: ACCOUNT, Name: 'Northwind' },
  ]);
  await store.gateway.upsertRecords('Opportunity', [
    deal({ AccountId: ACCOUNT }),
  ]);
});

afterEach(async () => {
  await store.cleanup();
});

describe('upsertRecords validation', () => {
  it.each<[string, RecordData, RegExp]>([
    [
      'unknown field',
      { Nope__c: 1 },
      /Nope__c is not a field of Opportunity; check its spelling against the force-app object files/,
    ],
    [
      'checkbox as text',
      { IsClosed: 'yes' },
      /IsClosed = "yes": is not a checkbox value; use true or false/,
    ],
    [
      'number as text',
      { Amount: 'lots' },
      /Amount = "lots": is not a number; use an amount such as 1250\.50/,
    ],
    [
      'percent as text',
      { Probability: 'NaN' },
      /Probability = "NaN": is not a number; use a percentage without the % sign, such as 40/,
    ],
    [
      'control character',
      { Name: 'Bell\u0007' },
      /Name = "Bell\\u0007": contains the control character U\+0007; remove it/,
    ],
    [
      'too many digits',
      { Probability: 12345 },
      /Probability = 12345: has 5 digits before the decimal point; this field allows 3/,
    ],
    [
      'amount beyond double precision',
      { Amount: '1234567890123456.78' },
      /Amount = "1234567890123456.78": has 16 digits before the decimal point, which with this field's 2 decimal places makes 18 digits, but records are read as double-precision numbers, which keep 15 exactly; use a value from -9999999999999.99 to 9999999999999.99/,
    ],
    [
      'amount beyond both limits',
      { Amount: 1e17 },
      /Amount = 100000000000000000: has 18 digits before the decimal point, which with this field's 2 decimal places makes 20 digits/,
    ],
    [
      'amount with an exponent',
      { Amount: '1e308' },
      /Amount = "1e308": has 309 digits before the decimal point, which with this field's 2 decimal places makes 311 digits, but records are read as double-precision numbers, which keep 15 exactly; use a value from -9999999999999\.99 to 9999999999999\.99/,
    ],
    [
      'infinite amount',
      { Amount: -Infinity },
      /Amount = -Infinity: has a magnitude too large for a double-precision number, in which records are read; use a value from -9999999999999\.99 to 9999999999999\.99/,
    ],
    [
      'exponent beyond decimal.js',
      { Amount: '1e99999999999999999' },
      /Amount = "1e99999999999999999": has a magnitude too large for a double-precision number/,
    ],
    [
      'amount of 2^53 + 1',
      { Amount: '9007199254740993' },
      /Amount = "9007199254740993": has 16 digits before the decimal point/,
    ],
    [
      'whole amount of 14 digits',
      { Amount: '99999999999999' },
      /Amount = "99999999999999": has 14 digits before the decimal point, which with this field's 2 decimal places makes 16 digits/,
    ],
    [
      'fraction in a whole number',
      { Cosell_Stage_Version__c: 1.5 },
      /is not a whole number/,
    ],
    [
      'impossible date',
      { CloseDate: '2027-02-30' },
      /CloseDate = "2027-02-30": is not a calendar date: 2027-02-30 does not exist, so check the month and day/,
    ],
    [
      'month 13',
      { CloseDate: '2027-13-01' },
      /CloseDate = "2027-13-01": is not a calendar date: 2027-13-01 does not exist, so check the month and day/,
    ],
    [
      'date in another form',
      { CloseDate: '2027-2-3' },
      /CloseDate = "2027-2-3": is not a date; use YYYY-MM-DD, such as 2027-01-31/,
    ],
    [
      'date after Salesforce range',
      { CloseDate: '4001-01-01' },
      /CloseDate = "4001-01-01": is outside the dates Salesforce accepts; use a date from 1700-01-01 to 4000-12-31/,
    ],
    [
      'date before Salesforce range',
      { CloseDate: '1699-12-31' },
      /CloseDate = "1699-12-31": is outside the dates Salesforce accepts/,
    ],
    [
      'date-time without zone',
      { Cosell_Stage_Entered_At__c: '2026-12-01T10:00:00' },
      /is not a date-time with a time zone/,
    ],
    [
      'restricted picklist',
      { Cosell_Stage__c: 'Won' },
      /"Won" is not a value of this restricted picklist; use one of: Registered, /,
    ],
    [
      'multi-select value',
      { ACE_Delivery_Model__c: 'SaaS or PaaS;Teleport' },
      /"Teleport" is not a value of this restricted picklist/,
    ],
    [
      'malformed Id',
      { AccountId: '001-bad' },
      /AccountId = "001-bad": is not a 15- or 18-character Salesforce Id/,
    ],
    [
      'lookup to another object',
      { AccountId: USER },
      /AccountId = "005000000000001AAA": is not an Id of Account; use an Id that starts with 001/,
    ],
    [
      'text too long',
      { NextStep: 'x'.repeat(256) },
      /NextStep = "x{100}"…: has 256 characters, more than the field's 255; shorten it/,
    ],
    [
      'text of emoji too long',
      { NextStep: `x${'\u{1F600}'.repeat(128)}` },
      // The quote stops before an emoji that its 100th code unit would split.
      /NextStep = "x(\u{1F600}){49}"…: has 257 characters, more than the field's 255 \(an emoji or other character outside the Basic Multilingual Plane counts as two\); shorten it/u,
    ],
    [
      'lone surrogate',
      { NextStep: 'x\ud800y' },
      /NextStep = "x\\ud800y": contains the lone UTF-16 surrogate U\+D800, which is not a Unicode character and has no UTF-8 encoding; remove it or add its other half/,
    ],
    [
      'nested record',
      { Account: { Name: 'x' } },
      /Account is a nested record or list/,
    ],
    [
      'probability above 100',
      { Probability: 500 },
      /Probability = 500: is outside the range of this field; use a value from 0 to 100/,
    ],
    [
      'negative probability',
      { Probability: '-1' },
      /Probability = "-1": is outside the range of this field; use a value from 0 to 100/,
    ],
    [
      'unknown currency code',
      { CurrencyIsoCode: 'ZZZ' },
      /CurrencyIsoCode = "ZZZ": is not a current ISO 4217 currency code; use a three-letter code in capitals, such as USD or EUR/,
    ],
    [
      'lowercase currency code',
      { CurrencyIsoCode: 'usd' },
      /CurrencyIsoCode = "usd": is not a current ISO 4217 currency code/,
    ],
  ])('rejects %s', async (_name, fields, message) => {
    const written = store.gateway.upsertRecords('Opportunity', [deal(fields)]);
    await expect(written).rejects.toBeInstanceOf(RecordValidationError);
    await expect(written).rejects.toThrow(message);
  });

  it.each(['Account', 'Contact', 'User', 'Deal_Registration__c'])(
    'rejects an unknown currency code of %s',
    async (objectName) => {
      const written = store.gateway.upsertRecords(objectName, [
        { CurrencyIsoCode: 'ZZZ' },
      ]);
      await expect(written).rejects.toBeInstanceOf(RecordValidationError);
      await expect(written).rejects.toThrow(
        /- record 1: CurrencyIsoCode = "ZZZ": is not a current ISO 4217 currency code/,
      );
    },
  );

  it('cuts long text out of its error', async () => {
    const text = 'y'.repeat(20_000);
    const written = store.gateway.upsertRecords('Opportunity', [
      deal({ NextStep: text }),
    ]);
    await expect(written).rejects.toBeInstanceOf(RecordValidationError);
    const error = (await written.catch(
      (e: unknown) => e,
    )) as RecordValidationError;
    expect(error.message).toContain('NextStep');
    expect(error.message).toContain("more than the field's 255");
    expect(error.message).not.toContain('y'.repeat(101));
    expect(error.problems[0]?.value).toBe(`${'y'.repeat(100)}…`);
    // pino's error serializer writes every enumerable property of the error.
    const lines: Array<Record<string, unknown>> = [];
    createTestLogger(lines).error({ err: error }, 'Write failed');
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).not.toContain('y'.repeat(101));
  });

  it('accepts text of emoji at the maximum length', async () => {
    const text = '\u{1F600}'.repeat(127);
    await store.gateway.upsertRecords('Opportunity', [
      deal({ NextStep: text }),
    ]);
    const [stored] = await store.gateway.queryRecords('Opportunity', {
      where: { Id: DEAL },
    });
    expect(stored?.['NextStep']).toBe(text);
  });

  it('accepts probabilities from 0 to 100', async () => {
    for (const probability of [0, 100, '100.4']) {
      await store.gateway.upsertRecords('Opportunity', [
        deal({ Probability: probability }),
      ]);
    }
    const [stored] = await store.gateway.queryRecords('Opportunity', {
      where: { Id: DEAL },
    });
    expect(stored?.['Probability']).toBe(100);
  });

  it('accepts any current ISO 4217 code', async () => {
    await store.gateway.upsertRecords('Opportunity', [
      deal({ CurrencyIsoCode: 'CHF' }),
    ]);
    const [stored] = await store.gateway.queryRecords('Opportunity', {
      where: { Id: DEAL },
    });
    expect(stored?.['CurrencyIsoCode']).toBe('CHF');
  });

  it('lists every problem with its record', async () => {
    const written = store.gateway.upsertRecords('Close_Plan_Step__c', [
      { Opportunity__c: DEAL, Step__c: 'Sign', Owner_Side__c: 'Customer' },
      { Opportunity__c: DEAL, Owner_Side__c: 'Nobody', Due_Date__c: 'soon' },
    ]);
    await expect(written).rejects.toMatchObject({
      objectName: 'Close_Plan_Step__c',
      problems: [
        { index: 1, field: 'Owner_Side__c', value: 'Nobody' },
        { index: 1, field: 'Due_Date__c', value: 'soon' },
      ],
    });
    await expect(written).rejects.toThrow(
      /record 2: Owner_Side__c = "Nobody": "Nobody" is not a value of this restricted picklist; use one of: Customer, Vendor, Partner/,
    );
    expect(await store.gateway.countRecords('Close_Plan_Step__c')).toBe(0);
  });

  it('names the package folder in use', async () => {
    const written = store.gateway.upsertRecords('Opportunity', [
      deal({ Amount: 'lots' }),
    ]);
    await expect(written).rejects.toMatchObject({ packageDir: PACKAGE_DIR });
    await expect(written).rejects.toThrow(
      `Opportunity records do not fit the object files of the package folder ${PACKAGE_DIR}, so none of the batch was written:\n- record 1: Amount = "lots"`,
    );
  });

  it('names a package folder not called force-app', async () => {
    // sfdx-project.json may name any folder as the default package directory.
    const dir = mkdtempSync(path.join(tmpdir(), 'cosell-package-'));
    const packageDir = path.join(dir, 'sales-app');
    cpSync(PACKAGE_DIR, packageDir, { recursive: true });
    const other = await openTempStore({ packageDir });
    try {
      const written = other.gateway.upsertRecords('Opportunity', [
        deal({ Amount: 'lots' }),
      ]);
      await expect(written).rejects.toThrow(
        `Opportunity records do not fit the object files of the package folder ${packageDir}, so none`,
      );
      await expect(written).rejects.not.toThrow('force-app');
    } finally {
      await other.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a missing required field', async () => {
    await expect(
      store.gateway.upsertRecords('Opportunity', [
        {
          Id: '006000000000002AAA',
          Name: 'No close date',
          StageName: 'Prospecting',
        },
      ]),
    ).rejects.toThrow(
      'record 1: CloseDate is required on Opportunity; give it a value',
    );
  });

  it('requires StageName on a new deal', async () => {
    await expect(
      store.gateway.upsertRecords('Opportunity', [
        {
          Id: '006000000000002AAA',
          Name: 'No stage',
          CloseDate: '2027-01-01',
        },
      ]),
    ).rejects.toThrow(
      'record 1: StageName is required on Opportunity; give it a value',
    );
  });

  it('rejects clearing StageName of a deal', async () => {
    await expect(
      store.gateway.upsertRecords('Opportunity', [
        { Id: DEAL, StageName: null },
      ]),
    ).rejects.toThrow(
      'record 1: StageName is required on Opportunity; give it a value',
    );
  });

  it('rejects an Id of another object', async () => {
    await expect(
      store.gateway.upsertRecords('Account', [{ Id: DEAL, Name: 'Wrong' }]),
    ).rejects.toThrow(
      'Id 006000000000001AAA is not an Id of Account; use an Id that starts with 001',
    );
  });

  it('writes none of a failing batch', async () => {
    await expect(
      store.gateway.upsertRecords('Account', [
        { Name: 'Fine' },
        { Name: 'Also fine' },
        { Name: 'Bad', IsPartner: 'maybe' },
      ]),
    ).rejects.toThrow('record 3');
    expect(await store.gateway.countRecords('Account')).toBe(1);
  });

  it('rejects custom metadata and unknown objects', async () => {
    await expect(
      store.gateway.upsertRecords('Cosell_Stage__mdt', [
        { DeveloperName: 'X' },
      ]),
    ).rejects.toThrow(
      'Cosell_Stage__mdt is not an object the local store keeps',
    );
    await expect(store.gateway.countRecords('Nope__c')).rejects.toThrow(
      'Nope__c is not an object the local store keeps; use one of: Account,',
    );
  });
});

describe('upsertRecords values', () => {
  it('round-trips each field type', async () => {
    await store.gateway.upsertRecords('Opportunity', [
      deal({
        Amount: '1250.5',
        IsWon: true,
        Cosell_Stage_Version__c: '7',
        Cosell_Stage_Entered_At__c: '2026-12-01T10:00:00+0100',
        ACE_Delivery_Model__c: 'SaaS or PaaS',
      }),
    ]);
    const [read] = await store.gateway.queryRecords('Opportunity', {
      fields: [
        'Amount',
        'IsWon',
        'IsClosed',
        'Cosell_Stage_Version__c',
        'Cosell_Stage_Entered_At__c',
        'ACE_Delivery_Model__c',
      ],
    });
    expect(read).toEqual({
      Id: DEAL,
      Amount: 1250.5,
      IsWon: true,
      IsClosed: false,
      Cosell_Stage_Version__c: 7,
      Cosell_Stage_Entered_At__c: '2026-12-01T09:00:00.000Z',
      ACE_Delivery_Model__c: 'SaaS or PaaS',
    });
  });

  it('keeps money exact to its scale', async () => {
    await store.gateway.upsertRecords('Opportunity', [
      deal({ Amount: 0.1 + 0.2 }),
    ]);
    await store.gateway.upsertRecords('Deal_Partner__c', [
      {
        Opportunity__c: DEAL,
        Partner_Account__c: ACCOUNT,
        Role__c: 'Sourcing',
        Split_Percent__c: '33.335',
      },
    ]);
    const [opportunity] = await store.gateway.queryRecords('Opportunity', {
      fields: ['Amount'],
      exactDecimals: true,
    });
    const [partner] = await store.gateway.queryRecords('Deal_Partner__c', {
      fields: ['Split_Percent__c'],
      exactDecimals: true,
    });
    expect(opportunity?.['Amount']).toBe('0.30');
    expect(partner?.['Split_Percent__c']).toBe('33.34');
  });

  it('sets defaults, timestamps and a generated Id', async () => {
    const [id] = await store.gateway.upsertRecords('Close_Plan_Step__c', [
      { Opportunity__c: DEAL, Step__c: 'Sign', Owner_Side__c: 'Customer' },
    ]);
    expect(isSalesforceId(id)).toBe(true);
    expect(id?.startsWith('a03')).toBe(true);
    const [step] = await store.gateway.queryRecords('Close_Plan_Step__c');
    expect(step).toMatchObject({
      Id: id,
      Status__c: 'Not Started',
      CreatedDate: NOW.toISOString(),
      LastModifiedDate: NOW.toISOString(),
    });
  });

  it('updates only the given fields by a 15-character Id', async () => {
    await store.gateway.upsertRecords('Opportunity', [
      { Id: DEAL.slice(0, 15), Name: 'Renamed' },
    ]);
    const [read] = await store.gateway.queryRecords('Opportunity', {
      fields: ['Name', 'StageName', 'AccountId'],
    });
    expect(read).toEqual({
      Id: DEAL,
      Name: 'Renamed',
      StageName: 'Prospecting',
      AccountId: ACCOUNT,
    });
  });

  it('matches records by an external id field', async () => {
    const key = {
      Key__c: 'caller:k1',
      Fingerprint__c: 'a',
      Expires_At__c: '2099-01-01T00:00:00Z',
    };
    const [first] = await store.gateway.upsertRecords(
      'Idempotency_Record__c',
      [key],
      {
        externalIdField: 'Key__c',
      },
    );
    const [second] = await store.gateway.upsertRecords(
      'Idempotency_Record__c',
      [{ Key__c: 'caller:k1', Fingerprint__c: 'b' }],
      { externalIdField: 'Key__c' },
    );
    expect(second).toBe(first);
    const rows = await store.gateway.queryRecords('Idempotency_Record__c', {
      fields: ['Fingerprint__c'],
    });
    expect(rows).toEqual([{ Id: first, Fingerprint__c: 'b' }]);
  });

  it('rejects a non-unique match field', async () => {
    await expect(
      store.gateway.upsertRecords('Account', [{ Name: 'X' }], {
        externalIdField: 'Name',
      }),
    ).rejects.toThrow(
      'Account.Name cannot match records: it is neither an external id nor unique',
    );
  });

  it('names a clash on a unique field', async () => {
    await store.gateway.upsertRecords('Idempotency_Record__c', [
      { Key__c: 'k2' },
    ]);
    await expect(
      store.gateway.upsertRecords('Idempotency_Record__c', [{ Key__c: 'k2' }]),
    ).rejects.toThrow(
      'record 1: Key__c = "k2" is already used by another Idempotency_Record__c record',
    );
  });
});

describe('queryRecords and countRecords', () => {
  beforeEach(async () => {
    await store.gateway.upsertRecords('Opportunity', [
      deal({ Id: '006000000000002AAA', Name: 'Closed', IsClosed: true }),
      deal({ Id: '006000000000003AAA', Name: 'No account' }),
    ]);
  });

  it('filters by equality, blank and lists', async () => {
    const names = async (where: Record<string, unknown>) =>
      (
        await store.gateway.queryRecords('Opportunity', {
          where: where as never,
          fields: ['Name'],
        })
      ).map((r) => r['Name']);
    expect(await names({ IsClosed: true })).toEqual(['Closed']);
    expect(await names({ IsClosed: false, AccountId: null })).toEqual([
      'No account',
    ]);
    expect(await names({ Name: ['Closed', 'No account'] })).toEqual([
      'Closed',
      'No account',
    ]);
    expect(
      await store.gateway.countRecords('Opportunity', { IsClosed: false }),
    ).toBe(2);
  });

  it('follows lookups in fields', async () => {
    const rows = await store.gateway.queryRecords('Opportunity', {
      fields: ['Account.Name'],
      limit: 2,
    });
    expect(rows).toEqual([
      { Id: DEAL, Account: { Name: 'Northwind' } },
      { Id: '006000000000002AAA', Account: null },
    ]);
  });

  it('names an unknown field path', async () => {
    await expect(
      store.gateway.queryRecords('Opportunity', { fields: ['Acount.Name'] }),
    ).rejects.toThrow(
      'Field path "Acount.Name" on Opportunity: Opportunity has no lookup relationship Acount; did you mean Account?',
    );
    await expect(
      store.gateway.queryRecords('Opportunity', { where: { Nope: 1 } }),
    ).rejects.toThrow('where: Nope is not a field of Opportunity');
  });
});

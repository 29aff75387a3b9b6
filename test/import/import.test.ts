import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { evaluateDeal } from '../../middleware/src/domain/evaluation.js';
import { loadStageModels } from '../../middleware/src/domain/stage-model.js';
import { readDataLoaderCsv } from '../../middleware/src/import/data-loader-csv.js';
import {
  ImportFileError,
  readDataTree,
} from '../../middleware/src/import/data-tree.js';
import { importRecords } from '../../middleware/src/import/import-records.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import type { LocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { runNode } from '../helpers/failed-start.js';

const FIXTURES = path.resolve('test/fixtures');
const PLAN = path.join(FIXTURES, 'lwc-recipes/data-plan.json');
const CSV = path.join(FIXTURES, 'data-loader');
let dir: string;
let gateway: LocalGateway;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-import-'));
  gateway = await openLocalGateway({
    dbPath: path.join(dir, 'import.db'),
    packageDir: path.resolve('force-app'),
  });
});

afterEach(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

async function importFile(file: string) {
  const records = file.endsWith('.csv')
    ? await readDataLoaderCsv(file)
    : await readDataTree(file);
  return importRecords(records, await gateway.describeSchema(), gateway);
}

describe('data tree import', () => {
  it('loads the sample plan with references resolved', async () => {
    const report = await importFile(PLAN);
    expect(report.loaded).toEqual({ Account: 10, Contact: 6, Opportunity: 20 });
    expect(report.problems).toEqual([]);
    expect(report.skippedFields).toEqual(
      expect.arrayContaining([
        'Account.NumberOfEmployees',
        'Contact.Picture__c',
      ]),
    );
    const deals = await gateway.queryRecords('Opportunity');
    const accounts = new Set(
      (await gateway.queryRecords('Account')).map((a) => a['Id']),
    );
    for (const deal of deals) {
      expect(String(deal['Id'])).toMatch(/^006[a-zA-Z0-9]{15}$/);
      expect(accounts.has(deal['AccountId'] as string)).toBe(true);
    }
  });

  it('changes nothing when the same plan is imported twice', async () => {
    await importFile(PLAN);
    const before = await gateway.queryRecords('Opportunity');
    const again = await importFile(PLAN);
    expect(again.problems).toEqual([]);
    expect(again.loaded).toEqual({});
    expect(again.unchanged).toEqual({
      Account: 10,
      Contact: 6,
      Opportunity: 20,
    });
    expect(await gateway.countRecords('Opportunity')).toBe(20);
    expect(await gateway.queryRecords('Opportunity')).toEqual(before);
  });

  it('shows what the first stage lacks for an imported deal', async () => {
    await importFile(PLAN);
    const [first] = await gateway.queryRecords('Opportunity', { limit: 1 });
    const models = loadStageModels(
      await gateway.loadModelSource(),
      await gateway.describeSchema(),
    );
    const model = models.get('Default')!;
    const dealFields = [
      'Id',
      'Cosell_Stage__c',
      'Vendor_Owner__c',
      'Partner_Owner__c',
    ];
    const read = await gateway.readDealContext({
      dealId: String(first!['Id']),
      actingUserId: '005000000000001AAA',
      plan: {
        dealFields,
        children: {
          Deal_Registrations__r: ['Id', 'Status__c', 'Conflict_Status__c'],
        },
      },
    });
    const { stage, results } = evaluateDeal(model, read.deal!, {
      now: new Date(),
      timeZone: 'UTC',
    });
    expect(stage).toBeNull();
    expect(results.map((r) => r.stage)).toEqual(['Registered', 'Registered']);
    expect(results.every((r) => !r.met)).toBe(true);
  });

  it('reports a reference that no record defines', async () => {
    const file = path.join(dir, 'deals.json');
    writeFileSync(
      file,
      JSON.stringify({
        records: [
          {
            attributes: { type: 'Opportunity', referenceId: 'OppRef1' },
            AccountId: '@AccountRef99',
            Name: 'Orphan',
            StageName: 'Prospecting',
            CloseDate: '2027-01-31',
          },
        ],
      }),
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({});
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.reason).toContain('@AccountRef99');
  });

  it('keeps records of two exports that share refs', async () => {
    // sf data export tree numbers refs from 1 in every export.
    const exportOf = (account: string, deal: string, amount: number) => ({
      records: [
        {
          attributes: { type: 'Account', referenceId: 'AccountRef1' },
          Name: account,
        },
        {
          attributes: { type: 'Opportunity', referenceId: 'OpportunityRef1' },
          AccountId: '@AccountRef1',
          Name: deal,
          Amount: amount,
          StageName: 'Prospecting',
          CloseDate: '2027-01-31',
        },
      ],
    });

    const first = path.join(dir, 'first.json');
    const second = path.join(dir, 'second.json');
    const sameDeal = path.join(dir, 'same-deal.json');
    writeFileSync(first, JSON.stringify(exportOf('Acme', 'Deal A', 1000)));
    writeFileSync(second, JSON.stringify(exportOf('Acme', 'Deal B', 2000)));
    // The same deal values under another account are another record.
    writeFileSync(sameDeal, JSON.stringify(exportOf('Globex', 'Deal A', 1000)));

    expect((await importFile(first)).loaded).toEqual({
      Account: 1,
      Opportunity: 1,
    });
    const again = await importFile(second);
    expect(again.problems).toEqual([]);
    expect(again.loaded).toEqual({ Opportunity: 1 });
    expect(again.unchanged).toEqual({ Account: 1 });
    expect((await importFile(sameDeal)).loaded).toEqual({
      Account: 1,
      Opportunity: 1,
    });

    const deals = await gateway.queryRecords('Opportunity');
    expect(deals.map((d) => d['Name']).sort()).toEqual([
      'Deal A',
      'Deal A',
      'Deal B',
    ]);
    const accounts = await gateway.queryRecords('Account');
    const nameOf = new Map(accounts.map((a) => [String(a['Id']), a['Name']]));
    expect(
      deals
        .map((d) => `${d['Name']} ${nameOf.get(String(d['AccountId']))}`)
        .sort(),
    ).toEqual(['Deal A Acme', 'Deal A Globex', 'Deal B Acme']);

    const unchanged = await importFile(first);
    expect(unchanged.loaded).toEqual({});
    expect(unchanged.unchanged).toEqual({ Account: 1, Opportunity: 1 });
  });

  it('changes nothing on reimporting a reference cycle', async () => {
    const file = path.join(dir, 'cycle.json');
    // ParentId is not in the schema, so it is skipped, but its value is still part
    // of the record that the Id is derived from.
    const account = (ref: string, parentRef: string) => ({
      attributes: { type: 'Account', referenceId: ref },
      Name: 'Acme',
      ParentId: `@${parentRef}`,
    });
    writeFileSync(
      file,
      JSON.stringify({
        records: [
          account('AccountRef1', 'AccountRef2'),
          account('AccountRef2', 'AccountRef1'),
          {
            attributes: { type: 'Contact', referenceId: 'ContactRef1' },
            AccountId: '@AccountRef1',
            LastName: 'Taylor',
          },
        ],
      }),
    );

    const first = await importFile(file);
    expect(first.problems).toEqual([]);
    expect(first.loaded).toEqual({ Account: 2, Contact: 1 });
    const again = await importFile(file);
    expect(again.loaded).toEqual({});
    expect(again.unchanged).toEqual({ Account: 2, Contact: 1 });
  });

  it('reports a referenceId used twice, naming both', async () => {
    const file = path.join(dir, 'refs.json');
    const deal = (name: string) => ({
      attributes: { type: 'Opportunity', referenceId: 'OpportunityRef1' },
      Name: name,
      StageName: 'Prospecting',
      CloseDate: '2027-01-31',
    });
    writeFileSync(
      file,
      JSON.stringify({ records: [deal('First'), deal('Second')] }),
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.origin).toBe('refs.json#2');
    expect(report.problems[0]!.reason).toContain(
      'referenceId OpportunityRef1 is also the referenceId of refs.json#1',
    );
  });

  it('lists JSON objects given as values', async () => {
    const file = path.join(dir, 'Accounts.json');
    writeFileSync(
      file,
      JSON.stringify({
        records: [
          { attributes: { type: 'Account' }, Name: { nested: true } },
          { attributes: { type: 'Account' }, Name: ['Acme', 'Globex'] },
          { attributes: { type: 'Account' }, Name: 'Initech' },
        ],
      }),
    );

    const report = await importFile(file);

    expect(report.loaded).toEqual({ Account: 1 });
    const accounts = await gateway.queryRecords('Account');
    expect(accounts.map((a) => a['Name'])).toEqual(['Initech']);
    expect(report.problems.map((p) => [p.origin, p.reason])).toEqual([
      [
        'Accounts.json#1',
        'Name is a JSON object, not a single value; give it one value such as text, a number, true or false, or leave the field out',
      ],
      [
        'Accounts.json#2',
        'Name is a JSON array, not a single value; give it one value such as text, a number, true or false, or leave the field out',
      ],
    ]);
  });

  it('loads child records nested in a parent', async () => {
    // What sf data export tree writes without --plan.
    const file = path.join(dir, 'Account-Contact.json');
    writeFileSync(
      file,
      JSON.stringify({
        records: [
          {
            attributes: { type: 'Account', referenceId: 'AccountRef1' },
            Name: 'Acme',
            Contacts: {
              records: [
                {
                  attributes: { type: 'Contact', referenceId: 'ContactRef1' },
                  LastName: 'Lee',
                },
                {
                  attributes: { type: 'Contact', referenceId: 'ContactRef2' },
                  LastName: 'Kim',
                },
              ],
            },
          },
          {
            attributes: { type: 'Account', referenceId: 'AccountRef2' },
            Name: 'Globex',
            Contacts: { records: [] },
          },
        ],
      }),
    );

    const report = await importFile(file);

    expect(report.problems).toEqual([]);
    expect(report.skippedFields).toEqual([]);
    expect(report.loaded).toEqual({ Account: 2, Contact: 2 });
    const [acme] = await gateway.queryRecords('Account', {
      where: { Name: 'Acme' },
    });
    const contacts = await gateway.queryRecords('Contact');
    expect(contacts.map((c) => c['LastName']).sort()).toEqual(['Kim', 'Lee']);
    for (const contact of contacts) {
      expect(contact['AccountId']).toBe(acme!['Id']);
    }

    const again = await importFile(file);
    expect(again.loaded).toEqual({});
    expect(again.unchanged).toEqual({ Account: 2, Contact: 2 });
  });

  it.each([
    [
      'an unknown relationship',
      { type: 'Account', referenceId: 'AccountRef1' },
      'Contactz',
      'is nested under Accounts.json#1 in Contactz, which is not a child relationship from Account to Contact; ' +
        'export the records again with sf data export tree --plan, which writes each object to its own file, and import the plan',
    ],
    [
      'a parent without referenceId',
      { type: 'Account' },
      'Contacts',
      'is nested under Accounts.json#1, which has no referenceId to link it by; ' +
        'give that record attributes.referenceId, or export again with sf data export tree --plan and import the plan',
    ],
  ])('lists children of %s', async (_case, attributes, block, reason) => {
    const file = path.join(dir, 'Accounts.json');
    writeFileSync(
      file,
      JSON.stringify({
        records: [
          {
            attributes,
            Name: 'Acme',
            [block]: {
              records: [{ attributes: { type: 'Contact' }, LastName: 'Lee' }],
            },
          },
        ],
      }),
    );

    const report = await importFile(file);

    expect(report.loaded).toEqual({ Account: 1 });
    expect(await gateway.countRecords('Contact')).toBe(0);
    expect(report.problems.map((p) => [p.origin, p.reason])).toEqual([
      [`Accounts.json#1 ${block}#1`, reason],
    ]);
  });

  it('rejects malformed JSON naming the file', async () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{"records": [');
    await expect(readDataTree(file)).rejects.toThrow(ImportFileError);
    await expect(readDataTree(file)).rejects.toThrow('broken.json');
  });

  it('rejects a plan whose data file is missing', async () => {
    const file = path.join(dir, 'plan.json');
    writeFileSync(
      file,
      JSON.stringify([{ sobject: 'Account', files: ['Nope.json'] }]),
    );
    await expect(readDataTree(file)).rejects.toThrow(
      /Nope\.json.*cannot be read/,
    );
  });
});

describe('data tree plan files', () => {
  it.each([
    ['a parent folder', '../outside.json'],
    ['a deep parent folder', '../../../../etc/passwd'],
    ['an absolute path', '/etc/passwd'],
    ['the plan folder itself', '.'],
  ])('rejects a data file in %s', async (_where, dataFile) => {
    const planDir = path.join(dir, 'plan');
    mkdirSync(planDir);
    // A readable data file outside the plan's folder, which must stay unread.
    writeFileSync(
      path.join(dir, 'outside.json'),
      JSON.stringify({ records: [{ attributes: { type: 'Account' } }] }),
    );
    const plan = path.join(planDir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify([{ sobject: 'Account', files: [dataFile] }]),
    );
    await expect(readDataTree(plan)).rejects.toThrow(ImportFileError);
    await expect(readDataTree(plan)).rejects.toThrow(
      `plan entry 1 (Account) names the data file ${JSON.stringify(dataFile)}, which is not inside the plan's folder ${planDir}`,
    );
  });

  it('rejects a symbolic link to a file outside', async () => {
    mkdirSync(path.join(dir, 's1'));
    writeFileSync(path.join(dir, 's1', 'api-token'), 'tok_live_1234567890');
    const planDir = path.join(dir, 'plan');
    mkdirSync(planDir);
    symlinkSync('../s1/api-token', path.join(planDir, 'link.json'));
    const plan = path.join(planDir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify([{ sobject: 'Account', files: ['link.json'] }]),
    );
    const error = await readDataTree(plan).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    const message = (error as Error).message;
    expect(message).toContain(
      `names the data file "link.json", which is not inside the plan's folder`,
    );
    expect(message).not.toContain('tok_live');
  });

  it('follows a symbolic link to a file inside', async () => {
    const planDir = path.join(dir, 'plan');
    mkdirSync(path.join(planDir, 'data'), { recursive: true });
    writeFileSync(
      path.join(planDir, 'data', 'Accounts.json'),
      JSON.stringify({
        records: [{ attributes: { type: 'Account' }, Name: 'Acme' }],
      }),
    );
    symlinkSync('data/Accounts.json', path.join(planDir, 'link.json'));
    const plan = path.join(planDir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify([{ sobject: 'Account', files: ['link.json'] }]),
    );
    const records = await readDataTree(plan);
    expect(records.map((r) => r.fields['Name'])).toEqual(['Acme']);
  });

  it.each([
    ['an unexpected token', 'tok_live_1234567890', 'unexpected character'],
    [
      'a bad property',
      '{"records": [],\n "a":1,,}',
      'syntax error at line 2 column 8',
    ],
    [
      'an emoji before the error',
      '{"records": [],\n "😀":1,,}',
      'syntax error at line 2 column 8',
    ],
    ['a cut file', '{"records": [\n', 'the file ends inside a JSON value'],
    [
      'a large file',
      'tok_live:x:0:0:root:/root:/bin/bash\n'.repeat(1000),
      'unexpected character',
    ],
  ])('shows no content of JSON with %s', async (_case, text, detail) => {
    writeFileSync(path.join(dir, 'Accounts.json'), text);
    const plan = path.join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify([{ sobject: 'Account', files: ['Accounts.json'] }]),
    );
    const error = await readDataTree(plan).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    const message = (error as Error).message;
    expect(message).toContain(`Accounts.json: is not valid JSON (${detail})`);
    expect(message).not.toContain('tok_live');
    expect(message.length).toBeLessThan(400);
  });

  it('reports an unknown sobject per plan entry', async () => {
    // sf data export tree sets attributes.type on every record, so the typo is
    // only in the plan.
    const accounts = ['Acme', 'Globex'].map((Name) => ({
      attributes: { type: 'Account' },
      Name,
    }));
    writeFileSync(
      path.join(dir, 'Accounts.json'),
      JSON.stringify({ records: accounts }),
    );
    writeFileSync(
      path.join(dir, 'Widgets.json'),
      JSON.stringify({ records: [{ Name: 'Gear' }] }),
    );
    writeFileSync(
      path.join(dir, 'Opportunities.json'),
      JSON.stringify({
        records: [
          {
            attributes: { type: 'Opportunity' },
            Name: 'Deal',
            StageName: 'Prospecting',
            CloseDate: '2027-01-31',
          },
        ],
      }),
    );
    const plan = path.join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify([
        { sobject: 'Acount', files: ['Accounts.json'] },
        { sobject: 'Widget__c', files: ['Widgets.json'] },
        { sobject: 'Opportunity', files: ['Opportunities.json'] },
      ]),
    );

    const report = await importFile(plan);

    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(await gateway.countRecords('Account')).toBe(0);
    expect(report.problems.map((p) => [p.origin, p.objectName])).toEqual([
      ['plan.json entry 1', 'Acount'],
      ['plan.json entry 2', 'Widget__c'],
    ]);
    expect(report.problems[0]!.reason).toBe(
      'object "Acount" is not in the org schema; did you mean Account?; ' +
        "the entry's 2 records were not imported; set its sobject to an object that force-app defines or a standard object the product uses, or remove the entry",
    );
    expect(report.problems[1]!.reason).toMatch(
      /^object "Widget__c" is not in the org schema; the entry's 1 record was not imported/,
    );
  });

  it('lists records whose type differs from the entry', async () => {
    writeFileSync(
      path.join(dir, 'Opportunities.json'),
      JSON.stringify({
        records: [
          {
            attributes: { type: 'Opportunity' },
            Name: 'Deal',
            StageName: 'Prospecting',
            CloseDate: '2027-01-31',
          },
          { attributes: { type: 'Account' }, Name: 'Acme' },
        ],
      }),
    );
    const plan = path.join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify([
        { sobject: 'Opportunity', files: ['Opportunities.json'] },
      ]),
    );

    const report = await importFile(plan);

    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(await gateway.countRecords('Account')).toBe(0);
    expect(report.problems).toEqual([
      {
        origin: 'Opportunities.json#2',
        objectName: 'Account',
        reason:
          'has attributes.type "Account", but plan.json entry 1 has sobject "Opportunity", so the record was not imported; ' +
          "move the record to the data file of a plan entry for Account, or correct the record's attributes.type or the entry's sobject",
      },
    ]);
  });

  it('rejects a plan without entries', async () => {
    const plan = path.join(dir, 'plan.json');
    writeFileSync(plan, '[]');
    await expect(readDataTree(plan)).rejects.toThrow(ImportFileError);
    await expect(readDataTree(plan)).rejects.toThrow(
      `${plan}: is a data tree plan with no entries, so nothing was imported`,
    );
  });

  it('rejects a plan whose data files are empty', async () => {
    writeFileSync(path.join(dir, 'Accounts.json'), '{"records": []}');
    const plan = path.join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify([{ sobject: 'Account', files: ['Accounts.json'] }]),
    );
    await expect(readDataTree(plan)).rejects.toThrow(
      `${plan}: lists data files with no records, so nothing was imported`,
    );
    await expect(readDataTree(path.join(dir, 'Accounts.json'))).rejects.toThrow(
      `${path.join(dir, 'Accounts.json')}: has an empty "records" array, so nothing was imported`,
    );
  });

  it('reads a data file in a subfolder of the plan', async () => {
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(
      path.join(dir, 'data', 'Accounts.json'),
      JSON.stringify({
        records: [{ attributes: { type: 'Account' }, Name: 'Acme' }],
      }),
    );
    const plan = path.join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify([{ sobject: 'Account', files: ['data/Accounts.json'] }]),
    );
    const records = await readDataTree(plan);
    expect(records.map((r) => r.fields['Name'])).toEqual(['Acme']);
  });
});

describe('Data Loader CSV import', () => {
  it('loads opportunities, widening 15-character Ids', async () => {
    const report = await importFile(path.join(CSV, 'opportunities.csv'));
    expect(report.loaded).toEqual({ Opportunity: 3 });
    expect(report.skippedFields).toEqual([
      'Opportunity.FISCALQUARTER',
      'Opportunity.IsClosed',
      'Opportunity.IsWon',
    ]);
    const [won] = await gateway.queryRecords('Opportunity', {
      where: { Id: '0065e00000AbCdFAAV' },
    });
    expect(won?.['IsWon']).toBe(true);
    expect(won?.['Amount']).toBe(48000.5);
    expect(await gateway.countRecords('Opportunity')).toBe(3);
    const [widened] = await gateway.queryRecords('Opportunity', {
      where: { Id: '0065e00000AbCdGAAV' },
    });
    expect(widened?.['CurrencyIsoCode']).toBe('EUR');
  });

  it('loads the good rows and lists each bad one with its reason', async () => {
    const report = await importFile(path.join(CSV, 'malformed.csv'));
    expect(report.loaded).toEqual({ Opportunity: 1 });
    const reasons = report.problems.map((p) => `${p.origin}: ${p.reason}`);
    expect(reasons).toHaveLength(4);
    expect(reasons[0]).toMatch(/line 3: .*006-broken-id/);
    expect(reasons.join('\n')).toMatch(/line 4: .*"lots"/);
    expect(reasons.join('\n')).toMatch(/line 5: .*YYYY-MM-DD/);
    expect(reasons.join('\n')).toMatch(/line 6: .*does not start with 006/);
    expect(report.problems.map((p) => p.origin)).toEqual([
      'malformed.csv line 3',
      'malformed.csv line 4',
      'malformed.csv line 5',
      'malformed.csv line 6',
    ]);
  });

  it('lists values Salesforce would reject', async () => {
    const file = path.join(dir, 'out-of-range.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","PROBABILITY","CURRENCYISOCODE"\n' +
        '"Good","Prospecting","2027-01-01","40","CHF"\n' +
        '"Too likely","Prospecting","2027-01-01","500","USD"\n' +
        '"Negative","Prospecting","2027-01-01","-5","USD"\n' +
        '"Made-up currency","Prospecting","2027-01-01","10","ZZZ"\n',
    );

    const report = await importFile(file);

    expect(report.loaded).toEqual({ Opportunity: 1 });
    const deals = await gateway.queryRecords('Opportunity');
    expect(deals.map((d) => d['Name'])).toEqual(['Good']);
    expect(report.problems.map((p) => p.origin)).toEqual([
      'out-of-range.csv line 3',
      'out-of-range.csv line 4',
      'out-of-range.csv line 5',
    ]);
    expect(report.problems[0]!.reason).toContain(
      'Probability = "500": is outside the range of this field; use a value from 0 to 100',
    );
    expect(report.problems[1]!.reason).toContain(
      'Probability = "-5": is outside the range of this field; use a value from 0 to 100',
    );
    expect(report.problems[2]!.reason).toContain(
      'CurrencyIsoCode = "ZZZ": is not a current ISO 4217 currency code; use a three-letter code in capitals, such as USD or EUR',
    );
    // Each reason is about its own record, not the batch it was first written in.
    for (const problem of report.problems) {
      expect(problem.reason).not.toContain('batch');
    }
  });

  it('rounds a percent and reimports it unchanged', async () => {
    const file = path.join(dir, 'rounded.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","PROBABILITY","AMOUNT"\n' +
        '"Likely","Prospecting","2027-01-01","99.5","1250.505"\n',
    );

    const report = await importFile(file);

    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.notes).toEqual([
      {
        origin: 'rounded.csv line 2',
        objectName: 'Opportunity',
        note: 'Probability "99.5" was rounded to 100, because the field has 0 decimal places',
      },
      {
        origin: 'rounded.csv line 2',
        objectName: 'Opportunity',
        note: 'Amount "1250.505" was rounded to 1250.51, because the field has 2 decimal places',
      },
    ]);
    const [deal] = await gateway.queryRecords('Opportunity');
    expect(deal?.['Probability']).toBe(100);

    const again = await importFile(file);
    expect(again.loaded).toEqual({});
    expect(again.unchanged).toEqual({ Opportunity: 1 });
    expect(again.notes).toEqual([]);
  });

  it('reports an unknown object once for all its records', async () => {
    const report = await importRecords(
      ['row 2', 'row 3', 'row 4'].map((origin) => ({
        objectName: 'Acount',
        origin,
        fields: { Name: origin },
      })),
      await gateway.describeSchema(),
      gateway,
    );
    expect(report.problems).toEqual([
      {
        origin: 'row 2 and 2 more',
        objectName: 'Acount',
        reason: expect.stringContaining(
          'object "Acount" is not in the org schema; did you mean Account?',
        ),
      },
    ]);
  });

  it('rejects a CSV with an unterminated quote', async () => {
    const read = readDataLoaderCsv(path.join(CSV, 'broken-quotes.csv'));
    await expect(read).rejects.toThrow(
      /broken-quotes\.csv: has a misplaced quote in the record that starts on line 2 \(.*\), so nothing was imported; inside a quoted cell write each " as ""/,
    );
  });

  it('names the line of a misplaced quote', async () => {
    // Enough rows that the parser has buffered records the loop has not read.
    const good = Array.from(
      { length: 3000 },
      (_, i) => `"Deal ${i}","Prospecting","2027-01-01"\n`,
    );
    const file = path.join(dir, 'quote.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE"\n' +
        '"Two\nlines","Prospecting","2027-01-01"\n' +
        good.join('') +
        '"Say "hi"","Prospecting","2027-01-01"\n' +
        '"After","Prospecting","2027-01-01"\n',
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      'has a misplaced quote in the record that starts on line 3004 (Invalid Closing Quote',
    );
  });

  it('names the header for a quote in it', async () => {
    const file = path.join(dir, 'header.csv');
    writeFileSync(file, '"NAME","STAGE"NAME"\n"Deal","Prospecting"\n');
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      'has a misplaced quote in the header (line 1)',
    );
  });

  it('numbers rows after a cell that spans lines', async () => {
    const file = path.join(dir, 'spans.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","AMOUNT"\n' +
        '"Two\nlines","Prospecting","2027-01-01","1"\n' +
        '"Bad amount","Prospecting","2027-01-01","lots"\n',
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.problems.map((p) => p.origin)).toEqual(['spans.csv line 4']);
  });

  it('numbers rows after a CRLF cell that spans lines', async () => {
    const file = path.join(dir, 'spans-crlf.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","AMOUNT"\r\n' +
        '"Two\r\nlines","Prospecting","2027-01-01","1"\r\n' +
        '"Bad amount","Prospecting","2027-01-01","lots"\r\n' +
        '"Also bad","Prospecting","2027-01-01","more"\r\n',
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.problems.map((p) => p.origin)).toEqual([
      'spans-crlf.csv line 4',
      'spans-crlf.csv line 5',
    ]);
  });

  it.each([
    ['0 bytes', ''],
    ['only newlines', '\n\r\n\n'],
    ['only whitespace', '   \n\t \n  '],
    ['only a byte order mark', '\uFEFF'],
  ])('names an empty CSV of %s', async (_what, content) => {
    const file = path.join(dir, 'empty.csv');
    writeFileSync(file, content);
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: is empty and has no header row; export the records again with Data Loader`,
    );
  });

  it('rejects a Windows-1252 CSV naming the line', async () => {
    const file = path.join(dir, 'cp1252.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(
          '"NAME","STAGENAME","CLOSEDATE"\n"Plain","Prospecting","2027-01-01"\n"Caf',
        ),
        Buffer.from([0xe9]),
        Buffer.from('","Prospecting","2027-01-01"\n'),
      ]),
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(ImportFileError);
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: is not valid UTF-8: line 3 has the byte 0xE9`,
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      'save the file as UTF-8, for example in Excel\'s "CSV UTF-8 (Comma delimited)" format',
    );
  });

  it('reads UTF-8 across read chunks, then names a late line', async () => {
    // Past createReadStream's 64 KiB chunks, so characters straddle them.
    const row = '"Café €","Prospecting","2027-01-01"\n';
    const rows = row.repeat(3000);
    const file = path.join(dir, 'long.csv');
    writeFileSync(file, '"NAME","STAGENAME","CLOSEDATE"\n' + rows);
    const records = await readDataLoaderCsv(file);
    expect(records).toHaveLength(3000);
    expect(records.every((r) => r.fields['NAME'] === 'Café €')).toBe(true);

    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('"NAME","STAGENAME","CLOSEDATE"\n' + rows),
        Buffer.from([0x93]),
        Buffer.from('quoted","Prospecting","2027-01-01"\n'),
      ]),
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: is not valid UTF-8: line 3002 has the byte 0x93`,
    );
  });

  it('names the line of a bad byte in a CR-only CSV', async () => {
    const file = path.join(dir, 'mac.csv');
    const rows = '"Plain","Prospecting","2027-01-01"\r';
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('"NAME","STAGENAME","CLOSEDATE"\r' + rows + '"Caf'),
        Buffer.from([0x8e]),
        Buffer.from('","Prospecting","2027-01-01"\r'),
      ]),
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: is not valid UTF-8: line 3 has the byte 0x8E`,
    );

    writeFileSync(file, '"NAME","STAGENAME","CLOSEDATE"\r' + rows.repeat(2));
    expect(await readDataLoaderCsv(file)).toHaveLength(2);
  });

  it('counts a CRLF split across read chunks once', async () => {
    const header = '"NAME","STAGENAME","CLOSEDATE"\r\n';
    const row = '"Plain","Prospecting","2027-01-01"\r\n';
    // Pads the first name so that a CR is the last byte of the first 64 KiB chunk.
    const rowCount = Math.floor((65536 - header.length) / row.length);
    const padding = 65537 - header.length - rowCount * row.length;
    const padded = `"Plain${'x'.repeat(padding)}","Prospecting","2027-01-01"\r\n`;
    const text = header + padded + row.repeat(rowCount - 1);
    expect(text.slice(65535, 65537)).toBe('\r\n');
    const file = path.join(dir, 'split-crlf.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(text),
        Buffer.from('"Caf'),
        Buffer.from([0xe9]),
        Buffer.from('","Prospecting","2027-01-01"\r\n'),
      ]),
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: is not valid UTF-8: line ${rowCount + 2} has the byte 0xE9`,
    );
  });

  it('reads a CSV with a UTF-8 byte order mark', async () => {
    const file = path.join(dir, 'bom.csv');
    writeFileSync(
      file,
      '\uFEFF"NAME","STAGENAME","CLOSEDATE"\n"Café","Prospecting","2027-01-01"\n',
    );
    const records = await readDataLoaderCsv(file);
    expect(records).toHaveLength(1);
    expect(records[0]!.fields['NAME']).toBe('Café');
  });

  it('rejects a UTF-16 CSV by its byte order mark', async () => {
    const file = path.join(dir, 'utf16.csv');
    writeFileSync(
      file,
      Buffer.from('\uFEFF"NAME","STAGENAME","CLOSEDATE"\n', 'utf16le'),
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: is encoded as UTF-16 (it starts with a UTF-16 byte order mark), so nothing was imported; save the file as UTF-8`,
    );
  });

  it.each([
    ['UTF-16LE with é', Buffer.from('"NAME"\n"Café"\n', 'utf16le')],
    ['UTF-16LE ASCII', Buffer.from('"NAME"\n"Plain"\n', 'utf16le')],
    ['UTF-16BE ASCII', Buffer.from('"NAME"\n"Plain"\n', 'utf16le').swap16()],
    [
      'UTF-16LE CJK start',
      Buffer.from('名前,"STAGENAME","CLOSEDATE"\n', 'utf16le'),
    ],
  ])('rejects a %s CSV without a mark', async (_name, bytes) => {
    const file = path.join(dir, 'utf16-no-bom.csv');
    writeFileSync(file, bytes);
    await expect(readDataLoaderCsv(file)).rejects.toThrow(ImportFileError);
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: looks like UTF-16 without a byte order mark (its first bytes contain zero bytes, as UTF-16 text does), so nothing was imported; save the file as UTF-8`,
    );
  });

  it('rejects a UTF-16 data tree file without a mark', async () => {
    const file = path.join(dir, 'utf16-no-bom.json');
    writeFileSync(file, Buffer.from('{"records": []}\n', 'utf16le'));
    await expect(readDataTree(file)).rejects.toThrow(
      `${file}: looks like UTF-16 without a byte order mark (its first bytes contain zero bytes, as UTF-16 text does), so nothing was imported; save the file as UTF-8 in your editor`,
    );
  });

  it('rejects a CSV that ends inside a character', async () => {
    const file = path.join(dir, 'cut.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(
          '"NAME","STAGENAME","CLOSEDATE"\n"Plain","Prospecting","2027-01-01"\n',
        ),
        Buffer.from([0xe2, 0x82]),
      ]),
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: ends inside a UTF-8 character on line 3, so nothing was imported`,
    );
  });

  it('rejects a Latin-1 data tree file naming the line', async () => {
    const file = path.join(dir, 'latin1.json');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(
          '{"records": [\n  {"attributes": {"type": "Account", "referenceId": "A1"},\n   "Name": "Caf',
        ),
        Buffer.from([0xe9]),
        Buffer.from('"}\n]}\n'),
      ]),
    );
    await expect(readDataTree(file)).rejects.toThrow(ImportFileError);
    await expect(readDataTree(file)).rejects.toThrow(
      `${file}: is not valid UTF-8: line 3 has the byte 0xE9`,
    );
    await expect(readDataTree(file)).rejects.toThrow(
      'save the file as UTF-8 in your editor, or export it again with sf data export tree',
    );
  });

  it('rejects a column named twice', async () => {
    const file = path.join(dir, 'twice.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","Name"\n' +
        '"Kept","Prospecting","2027-01-01","Lost"\n',
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(ImportFileError);
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: names the column "Name" twice in the header (columns 1 and 4), so nothing was imported; remove or rename one of them`,
    );
  });

  it.each([
    [
      'sep.csv',
      'sep=,\nNAME,STAGENAME\nKept,Prospecting\n',
      'starts with the spreadsheet line "sep=," instead of the header row',
    ],
    [
      'semicolons.csv',
      'NAME;STAGENAME\nKept;Prospecting\n',
      'has a semicolon in the header column "NAME;STAGENAME"',
    ],
    [
      'tabs.csv',
      'NAME\tSTAGENAME\nKept\tProspecting\n',
      'has a tab in the header column "NAME\\tSTAGENAME"',
    ],
    [
      'mixed.csv',
      'NAME;DESCRIPTION,STAGENAME\nKept;Text,Prospecting\n',
      'has a semicolon in the header column "NAME;DESCRIPTION"',
    ],
    [
      'sep-semicolon.csv',
      'sep=;\nNAME;STAGENAME\nKept;Prospecting\n',
      'starts with the spreadsheet line "sep=;" instead of the header row, so nothing was imported; save the file as CSV UTF-8 with commas',
    ],
  ])('rejects the spreadsheet dialect of %s', async (name, text, message) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    await expect(readDataLoaderCsv(file)).rejects.toThrow(ImportFileError);
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: ${message}`,
    );
  });

  it('hints at the separator on a quoted header', async () => {
    const file = path.join(dir, 'quoted-semicolons.csv');
    writeFileSync(file, '"NAME";"STAGENAME"\n"Kept";"Prospecting"\n');
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: has a misplaced quote in the header (line 1)`,
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      'if the file separates cells with semicolons or tabs, save the file as CSV UTF-8 with commas',
    );
  });

  it('rejects a repeated header row', async () => {
    const file = path.join(dir, 'joined.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE"\n' +
        '"First","Prospecting","2027-01-01"\n' +
        '"Name","StageName","CloseDate"\n' +
        '"Second","Prospecting","2027-01-01"\n',
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: repeats the header row on line 3, as when two exports are joined, so nothing was imported`,
    );
  });

  it('lists text with control characters', async () => {
    const file = path.join(dir, 'control.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE"\n' +
        '"Tabs\tand\nlines","Prospecting","2027-01-01"\n' +
        '"Bell\u0007","Prospecting","2027-01-01"\n' +
        '"Delete\u007f","Prospecting","2027-01-01"\n',
    );

    const report = await importFile(file);

    expect(report.loaded).toEqual({ Opportunity: 1 });
    const deals = await gateway.queryRecords('Opportunity');
    expect(deals.map((d) => d['Name'])).toEqual(['Tabs\tand\nlines']);
    // The first record spans lines 2 and 3.
    expect(report.problems.map((p) => p.origin)).toEqual([
      'control.csv line 4',
      'control.csv line 5',
    ]);
    expect(report.problems[0]!.reason).toContain(
      'Name = "Bell\\u0007": contains the control character U+0007; remove it',
    );
    expect(report.problems[1]!.reason).toContain(
      'Name = "Delete\u007f": contains the control character U+007F; remove it',
    );
  });

  it('lists text with bidirectional controls', async () => {
    const file = path.join(dir, 'bidi.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","ACE_CUSTOMER_BUSINESS_PROBLEM__C"\n' +
        '"Plain","Prospecting","2027-01-01",""\n' +
        '"Invoice \u202Egnp.exe","Prospecting","2027-01-01",""\n' +
        '"Isolated","Prospecting","2027-01-01","a \u2066b\u2069"\n',
    );

    const report = await importFile(file);

    expect(report.loaded).toEqual({ Opportunity: 1 });
    const deals = await gateway.queryRecords('Opportunity');
    expect(deals.map((d) => d['Name'])).toEqual(['Plain']);
    expect(report.problems.map((p) => p.origin)).toEqual([
      'bidi.csv line 3',
      'bidi.csv line 4',
    ]);
    expect(report.problems[0]!.reason).toBe(
      'Name "Invoice \\u202Egnp.exe" contains the bidirectional control character U+202E, ' +
        'which makes the text display in another order than it is stored; remove it (U+202A to U+202E, U+2066 to U+2069)',
    );
    expect(report.problems[1]!.reason).toContain(
      'ACE_Customer_Business_Problem__c "a \\u2066b\\u2069" contains the bidirectional control character U+2066',
    );
    expect(report.problems[1]!.reason).not.toMatch(
      /[\u202A-\u202E\u2066-\u2069]/,
    );
  });

  it.each([
    ['a missing cell', '"B","Prospecting"', 2],
    ['an extra cell', '"B","Prospecting","2027-01-01",""', 4],
  ])('names the line of a row with %s', async (_case, row, cells) => {
    const file = path.join(dir, 'cells.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE"\n' +
        '"Two\nlines","Prospecting","2027-01-01"\n' +
        `${row}\n` +
        '"After","Prospecting","2027-01-01"\n',
    );
    await expect(readDataLoaderCsv(file)).rejects.toThrow(ImportFileError);
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: has ${cells} cells in the record that starts on line 4, but the header has 3 columns, so nothing was imported; ` +
        'give every row as many cells as the header, quote every cell that contains a comma, and import the file again',
    );
  });

  it('gives number examples that fit the field', async () => {
    const file = path.join(dir, 'numbers.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","PROBABILITY","AMOUNT"\n' +
        '"Odds","Prospecting","2027-01-01","NaN","10"\n' +
        '"Money","Prospecting","2027-01-01","10","lots"\n',
    );

    const report = await importFile(file);

    expect(report.problems.map((p) => p.reason)).toEqual([
      'Probability "NaN" is not a number; use a percentage without the % sign, such as 40',
      'Amount "lots" is not a number; use an amount such as 1250.50',
    ]);
  });

  it('names the digit limit of an exponent', async () => {
    const file = path.join(dir, 'exponent.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","AMOUNT"\n' +
        '"Huge","Prospecting","2027-01-01","1e308"\n' +
        '"Scientific","Prospecting","2027-01-01","1.5e3"\n',
    );

    const report = await importFile(file);

    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.problems.map((p) => p.reason)).toEqual([
      'Amount = "1e308": has 309 digits before the decimal point, which with this field\'s 2 decimal places makes 311 digits, ' +
        'but records are read as double-precision numbers, which keep 15 exactly; use a value from -9999999999999.99 to 9999999999999.99',
    ]);
    const [deal] = await gateway.queryRecords('Opportunity');
    expect(deal?.['Amount']).toBe(1500);
  });

  it('names a JSON number beyond a double', async () => {
    const file = path.join(dir, 'infinite.json');
    writeFileSync(
      file,
      '{"records": [{"attributes": {"type": "Opportunity"}, "Name": "Huge", ' +
        '"StageName": "Prospecting", "CloseDate": "2027-01-01", "Amount": 1e400}]}',
    );

    const report = await importFile(file);

    expect(report.loaded).toEqual({});
    expect(report.problems.map((p) => p.reason)).toEqual([
      'Amount is a JSON number out of range: its magnitude is above 1.8e308, the largest double-precision number, ' +
        'so JSON.parse reads it as Infinity; use an amount such as 1250.50',
    ]);
  });

  it('names a CSV with only a header', async () => {
    const file = path.join(dir, 'header-only.csv');
    writeFileSync(file, '"NAME","STAGENAME","CLOSEDATE"\n\n');
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: has a header but no records`,
    );
  });

  it.each([
    ['a missing file', 'missing.csv', 'does not exist; check the path'],
    ['a folder', '.', 'is a folder; pass the CSV file'],
  ])('names %s given as the CSV', async (_what, name, message) => {
    const file = path.join(dir, name);
    await expect(readDataLoaderCsv(file)).rejects.toThrow(
      `${file}: ${message}`,
    );
  });
});

/** Runs the built import script into the store `dbPath`, by default on the malformed CSV. */
function runImport(
  dbPath: string,
  args: string[] = [path.join(CSV, 'malformed.csv')],
) {
  const run = promisify(execFile);
  return run(
    process.execPath,
    ['dist/scripts/import.js', ...args, '--db', dbPath],
    {
      env: { ...process.env, COSELL_PACKAGE_DIR: path.resolve('force-app') },
    },
  ).catch((error: { code: number; stdout: string; stderr: string }) => error);
}

describe('npm run import', () => {
  it('exits 1 and lists the rows it did not import', async () => {
    const result = await runImport(path.join(dir, 'cli.db'));
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stdout).toContain('Loaded 1 Opportunity record');
    expect(result.stderr).toContain('Not imported: malformed.csv line 3');
  });

  it('names a new store as created', async () => {
    const dbPath = path.join(dir, 'new.db');
    const file = path.join(CSV, 'malformed.csv');
    const first = await runImport(dbPath, [file]);
    expect(first.stdout).toContain(`Store: ${dbPath} (created)\n`);
    const again = await runImport(dbPath, [file]);
    expect(again.stdout).toContain(`Store: ${dbPath}\n`);
  });

  it('removes a new store when nothing loads', async () => {
    const parent = path.join(dir, 'made');
    const dbPath = path.join(parent, 'sub', 'none.db');
    const file = path.join(dir, 'all-bad.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE"\n"Bad date","Prospecting","2027-13-01"\n',
    );

    const result = await runImport(dbPath, [file]);

    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stderr).toContain('Not imported: all-bad.csv line 2');
    expect(result.stdout).toContain(
      `Store: ${dbPath} (not created, because no record was imported)\n`,
    );
    expect(existsSync(parent)).toBe(false);
  });

  it('keeps an existing store when nothing loads', async () => {
    const dbPath = path.join(dir, 'kept.db');
    await runImport(dbPath, [path.join(CSV, 'malformed.csv')]);
    const file = path.join(dir, 'all-bad.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE"\n"Bad date","Prospecting","2027-13-01"\n',
    );

    const result = await runImport(dbPath, [file]);

    expect(result.stdout).toContain(`Store: ${dbPath}\n`);
    expect(existsSync(dbPath)).toBe(true);
  });

  it('exits 2 on a plan without entries', async () => {
    const dbPath = path.join(dir, 'empty-plan.db');
    const plan = path.join(dir, 'plan.json');
    writeFileSync(plan, '[]');
    const result = await runImport(dbPath, [plan]);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      `${plan}: is a data tree plan with no entries, so nothing was imported; ` +
        'export the records again with sf data export tree --plan, or pass a plan that lists data files\n',
    );
    expect(existsSync(dbPath)).toBe(false);
  });

  it('notes a rounded value, then reports it unchanged', async () => {
    const file = path.join(dir, 'rounded.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","PROBABILITY"\n' +
        '"Likely","Prospecting","2027-01-01","99.5"\n',
    );
    const dbPath = path.join(dir, 'rounded.db');

    const first = await runImport(dbPath, [file]);
    expect('code' in first ? first.code : 0).toBe(0);
    expect(first.stdout).toContain('Loaded 1 Opportunity record\n');
    expect(first.stdout).toContain(
      'Note: rounded.csv line 2 (Opportunity): Probability "99.5" was rounded to 100, because the field has 0 decimal places\n',
    );

    const again = await runImport(dbPath, [file]);
    expect(again.stdout).not.toContain('Loaded');
    expect(again.stdout).not.toContain('Note:');
    expect(again.stdout).toContain(
      'Unchanged 1 Opportunity record (already in the store)',
    );
  });

  it('escapes skipped header names in its output', async () => {
    const file = path.join(dir, 'bidi-header.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE","Evil\u202eField","Tab\tbed","Del\u007f","Plain__x"\n' +
        '"Deal","Prospecting","2027-01-01","x","y","z","w"\n',
    );
    const result = await runImport(path.join(dir, 'bidi-header.db'), [file]);
    expect('code' in result ? result.code : 0).toBe(0);
    expect(result.stdout).toContain(
      ': Opportunity."Del\\u007F", Opportunity."Evil\\u202EField", Opportunity."Tab\\tbed", Opportunity.Plain__x\n',
    );
    expect(result.stdout).not.toContain('\u007f');
    expect(result.stdout).not.toContain('\u202e');
    expect(result.stdout).not.toContain('\t');
  });

  it('escapes an object name in its problem lines', async () => {
    const planDir = path.join(dir, 'bidi-plan');
    mkdirSync(planDir);
    writeFileSync(
      path.join(planDir, 'data.json'),
      JSON.stringify({
        records: [
          {
            attributes: { type: 'Bad\u202eObject', referenceId: 'R1' },
            Name: 'x',
          },
        ],
      }),
    );
    const plan = path.join(planDir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify([{ sobject: 'Bad\u202eObject', files: ['data.json'] }]),
    );
    const result = await runImport(path.join(dir, 'bidi-plan.db'), [plan]);
    expect(result.stderr).toContain(
      'Not imported: plan.json entry 1 ("Bad\\u202EObject"): ',
    );
    expect(result.stderr).not.toContain('\u202e');
  });

  it('caps a huge rejected value in its output', async () => {
    const file = path.join(dir, 'huge.csv');
    const huge = 'x'.repeat(2_000_000);
    writeFileSync(
      file,
      `"NAME","STAGENAME","CLOSEDATE","${huge}","AMOUNT"\n` +
        `"Deal","Prospecting","2027-01-01","1","${huge}"\n`,
    );
    const result = await runImport(path.join(dir, 'huge.db'), [file]);
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stderr).toContain('(2000000 characters)');
    expect(result.stdout).toContain('(2000000 characters)');
    expect(result.stderr.length).toBeLessThan(1000);
    expect(result.stdout.length).toBeLessThan(1000);
  });

  it('exits 2 on an unknown --object before opening the store', async () => {
    const dbPath = path.join(dir, 'typo.db');
    const result = await runImport(dbPath, [
      path.join(CSV, 'opportunities.csv'),
      '--object',
      'Acount',
    ]);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain(
      '--object "Acount": object "Acount" is not in the org schema; did you mean Account?',
    );
    expect(existsSync(dbPath)).toBe(false);
  });

  it('exits 2 on --object with a data tree file', async () => {
    const result = await runImport(path.join(dir, 'tree.db'), [
      PLAN,
      '--object',
      'Account',
    ]);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain(
      '--object applies only to a Data Loader CSV',
    );
  });

  it('exits 2 on a missing file before creating the store', async () => {
    const dbPath = path.join(dir, 'never.db');
    const result = await runImport(dbPath, [path.join(dir, 'missing.csv')]);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain('does not exist; check the path');
    expect(existsSync(dbPath)).toBe(false);
  });

  it('exits 2 on a folder as the store', async () => {
    const parent = path.join(dir, 'parent');
    const folder = path.join(parent, 'store');
    mkdirSync(folder, { recursive: true });
    const result = await runImport(folder);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      `The store path ${folder} is a folder, not a store file; set COSELL_DB_PATH or --db to a file path, such as ${path.join(folder, 'cosell.db')}\n`,
    );
    expect(readdirSync(folder)).toEqual([]);
    expect(readdirSync(parent)).toEqual(['store']);
  });

  it.each([
    [':memory:', 'names an in-memory database'],
    ['', 'is empty, not a file path'],
  ])('exits 2 on --db %j without a stack', async (dbPath, problem) => {
    const result = await runImport(dbPath);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      `The store path ${JSON.stringify(dbPath)} ${problem}` +
        (dbPath === ':memory:'
          ? ', and the store needs a file that other connections can open'
          : '') +
        '; set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
    );
  });

  (existsSync('/proc/self') ? it : it.skip)(
    'exits 2 on a folder under /proc',
    async () => {
      const dbPath = '/proc/cosell-missing/store.db';

      // Node's recursive mkdir loops forever on procfs, so the import gets a timeout.
      const result = await runNode(
        [
          'dist/scripts/import.js',
          path.join(CSV, 'malformed.csv'),
          '--db',
          dbPath,
        ],
        { ...process.env, COSELL_PACKAGE_DIR: path.resolve('force-app') },
        10_000,
      );

      expect(result.signal).toBeNull();
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `The store path ${JSON.stringify(dbPath)} cannot be used, because creating the folder /proc/cosell-missing failed (ENOENT); ` +
          'set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
      );
    },
    30_000,
  );

  it('exits 2 on a FIFO store', async () => {
    const fifo = path.join(dir, 'store.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await runImport(fifo);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      `The store path ${JSON.stringify(fifo)} is a FIFO, not a regular file; ` +
        'set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
    );
  });

  it('exits 2 on a dangling symbolic link store', async () => {
    const link = path.join(dir, 'dangling.db');
    const target = path.join(dir, 'missing', 'store.db');
    symlinkSync(target, link);
    const result = await runImport(link);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      `The store path ${JSON.stringify(link)} is a symbolic link to ${target}, which does not exist; ` +
        'fix the link, or name the target itself to create a store there; ' +
        'set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
    );
    expect(existsSync(path.join(dir, 'missing'))).toBe(false);
  });

  it('creates nothing at a link target in an existing folder', async () => {
    const link = path.join(dir, 'dangling-here.db');
    const target = path.join(dir, 'target.db');
    symlinkSync(target, link);
    const result = await runImport(link);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain(`is a symbolic link to ${target}`);
    expect(existsSync(target)).toBe(false);
  });

  it('exits 2 on a symbolic link loop', async () => {
    const first = path.join(dir, 'loop-a.db');
    const second = path.join(dir, 'loop-b.db');
    symlinkSync(second, first);
    symlinkSync(first, second);
    const result = await runImport(first);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain('that leads back to itself');
  });

  it('exits 2 below a symbolic link loop folder', async () => {
    const loop = path.join(dir, 'loop1');
    symlinkSync(path.join(dir, 'loop2'), loop);
    symlinkSync(loop, path.join(dir, 'loop2'));
    const dbPath = path.join(loop, 'x.db');
    const result = await runImport(dbPath);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      `The store path ${JSON.stringify(dbPath)} cannot be used, because a symbolic link on the way to ${dbPath} leads back to itself (ELOOP); ` +
        'point the link at a folder; set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
    );
  });

  it.each([['x.db'], ['sub/x.db']])(
    'exits 2 on --db below a file (%s)',
    async (below) => {
      const file = path.join(dir, 'pfile');
      writeFileSync(file, '');
      const dbPath = path.join(file, below);
      const result = await runImport(dbPath);
      expect('code' in result ? result.code : 0).toBe(2);
      expect(result.stderr).toBe(
        `The store path ${JSON.stringify(dbPath)} cannot be used, because ${file} is a file, not a folder; ` +
          'set COSELL_DB_PATH or --db to a file in a folder you can write, such as .cosell/cosell.db\n',
      );
    },
  );

  it('exits 2 on a foreign file without a stack', async () => {
    const foreign = path.join(dir, 'foreign.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.close();
    const result = await runImport(foreign);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain(
      `${foreign} is a SQLite database of another application (tables notes)`,
    );
    expect(result.stderr).toContain('(COSELL_DB_PATH or --db)');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 2 on a text file as the store', async () => {
    const text = path.join(dir, 'text.db');
    writeFileSync(text, 'not a database\n');
    const result = await runImport(text);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toBe(
      'The local store file cannot be used:\n' +
        `- ${text} is not a SQLite database, so it cannot be a Cosell Stages store; ` +
        'set the store path (COSELL_DB_PATH or --db) to a Cosell Stages store or to a new file, which becomes an empty store\n',
    );
    expect(readFileSync(text, 'utf8')).toBe('not a database\n');
    expect(existsSync(`${text}-wal`)).toBe(false);
  });
});

describe('import messages', () => {
  const huge = 'x'.repeat(1_000_000);
  const deal = {
    Name: 'Deal',
    StageName: 'Prospecting',
    CloseDate: '2027-01-01',
  };
  it.each([
    ['an invalid Amount', 'Opportunity', { ...deal, Amount: huge }],
    ['an invalid Id', 'Opportunity', { ...deal, Id: huge }],
    ['a missing reference', 'Opportunity', { ...deal, AccountId: `@${huge}` }],
    ['an unknown object', huge, deal],
  ])('caps %s at 80 characters', async (_what, objectName, fields) => {
    const report = await importRecords(
      [{ objectName, origin: 'huge.json#1', fields }],
      await gateway.describeSchema(),
      gateway,
    );
    expect(report.problems).toHaveLength(1);
    const reason = report.problems[0]!.reason;
    expect(reason).toMatch(/x{70,80}…"? \(100000[01] characters\)/);
    expect(reason.length).toBeLessThan(400);
  });

  it('caps a huge unknown field name', async () => {
    const report = await importRecords(
      [
        {
          objectName: 'Opportunity',
          origin: 'huge.json#1',
          fields: { ...deal, [huge]: '1' },
        },
      ],
      await gateway.describeSchema(),
      gateway,
    );
    expect(report.skippedFields).toHaveLength(1);
    expect(report.skippedFields[0]!.length).toBeLessThan(150);
  });
});

describe('import protections', () => {
  it('leaves the co-sell stage and workflow records to stage moves', async () => {
    const file = path.join(dir, 'hijack.csv');
    writeFileSync(
      file,
      '"ID","NAME","STAGENAME","CLOSEDATE","COSELL_STAGE__C","COSELL_STAGE_VERSION__C"\n' +
        '"0065e00000AbCdHAAV","Deal","Prospecting","2027-01-01","Closed_Attributed","7"\n',
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.skippedFields).toEqual(
      expect.arrayContaining([
        'Opportunity.Cosell_Stage__c',
        'Opportunity.Cosell_Stage_Version__c',
      ]),
    );
    const [deal] = await gateway.queryRecords('Opportunity', {
      where: { Id: '0065e00000AbCdHAAV' },
    });
    expect(deal?.['Cosell_Stage__c']).toBeNull();
    const transitions = await importRecords(
      [
        {
          objectName: 'Stage_Transition__c',
          origin: 'forged#1',
          fields: { To_Stage__c: 'Closed_Attributed' },
        },
      ],
      await gateway.describeSchema(),
      gateway,
    );
    expect(transitions.problems[0]?.reason).toContain(
      'written only by the middleware',
    );
    expect(await gateway.countRecords('Stage_Transition__c')).toBe(0);
  });

  it.each([
    [
      '2027-02-30',
      'is not a calendar date: 2027-02-30 does not exist, so check the month and day',
    ],
    [
      '2027-13-01',
      'is not a calendar date: 2027-13-01 does not exist, so check the month and day',
    ],
    ['2027-2-3', 'is not a date in YYYY-MM-DD form'],
  ])('lists the CloseDate %s', async (date, detail) => {
    const file = path.join(dir, 'dates.csv');
    writeFileSync(
      file,
      `"NAME","STAGENAME","CLOSEDATE"\n"Dated","Prospecting","${date}"\n`,
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({});
    expect(report.problems.map((problem) => problem.reason)).toEqual([
      `CloseDate "${date}" ${detail}`,
    ]);
  });

  it('lists a deal with an empty StageName', async () => {
    const file = path.join(dir, 'no-stage.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE"\n' +
        '"No stage","","2027-01-01"\n' +
        '"Staged","Prospecting","2027-01-01"\n',
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.problems).toEqual([
      {
        origin: 'no-stage.csv line 2',
        objectName: 'Opportunity',
        reason: 'StageName is required on Opportunity; give it a value',
      },
    ]);
    const deals = await gateway.queryRecords('Opportunity');
    expect(deals.map((deal) => deal['Name'])).toEqual(['Staged']);
  });

  it('derives IsWon and IsClosed from StageName', async () => {
    const file = path.join(dir, 'forged-won.csv');
    writeFileSync(
      file,
      '"ID","NAME","STAGENAME","CLOSEDATE","ISWON","ISCLOSED"\n' +
        '"0065e00000AbCdHAAV","Open","Prospecting","2027-01-01","true","true"\n' +
        '"0065e00000AbCdIAAV","Won","Closed Won","2027-01-01","false","false"\n' +
        '"0065e00000AbCdJAAV","Lost","Closed Lost","2027-01-01","true",""\n',
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({ Opportunity: 3 });
    expect(report.problems).toEqual([]);
    expect(report.skippedFields).toEqual([
      'Opportunity.IsClosed',
      'Opportunity.IsWon',
    ]);
    const deals = await gateway.queryRecords('Opportunity');
    const flags = Object.fromEntries(
      deals.map((d) => [d['Name'], [d['IsWon'], d['IsClosed']]]),
    );
    expect(flags['Open']).toEqual([false, false]);
    expect(flags['Won']).toEqual([true, true]);
    expect(flags['Lost']).toEqual([false, true]);
  });

  it('reports a repeated Id instead of loading both', async () => {
    const file = path.join(dir, 'twice.csv');
    writeFileSync(
      file,
      '"ID","NAME","STAGENAME","CLOSEDATE"\n' +
        '"0065e00000AbCdHAAV","First","Prospecting","2027-01-01"\n' +
        '"0065e00000AbCdH","Second","Prospecting","2027-01-01"\n',
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.reason).toContain(
      'is also the Id of twice.csv line 2',
    );
  });

  it('loads distinct CSV rows without Ids, rejects a repeat', async () => {
    const file = path.join(dir, 'no-ids.csv');
    writeFileSync(
      file,
      '"NAME","STAGENAME","CLOSEDATE"\n' +
        '"First","Prospecting","2027-01-01"\n' +
        '"Second","Prospecting","2027-01-01"\n' +
        '"First","Prospecting","2027-01-01"\n',
    );
    const report = await importFile(file);
    expect(report.loaded).toEqual({ Opportunity: 2 });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.origin).toBe('no-ids.csv line 4');
    expect(report.problems[0]!.reason).toContain(
      'has the same object and field values as no-ids.csv line 2',
    );
    const again = await importFile(file);
    expect(again.loaded).toEqual({});
    expect(again.unchanged).toEqual({ Opportunity: 2 });
  });
});

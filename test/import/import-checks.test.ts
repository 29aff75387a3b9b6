import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readDataLoaderCsv } from '../../middleware/src/import/data-loader-csv.js';
import { readDataTree } from '../../middleware/src/import/data-tree.js';
import { importRecords } from '../../middleware/src/import/import-records.js';
import type { LocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { openTempStore } from '../helpers/local-store.js';
import type { TempStore } from '../helpers/local-store.js';

const CSV = path.resolve('test/fixtures/data-loader');
const DEAL = '006000000000002AAA';
const ACCOUNT = '001000000000100AAA';
let store: TempStore;
let dir: string;
let gateway: LocalGateway;

beforeEach(async () => {
  store = await openTempStore();
  ({ dir, gateway } = store);
});

afterEach(async () => {
  await store.cleanup();
});

/** Writes `text` to `name` in the test folder and imports it into the store. */
async function importText(name: string, text: string, objectName?: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const records = name.endsWith('.csv')
    ? await readDataLoaderCsv(file, objectName)
    : await readDataTree(file);
  return importRecords(records, await gateway.describeSchema(), gateway);
}

async function storedDeal(id = DEAL) {
  const [deal] = await gateway.queryRecords('Opportunity', {
    where: { Id: id },
  });
  return deal;
}

/** Stores the deal `DEAL`, won, with a partner owner and a next step. */
async function storeWonDeal(): Promise<void> {
  const users = await importText(
    'user.csv',
    'Id,Name,Username,Email\n' +
      '005000000000110AAA,Pat Partner,pat@partner.example,pat@partner.example\n',
    'User',
  );
  expect(users.problems).toEqual([]);
  const report = await importText(
    'deal.csv',
    'Id,Name,StageName,CloseDate,Partner_Owner__c,NextStep\n' +
      `${DEAL},Won deal,Closed Won,2027-01-01,005000000000110AAA,Call\n`,
  );
  expect(report.problems).toEqual([]);
}

describe('import lookups', () => {
  it('rejects lookups to missing records', async () => {
    const report = await importText(
      'lookups.csv',
      'Name,StageName,CloseDate,AccountId,Partner_Owner__c\n' +
        'Dangling,Prospecting,2027-01-01,001000000000999AAA,005000000000999AAA\n' +
        'Plain,Prospecting,2027-01-01,,\n',
    );

    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.problems).toHaveLength(1);
    const [problem] = report.problems;
    expect(problem!.origin).toBe('lookups.csv line 2');
    expect(problem!.reason).toContain(
      'AccountId 001000000000999AAA is the Id of no Account in this store or in this import',
    );
    expect(problem!.reason).toContain(
      'Partner_Owner__c 005000000000999AAA is the Id of no User',
    );
    expect(problem!.reason).toContain('INVALID_CROSS_REFERENCE_KEY');
    const deals = await gateway.queryRecords('Opportunity');
    expect(deals.map((deal) => deal['Name'])).toEqual(['Plain']);
  });

  it('loads a lookup to a stored record', async () => {
    await importText('accounts.csv', `Id,Name\n${ACCOUNT},Acme\n`, 'Account');

    const report = await importText(
      'deals.csv',
      `Name,StageName,CloseDate,AccountId\nAcme deal,Prospecting,2027-01-01,${ACCOUNT}\n`,
    );

    expect(report.problems).toEqual([]);
    expect(report.loaded).toEqual({ Opportunity: 1 });
  });

  it('loads a lookup to a record of the same import', async () => {
    const report = await importText(
      'data.json',
      JSON.stringify({
        records: [
          { attributes: { type: 'Account' }, Id: ACCOUNT, Name: 'Acme' },
          {
            attributes: { type: 'Opportunity' },
            Name: 'Acme deal',
            StageName: 'Prospecting',
            CloseDate: '2027-01-01',
            AccountId: ACCOUNT,
          },
        ],
      }),
    );

    expect(report.problems).toEqual([]);
    expect(report.loaded).toEqual({ Account: 1, Opportunity: 1 });
  });

  it('rejects a child of a record the store rejected', async () => {
    const report = await importText(
      'data.json',
      JSON.stringify({
        records: [
          {
            attributes: { type: 'Account', referenceId: 'AccountRef1' },
            Website: 'https://acme.example',
          },
          {
            attributes: { type: 'Opportunity', referenceId: 'DealRef1' },
            Name: 'Acme deal',
            StageName: 'Prospecting',
            CloseDate: '2027-01-01',
            AccountId: '@AccountRef1',
          },
        ],
      }),
    );

    expect(report.loaded).toEqual({});
    expect(report.problems.map((p) => p.origin)).toEqual([
      'data.json#1',
      'data.json#2',
    ]);
    expect(report.problems[1]!.reason).toBe(
      'AccountId refers to @AccountRef1, a record that was not imported (fix the problem listed for it)',
    );
  });

  it('loads the Data Loader fixture into a new store', async () => {
    const records = await readDataLoaderCsv(
      path.join(CSV, 'opportunities.csv'),
    );
    const report = await importRecords(
      records,
      await gateway.describeSchema(),
      gateway,
    );

    expect(report.problems).toEqual([]);
    expect(report.loaded).toEqual({ Opportunity: 3 });
  });
});

describe('import blank cells', () => {
  it('keeps a stored value for a blank cell', async () => {
    await storeWonDeal();

    const report = await importText(
      'owners.csv',
      `Id,Partner_Owner__c,NextStep\n${DEAL},,New text\n`,
    );

    expect(report.problems).toEqual([]);
    expect(report.loaded).toEqual({ Opportunity: 1 });
    const deal = await storedDeal();
    expect(deal?.['Partner_Owner__c']).toBe('005000000000110AAA');
    expect(deal?.['NextStep']).toBe('New text');
  });

  it('clears a field for a #N/A cell', async () => {
    await storeWonDeal();

    const report = await importText(
      'clear.csv',
      `Id,Partner_Owner__c\n${DEAL},#N/A\n`,
    );

    expect(report.problems).toEqual([]);
    expect((await storedDeal())?.['Partner_Owner__c']).toBeNull();
  });

  it('keeps a won deal won without StageName', async () => {
    await storeWonDeal();

    await importText('text.csv', `Id,NextStep\n${DEAL},Other text\n`);

    const deal = await storedDeal();
    expect(deal?.['IsWon']).toBe(true);
    expect(deal?.['IsClosed']).toBe(true);
  });

  it('gives a blank cell its default on insert', async () => {
    const report = await importText(
      'new.csv',
      'Name,StageName,CloseDate,Cosell_Model__c\nNew,Prospecting,2027-01-01,\n',
    );

    expect(report.problems).toEqual([]);
    const [deal] = await gateway.queryRecords('Opportunity');
    expect(deal?.['Cosell_Model__c']).toBe('Default');
  });
});

describe('import Ids', () => {
  it('names an update Id that the store lacks', async () => {
    const report = await importText(
      'owners.csv',
      `Id,Partner_Owner__c\n${DEAL},#N/A\n`,
    );

    expect(report.loaded).toEqual({});
    expect(report.problems).toHaveLength(1);
    const { reason } = report.problems[0]!;
    expect(reason).toContain(
      `Id ${DEAL} is not in this store, so the row would add a new Opportunity, which needs Name, StageName, CloseDate`,
    );
    expect(reason).toContain('import into the store that has it');
    expect(reason).not.toContain('is required');
  });

  it('names the expected suffix of an Id', async () => {
    const report = await importText(
      'ids.csv',
      'Id,Name,StageName,CloseDate,AccountId\n' +
        '006000000000001AAB,Bad suffix,Prospecting,2027-01-01,\n' +
        'New,Bad lookup,Prospecting,2027-01-01,001000000000100AAB\n',
    );

    expect(report.problems.map((p) => p.reason)).toEqual([
      'Id "006000000000001AAB" is not a Salesforce Id: its last three characters must be AAA, the check of the letter case of 006000000000001; copy the Id again or send its first 15 characters',
      'Id "New" is not a 15- or 18-character Salesforce Id; fix or remove the Id column',
    ]);
  });

  it('names the expected suffix of a lookup', async () => {
    const report = await importText(
      'lookup.csv',
      'Name,StageName,CloseDate,AccountId\n' +
        'Bad lookup,Prospecting,2027-01-01,001000000000100AAB\n',
    );

    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.reason).toBe(
      'AccountId "001000000000100AAB" is not a Salesforce Id: its last three characters must be AAA, the check of the letter case of 001000000000100; copy the Id again or send its first 15 characters',
    );
  });
});

describe('import data tree types', () => {
  it('lists each record without attributes.type', async () => {
    const report = await importText(
      'mixed.json',
      JSON.stringify({
        records: [
          {
            attributes: { type: 'Opportunity', referenceId: 'R1' },
            Name: 'J1',
            StageName: 'Prospecting',
            CloseDate: '2027-01-01',
          },
          { attributes: { referenceId: 'R3' }, Name: 'J3' },
          { Name: 'J4' },
          { attributes: { type: 7 }, Name: 'J5' },
        ],
      }),
    );

    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.problems.map((p) => p.origin)).toEqual([
      'mixed.json#2',
      'mixed.json#3',
      'mixed.json#4',
    ]);
    for (const problem of report.problems) {
      expect(problem.reason).toContain(
        'has no object API name in attributes.type',
      );
      expect(problem.reason).not.toContain('""');
    }
  });
});

describe('npm run import problem lines', () => {
  it('names no object for a record without a type', async () => {
    const file = path.join(dir, 'untyped.json');
    writeFileSync(file, JSON.stringify({ records: [{ Name: 'J4' }] }));

    const result = await promisify(execFile)(
      process.execPath,
      ['dist/scripts/import.js', file, '--db', path.join(dir, 'cli.db')],
      {
        env: { ...process.env, COSELL_PACKAGE_DIR: path.resolve('force-app') },
      },
    ).catch((error: { stderr: string }) => error);

    expect(result.stderr).toContain(
      'Not imported: untyped.json#1: has no object API name in attributes.type',
    );
  });
});

describe('import stage models', () => {
  it('rejects a deal whose model is not loaded', async () => {
    const report = await importText(
      'models.csv',
      'Name,StageName,CloseDate,Cosell_Model__c\n' +
        'Unknown,Prospecting,2027-01-01,Nope\n' +
        'Typo,Prospecting,2027-01-01,Defualt\n' +
        'Known,Prospecting,2027-01-01,AWS_ACE\n',
    );

    expect(report.loaded).toEqual({ Opportunity: 1 });
    expect(report.problems.map((p) => p.origin)).toEqual([
      'models.csv line 2',
      'models.csv line 3',
    ]);
    expect(report.problems[0]!.reason).toContain(
      'Cosell_Model__c "Nope" is not a loaded Cosell_Model__mdt record',
    );
    expect(report.problems[0]!.reason).toContain(
      'set it to one of AWS_ACE, Default',
    );
    expect(report.problems[1]!.reason).toBe(
      'Cosell_Model__c "Defualt" is not a loaded Cosell_Model__mdt record, so the deal could not be evaluated or moved; ' +
        'set it to Default, the closest name, or to one of AWS_ACE (the names are case-sensitive), ' +
        "leave it blank on a new deal to use Default, or add the model's Cosell_Model__mdt record to force-app",
    );
  });
});

describe('import stopped by a signal', () => {
  it('counts the records written before the stop', async () => {
    const stop = new AbortController();
    const written: Array<[string, number]> = [];
    const file = path.join(dir, 'data.json');
    writeFileSync(
      file,
      JSON.stringify({
        records: [
          { attributes: { type: 'Account' }, Name: 'Acme' },
          { attributes: { type: 'Account' }, Name: 'Globex' },
          {
            attributes: { type: 'Opportunity' },
            Name: 'Deal',
            StageName: 'Prospecting',
            CloseDate: '2027-01-01',
          },
        ],
      }),
    );

    const imported = importRecords(
      await readDataTree(file),
      await gateway.describeSchema(),
      gateway,
      {
        signal: stop.signal,
        onWritten: (objectName, count) => {
          written.push([objectName, count]);
          stop.abort(new Error('stopped'));
        },
      },
    );

    await expect(imported).rejects.toThrow('stopped');
    expect(written).toEqual([['Account', 2]]);
    expect(await gateway.countRecords('Opportunity')).toBe(0);
  });
});

import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { FieldSchema } from '../../../middleware/src/domain/schema.js';
import { readForceAppSchema } from '../../../middleware/src/org/force-app/index.js';
import { openLocalGateway } from '../../../middleware/src/org/local/local-gateway.js';
import {
  ForeignDatabaseError,
  StoreSchemaError,
} from '../../../middleware/src/org/local/migrations.js';
import { PACKAGE_DIR } from '../../helpers/local-store.js';

const DEAL = '006000000000001AAA';
let dir: string;
let packageDir: string;
let dbPath: string;

/** The SQLite type each describe type must be stored as. */
function expectedStorage(field: FieldSchema): string {
  if (field.type === 'boolean' || field.type === 'int') return 'INTEGER';
  if (field.type === 'double' && field.scale === 0) return 'INTEGER';
  return 'TEXT';
}

function objectsDir(...parts: string[]): string {
  return path.join(packageDir, 'main', 'default', 'objects', ...parts);
}

function fieldFile(objectName: string, fieldName: string): string {
  return objectsDir(objectName, 'fields', `${fieldName}.field-meta.xml`);
}

/** Rewrites a field's metadata file with `edit`. */
function editField(
  objectName: string,
  fieldName: string,
  edit: (xml: string) => string,
): void {
  const file = fieldFile(objectName, fieldName);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

function open() {
  return openLocalGateway({ dbPath, packageDir });
}

function readDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const columnsOf = (table: string) =>
  readDb(
    (db) =>
      db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{
        name: string;
        type: string;
      }>,
  );

const migrationNames = () =>
  readDb((db) =>
    (
      db
        .prepare('SELECT name FROM schema_migrations ORDER BY step')
        .all() as Array<{
        name: string;
      }>
    ).map((row) => row.name),
  );

/** Opens the store with a deal and a close plan step whose Step__c is filled. */
async function seedStep(): Promise<void> {
  const gateway = await open();
  await gateway.upsertRecords('Opportunity', [
    {
      Id: DEAL,
      Name: 'Deal',
      StageName: 'Prospecting',
      CloseDate: '2027-01-31',
    },
  ]);
  await gateway.upsertRecords('Close_Plan_Step__c', [
    {
      Opportunity__c: DEAL,
      Step__c: 'Security review',
      Owner_Side__c: 'Vendor',
    },
  ]);
  await gateway.close();
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-migrate-'));
  packageDir = path.join(dir, 'force-app');
  dbPath = path.join(dir, 'store.db');
  cpSync(path.join(PACKAGE_DIR, 'main', 'default', 'objects'), objectsDir(), {
    recursive: true,
  });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('tables from force-app', () => {
  it('has every object and field with its storage', async () => {
    await (await openLocalGateway({ dbPath, packageDir: PACKAGE_DIR })).close();
    const schema = await readForceAppSchema(PACKAGE_DIR);
    for (const object of Object.values(schema)) {
      const columns = columnsOf(object.name);
      if (object.name.endsWith('__mdt')) {
        expect(columns).toEqual([]);
        continue;
      }
      const types = Object.fromEntries(columns.map((c) => [c.name, c.type]));
      const expected = Object.fromEntries(
        Object.values(object.fields).map((f) => [f.name, expectedStorage(f)]),
      );
      expect({ [object.name]: types }).toEqual({ [object.name]: expected });
    }
  });

  it('numbers every step it records', async () => {
    await (await open()).close();
    const steps = readDb(
      (db) =>
        db
          .prepare('SELECT step, name FROM schema_migrations ORDER BY step')
          .all() as Array<{
          step: number;
          name: string;
        }>,
    );
    expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i + 1));
    const names = steps.map((s) => s.name);
    expect(names).toContain('create table Opportunity');
    expect(names).toContain('index Close_Plan_Step__c.Opportunity__c');
    expect(names.slice(-3)).toEqual([
      '0001 unique workflow keys',
      '0002 one pending request per deal',
      '0003 workflow read indexes',
    ]);
  });

  it('runs nothing when reopened unchanged', async () => {
    await seedStep();
    const before = migrationNames();
    const gateway = await open();
    expect(await gateway.countRecords('Close_Plan_Step__c')).toBe(1);
    await gateway.close();
    expect(migrationNames()).toEqual(before);
  });
});

describe('additive changes', () => {
  it('adds a new field as a column', async () => {
    const file = fieldFile('Close_Plan_Step__c', 'Status__c');
    const xml = readFileSync(file, 'utf8');
    rmSync(file);
    await seedStep();
    expect(columnsOf('Close_Plan_Step__c').map((c) => c.name)).not.toContain(
      'Status__c',
    );

    writeFileSync(file, xml);
    const gateway = await open();
    const [step] = await gateway.queryRecords('Close_Plan_Step__c');
    await gateway.close();
    expect(step?.['Status__c']).toBeNull();
    expect(step?.['Step__c']).toBe('Security review');
    expect(migrationNames()).toContain(
      'add column Close_Plan_Step__c.Status__c',
    );
  });

  it('adds Response_Reason__c to an older store', async () => {
    const file = fieldFile('Stage_Request__c', 'Response_Reason__c');
    const xml = readFileSync(file, 'utf8');
    rmSync(file);
    await seedStep();
    const before = await open();
    await before.upsertRecords('Stage_Request__c', [
      {
        Opportunity__c: DEAL,
        To_Stage__c: 'Jointly_Qualified',
        Kind__c: 'Advance',
        Requested_By__c: '005000000000001AAA',
        Requesting_Side__c: 'Vendor',
        Status__c: 'Pending',
        Reason__c: 'Customer signed the mutual plan',
        Expires_At__c: '2099-01-01T00:00:00.000Z',
      },
    ]);
    await before.close();
    expect(columnsOf('Stage_Request__c').map((c) => c.name)).not.toContain(
      'Response_Reason__c',
    );

    writeFileSync(file, xml);
    const gateway = await open();
    const [row] = await gateway.queryRecords('Stage_Request__c');
    const id = String(row?.['Id']);
    const closed = await gateway.closeRequest({
      id,
      status: 'Rejected',
      respondedById: '005000000000002AAA',
      respondedAt: '2026-12-02T10:00:00.000Z',
      responseReason: 'Plan not signed yet',
    });
    await gateway.close();
    expect(migrationNames()).toContain(
      'add column Stage_Request__c.Response_Reason__c',
    );
    expect(closed.reason).toBe('Customer signed the mutual plan');
    expect(closed.responseReason).toBe('Plan not signed yet');
  });

  it('drops the lookup indexes an earlier version made on every lookup', async () => {
    await seedStep();
    const db = new Database(dbPath);
    db.exec(
      'CREATE INDEX "ix_Stage_Request__c_Requested_By__c" ON "Stage_Request__c" ("Requested_By__c")',
    );
    db.close();

    await (await open()).close();
    expect(migrationNames()).toContain(
      'drop index ix_Stage_Request__c_Requested_By__c',
    );
    const indexes = readDb((read) =>
      read
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_Stage_Request__c_%'",
        )
        .all(),
    );
    expect(indexes).toEqual([{ name: 'ix_Stage_Request__c_Opportunity__c' }]);
  });

  it('adds a new object as a table', async () => {
    const folder = objectsDir('Deal_Approval__c');
    const kept = path.join(dir, 'Deal_Approval__c');
    cpSync(folder, kept, { recursive: true });
    rmSync(folder, { recursive: true });
    await seedStep();
    expect(columnsOf('Deal_Approval__c')).toEqual([]);

    cpSync(kept, folder, { recursive: true });
    const gateway = await open();
    await gateway.upsertRecords('Deal_Approval__c', [
      { Opportunity__c: DEAL, Type__c: 'Legal' },
    ]);
    await gateway.close();
    expect(migrationNames()).toEqual(
      expect.arrayContaining([
        'create table Deal_Approval__c',
        'index Deal_Approval__c.Opportunity__c',
      ]),
    );
  });

  it('drops a removed field that holds no values', async () => {
    await seedStep();
    rmSync(fieldFile('Close_Plan_Step__c', 'Due_Date__c'));
    await (await open()).close();
    expect(columnsOf('Close_Plan_Step__c').map((c) => c.name)).not.toContain(
      'Due_Date__c',
    );
    expect(migrationNames()).toContain(
      'drop empty column Close_Plan_Step__c.Due_Date__c',
    );
  });

  it('converts values when a field changes type', async () => {
    await seedStep();
    editField('Close_Plan_Step__c', 'Step__c', (xml) =>
      xml
        .replace('<type>Text</type>', '<type>TextArea</type>')
        .replace(/<length>\d+<\/length>/, ''),
    );
    const gateway = await open();
    const [step] = await gateway.queryRecords('Close_Plan_Step__c');
    await gateway.close();
    expect(step?.['Step__c']).toBe('Security review');
    expect(migrationNames()).toContain(
      'convert Close_Plan_Step__c.Step__c from string to textarea',
    );
  });
});

describe('changes that would lose data', () => {
  it('names a removed field that holds values', async () => {
    await seedStep();
    const before = migrationNames();
    rmSync(fieldFile('Close_Plan_Step__c', 'Step__c'));
    const opened = open();
    await expect(opened).rejects.toBeInstanceOf(StoreSchemaError);
    await expect(opened).rejects.toThrow(
      /Close_Plan_Step__c\.Step__c is no longer in force-app but 1 records have a value in it; restore its field file/,
    );
    expect(columnsOf('Close_Plan_Step__c').map((c) => c.name)).toContain(
      'Step__c',
    );
    expect(migrationNames()).toEqual(before);
  });

  it('names a value the new type rejects', async () => {
    await seedStep();
    editField('Close_Plan_Step__c', 'Step__c', (xml) =>
      xml
        .replace('<type>Text</type>', '<type>Date</type>')
        .replace(/<length>\d+<\/length>/, ''),
    );
    await expect(open()).rejects.toThrow(
      /Close_Plan_Step__c\.Step__c changed from string to date, but record a03\w+ has the value "Security review", which is not a date/,
    );
  });

  it('names a change of storage', async () => {
    await seedStep();
    editField('Close_Plan_Step__c', 'Step__c', (xml) =>
      xml
        .replace(
          '<type>Text</type>',
          '<type>Number</type><precision>18</precision><scale>0</scale>',
        )
        .replace(/<length>\d+<\/length>/, ''),
    );
    await expect(open()).rejects.toThrow(
      /Close_Plan_Step__c\.Step__c changed from string to int, which SQLite stores as INTEGER instead of TEXT/,
    );
  });

  it('names a workflow field missing from force-app', async () => {
    rmSync(fieldFile('Stage_Request__c', 'Pending_Deal_Key__c'));
    await expect(open()).rejects.toThrow(
      'Stage_Request__c.Pending_Deal_Key__c is missing from force-app',
    );
  });

  it('rejects a file of the earlier store format', async () => {
    const db = new Database(dbPath);
    db.exec(
      'CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    db.close();
    await expect(open()).rejects.toThrow(
      'earlier development version of the store',
    );
  });
});

describe('store file', () => {
  it('creates a new file for its owner only', async () => {
    const gateway = await open();
    await gateway.close();
    expect(statSync(dbPath).mode & 0o777).toBe(0o600);
  });

  it('keeps the mode of an existing file', async () => {
    const gateway = await open();
    await gateway.close();
    chmodSync(dbPath, 0o640);
    const reopened = await open();
    await reopened.close();
    expect(statSync(dbPath).mode & 0o777).toBe(0o640);
  });

  it("rejects another application's database", async () => {
    const db = new Database(dbPath);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    await expect(open()).rejects.toThrow(StoreSchemaError);
    await expect(open()).rejects.toThrow(
      'SQLite database of another application (tables customers, invoices)',
    );
    const tables = readDb(
      (db) =>
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
          .all() as Array<{ name: string }>,
    );
    expect(tables.map((t) => t.name).sort()).toEqual(['customers', 'invoices']);
  });

  it("leaves another application's file unchanged", async () => {
    const db = new Database(dbPath);
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.prepare('INSERT INTO notes (body) VALUES (?)').run('keep me');
    db.close();
    const before = readFileSync(dbPath);
    const copy = path.join(dir, 'copy.db');
    cpSync(dbPath, copy);

    await expect(open()).rejects.toThrow(ForeignDatabaseError);

    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(readFileSync(dbPath).equals(readFileSync(copy))).toBe(true);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(
      readDb((read) => read.pragma('journal_mode', { simple: true })),
    ).toBe('delete');
  });

  it('names the foreign file and the settings to change', async () => {
    const db = new Database(dbPath);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.close();

    const error = await open().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StoreSchemaError);
    expect((error as Error).message).toContain(
      `${path.resolve(dbPath)} is a SQLite database of another application (tables notes)`,
    );
    expect((error as Error).message).toContain('(COSELL_DB_PATH or --db)');
  });

  it('opens an empty database file', async () => {
    new Database(dbPath).close();
    const gateway = await open();
    await gateway.close();
    expect(migrationNames().length).toBeGreaterThan(0);
  });
});

describe('hand-written constraints', () => {
  it('allows one pending request per deal in seeded data', async () => {
    await seedStep();
    const gateway = await open();
    const pending = {
      Opportunity__c: DEAL,
      To_Stage__c: 'Jointly_Qualified',
      Kind__c: 'Advance',
      Requesting_Side__c: 'Vendor',
      Status__c: 'Pending',
      Expires_At__c: '2099-01-01T00:00:00Z',
    };
    try {
      await expect(
        gateway.upsertRecords('Stage_Request__c', [pending, pending]),
      ).rejects.toThrow(/record 2: .*Opportunity__c/);
      expect(await gateway.countRecords('Stage_Request__c')).toBe(0);
    } finally {
      await gateway.close();
    }
  });
});

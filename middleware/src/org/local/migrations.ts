import type Database from 'better-sqlite3';
import type { OrgSchema } from '../../domain/schema.js';
import { createSchemaFieldsTable } from './schema-fields.js';
import { planSchema } from './schema-plan.js';
import { sqliteCode } from './sql.js';

/** A store file that cannot follow the force-app schema without losing data. */
export class StoreSchemaError extends Error {
  constructor(
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(
      `The local store does not match force-app:\n${problems.map((p) => `- ${p}`).join('\n')}`,
      options,
    );
    this.name = 'StoreSchemaError';
  }
}

/** A SQLite file of another application, which the store leaves unchanged. */
export class ForeignDatabaseError extends StoreSchemaError {
  constructor(
    readonly dbPath: string,
    readonly tables: string[],
  ) {
    const listed = tables.slice(0, 5).join(', ');
    const more = tables.length > 5 ? ` and ${tables.length - 5} more` : '';
    const problem =
      `${dbPath} is a SQLite database of another application (tables ${listed}${more}) ` +
      'and not a Cosell Stages store; use a new file or a Cosell Stages store as the store path (COSELL_DB_PATH or --db)';
    super([problem]);
    this.message = `The local store file cannot be used:\n- ${problem}`;
    this.name = 'ForeignDatabaseError';
  }
}

/** A store file that is not a SQLite database, such as a text or CSV file. */
export class NotADatabaseError extends StoreSchemaError {
  constructor(
    readonly dbPath: string,
    options?: { cause?: unknown },
  ) {
    const problem =
      `${dbPath} is not a SQLite database, so it cannot be a Cosell Stages store; ` +
      'set the store path (COSELL_DB_PATH or --db) to a Cosell Stages store or to a new file, which becomes an empty store';
    super([problem], options);
    this.message = `The local store file cannot be used:\n- ${problem}`;
    this.name = 'NotADatabaseError';
  }
}

/**
 * Throws `NotADatabaseError` when the file is not a SQLite database, and
 * `ForeignDatabaseError` when it has tables but no `schema_migrations`, because
 * adding the store's tables would mix two applications in one file. It only
 * reads, so running it before any pragma or write leaves a rejected file byte
 * for byte as it was. Opening the store calls it, so start, the scripts and
 * the sf commands' `--local` reject such files with the same message.
 */
export function rejectForeignDatabase(
  db: Database.Database,
  dbPath: string,
): void {
  let bookkeeping: unknown;
  try {
    // SQLite reads the file header on the first statement, not on open.
    bookkeeping = db
      .prepare(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
      )
      .get();
  } catch (error) {
    if (sqliteCode(error) === 'SQLITE_NOTADB') {
      throw new NotADatabaseError(dbPath, { cause: error });
    }
    throw error;
  }
  if (bookkeeping) return;
  const tables = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all() as Array<{ name: string }>
  ).map((row) => row.name);
  if (tables.length > 0) throw new ForeignDatabaseError(dbPath, tables);
}

interface HandWrittenMigration {
  name: string;
  /** Columns (`Object.Field`) the SQL needs; force-app must define them. */
  needs: string[];
  sql: string[];
}

/**
 * Constraints and indexes that the field definitions cannot express, numbered and
 * applied once each, in order, after the schema-derived tables and columns. Their
 * index names start with `wf_`, so the schema-derived index sync leaves them alone.
 */
const HAND_WRITTEN_MIGRATIONS: HandWrittenMigration[] = [
  {
    name: '0001 unique workflow keys',
    needs: [
      'Stage_Request__c.Idempotency_Key__c',
      'Stage_Request__c.Pending_Deal_Key__c',
      'Stage_Transition__c.Key__c',
      'Idempotency_Record__c.Key__c',
    ],
    sql: [
      'CREATE UNIQUE INDEX "wf_request_idempotency_key" ON "Stage_Request__c" ("Idempotency_Key__c") WHERE "Idempotency_Key__c" IS NOT NULL',
      'CREATE UNIQUE INDEX "wf_request_pending_deal_key" ON "Stage_Request__c" ("Pending_Deal_Key__c") WHERE "Pending_Deal_Key__c" IS NOT NULL',
      'CREATE UNIQUE INDEX "wf_transition_key" ON "Stage_Transition__c" ("Key__c") WHERE "Key__c" IS NOT NULL',
      'CREATE UNIQUE INDEX "wf_idempotency_key" ON "Idempotency_Record__c" ("Key__c") WHERE "Key__c" IS NOT NULL',
    ],
  },
  {
    // Holds even for records seeded or imported without Pending_Deal_Key__c.
    name: '0002 one pending request per deal',
    needs: ['Stage_Request__c.Opportunity__c', 'Stage_Request__c.Status__c'],
    sql: [
      `CREATE UNIQUE INDEX "wf_request_one_pending" ON "Stage_Request__c" ("Opportunity__c") WHERE "Status__c" = 'Pending'`,
    ],
  },
  {
    name: '0003 workflow read indexes',
    needs: [
      'Stage_Request__c.Expires_At__c',
      'Stage_Transition__c.Version__c',
      'Idempotency_Record__c.Expires_At__c',
      'Opportunity.IsClosed',
    ],
    sql: [
      'CREATE INDEX "wf_request_status_expiry" ON "Stage_Request__c" ("Status__c", "Expires_At__c")',
      'CREATE INDEX "wf_transition_deal_version" ON "Stage_Transition__c" ("Opportunity__c", "Version__c")',
      'CREATE INDEX "wf_idempotency_expiry" ON "Idempotency_Record__c" ("Expires_At__c")',
      'CREATE INDEX "wf_opportunity_closed" ON "Opportunity" ("IsClosed")',
    ],
  },
];

/** Unique fields that migration 0001 constrains, so the schema sync skips them. */
const WORKFLOW_UNIQUE_FIELDS = new Set(HAND_WRITTEN_MIGRATIONS[0]!.needs);

function createBookkeeping(db: Database.Database): void {
  const columns = db
    .prepare('PRAGMA table_info(schema_migrations)')
    .all() as Array<{ name: string }>;
  if (columns.length > 0 && !columns.some((c) => c.name === 'step')) {
    throw new StoreSchemaError([
      'the file was made by an earlier development version of the store, which recorded no field types; start a new store file (move the file aside, then seed or import again)',
    ]);
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    step INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  createSchemaFieldsTable(db);
}

function missingColumns(schema: OrgSchema): string[] {
  const problems: string[] = [];
  for (const migration of HAND_WRITTEN_MIGRATIONS) {
    for (const column of migration.needs) {
      const [objectName, fieldName] = column.split('.') as [string, string];
      if (schema[objectName]?.fields[fieldName]) continue;
      problems.push(
        `${column} is missing from force-app, and migration "${migration.name}" needs it; add the field file under objects/${objectName}/fields/`,
      );
    }
  }
  return problems;
}

/**
 * Brings the store file up to the schema and the hand-written migrations, and
 * returns the names of the steps it ran. Each step gets the next number in
 * `schema_migrations`. Run it inside one `BEGIN IMMEDIATE` transaction, so a
 * failure leaves the file as it was and two processes opening it migrate in turn.
 */
export function migrate(
  db: Database.Database,
  schema: OrgSchema,
  appliedAt: string,
): string[] {
  createBookkeeping(db);
  const plan = planSchema(db, schema, WORKFLOW_UNIQUE_FIELDS);
  const problems = [...plan.problems, ...missingColumns(schema)];
  if (problems.length > 0) throw new StoreSchemaError(problems);

  const applied = new Set(
    (
      db.prepare('SELECT name FROM schema_migrations').all() as Array<{
        name: string;
      }>
    ).map((row) => row.name),
  );
  const record = db.prepare(
    'INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)',
  );
  const ran: string[] = [];
  const run = (name: string, apply: () => void): void => {
    try {
      apply();
    } catch (error) {
      throw new StoreSchemaError(
        [
          `migration step "${name}" failed: ${error instanceof Error ? error.message : String(error)}; fix the data it names, or start a new store file`,
        ],
        { cause: error },
      );
    }
    record.run(name, appliedAt);
    ran.push(name);
  };
  for (const step of plan.steps) run(step.name, () => step.apply(db));
  for (const migration of HAND_WRITTEN_MIGRATIONS) {
    if (applied.has(migration.name)) continue;
    run(migration.name, () => {
      for (const sql of migration.sql) db.exec(sql);
    });
  }
  return ran;
}

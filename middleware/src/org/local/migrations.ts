import type Database from 'better-sqlite3';
import type { ObjectSchema, OrgSchema } from '../../domain/schema.js';
import { columnType } from './column-values.js';

/** A store file that does not match the force-app schema in a way that would lose data. */
export class StoreSchemaError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The local store does not match force-app:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    this.name = 'StoreSchemaError';
  }
}

export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** Objects whose records the store keeps (custom metadata lives in force-app files). */
export function storedObjects(schema: OrgSchema): ObjectSchema[] {
  return Object.values(schema)
    .filter((object) => !object.name.endsWith('__mdt'))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Hand-written migrations that the schema cannot express: the constraints that make
 * one pending request per deal, each idempotency key and each transition key unique,
 * and the indexes the deal read uses. Each runs once, in order.
 */
const CONSTRAINT_MIGRATIONS: Array<{ id: string; sql: string[] }> = [
  {
    id: '0001-workflow-unique-keys',
    sql: [
      'CREATE UNIQUE INDEX IF NOT EXISTS "ux_request_pending_deal" ON "Stage_Request__c" ("Pending_Deal_Key__c") WHERE "Pending_Deal_Key__c" IS NOT NULL',
      'CREATE UNIQUE INDEX IF NOT EXISTS "ux_request_idempotency" ON "Stage_Request__c" ("Idempotency_Key__c") WHERE "Idempotency_Key__c" IS NOT NULL',
      'CREATE UNIQUE INDEX IF NOT EXISTS "ux_transition_key" ON "Stage_Transition__c" ("Key__c")',
      'CREATE UNIQUE INDEX IF NOT EXISTS "ux_idempotency_key" ON "Idempotency_Record__c" ("Key__c")',
    ],
  },
  {
    id: '0002-lookup-indexes',
    sql: [
      'CREATE INDEX IF NOT EXISTS "ix_opportunity_open" ON "Opportunity" ("IsClosed")',
      'CREATE INDEX IF NOT EXISTS "ix_team_deal" ON "OpportunityTeamMember" ("OpportunityId")',
      'CREATE INDEX IF NOT EXISTS "ix_assignment_user" ON "PermissionSetAssignment" ("AssigneeId")',
      'CREATE INDEX IF NOT EXISTS "ix_request_status_expiry" ON "Stage_Request__c" ("Status__c", "Expires_At__c")',
      'CREATE INDEX IF NOT EXISTS "ix_transition_time" ON "Stage_Transition__c" ("Transitioned_At__c")',
    ],
  },
];

/**
 * Brings the store file up to the schema: a new object becomes a table and a new
 * field a column, each recorded in `schema_migrations`. A field that disappeared or
 * changed its storage type is reported, never dropped.
 */
export function migrate(db: Database.Database, schema: OrgSchema): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_columns (
    object_name TEXT NOT NULL,
    field_name TEXT NOT NULL,
    column_type TEXT NOT NULL,
    PRIMARY KEY (object_name, field_name)
  )`);
  const applied = new Set(
    (
      db.prepare('SELECT id FROM schema_migrations').all() as Array<{
        id: string;
      }>
    ).map((row) => row.id),
  );
  const known = new Map<string, string>();
  for (const row of db
    .prepare('SELECT object_name, field_name, column_type FROM schema_columns')
    .all() as Array<{
    object_name: string;
    field_name: string;
    column_type: string;
  }>) {
    known.set(`${row.object_name}.${row.field_name}`, row.column_type);
  }
  const problems: string[] = [];
  const steps: Array<{
    id: string;
    sql: string;
    column?: [string, string, string];
  }> = [];
  const objects = storedObjects(schema);
  for (const object of objects) {
    const fields = Object.values(object.fields);
    const tableExists = [...known.keys()].some((key) =>
      key.startsWith(`${object.name}.`),
    );
    if (!tableExists) {
      const columns = fields.map(
        (f) =>
          `${quote(f.name)} ${columnType(f)}${f.name === 'Id' ? ' PRIMARY KEY' : ''}`,
      );
      steps.push({
        id: `create-table:${object.name}`,
        sql: `CREATE TABLE IF NOT EXISTS ${quote(object.name)} (${columns.join(', ')})`,
      });
      for (const field of fields) {
        steps.push({
          id: '',
          sql: '',
          column: [object.name, field.name, columnType(field)],
        });
      }
      continue;
    }
    for (const field of fields) {
      const stored = known.get(`${object.name}.${field.name}`);
      const wanted = columnType(field);
      if (stored === undefined) {
        steps.push({
          id: `add-column:${object.name}.${field.name}`,
          sql: `ALTER TABLE ${quote(object.name)} ADD COLUMN ${quote(field.name)} ${wanted}`,
          column: [object.name, field.name, wanted],
        });
      } else if (stored !== wanted) {
        problems.push(
          `${object.name}.${field.name} is stored as ${stored} but force-app now declares it as ${wanted}; export the data, delete the store file and import it again`,
        );
      }
    }
  }
  for (const key of known.keys()) {
    const [objectName, fieldName] = key.split('.') as [string, string];
    if (!schema[objectName]?.fields[fieldName]) {
      problems.push(
        `${key} is in the store but no longer in force-app; restore the field, or export the data and start a new store file`,
      );
    }
  }
  if (problems.length > 0) throw new StoreSchemaError(problems);

  const record = db.prepare(
    'INSERT OR IGNORE INTO schema_migrations (id, applied_at) VALUES (?, ?)',
  );
  const remember = db.prepare(
    'INSERT OR REPLACE INTO schema_columns (object_name, field_name, column_type) VALUES (?, ?, ?)',
  );
  const ran: string[] = [];
  db.transaction(() => {
    const now = new Date().toISOString();
    for (const step of steps) {
      if (step.sql) {
        db.exec(step.sql);
        record.run(step.id, now);
        ran.push(step.id);
      }
      if (step.column) remember.run(...step.column);
    }
    for (const migration of CONSTRAINT_MIGRATIONS) {
      if (applied.has(migration.id)) continue;
      for (const sql of migration.sql) db.exec(sql);
      record.run(migration.id, now);
      ran.push(migration.id);
    }
    for (const object of objects) {
      for (const field of Object.values(object.fields)) {
        if (!field.unique || field.name === 'Id') continue;
        const id = `unique:${object.name}.${field.name}`;
        if (applied.has(id)) continue;
        db.exec(
          `CREATE UNIQUE INDEX IF NOT EXISTS ${quote(`ux_${object.name}_${field.name}`)} ON ${quote(object.name)} (${quote(field.name)}) WHERE ${quote(field.name)} IS NOT NULL`,
        );
        record.run(id, now);
        ran.push(id);
      }
    }
  })();
  return ran;
}

import { setImmediate } from 'node:timers/promises';
import type { FieldValue, RecordData } from '../domain/records.js';
import { didYouMean } from '../domain/criteria/closest-name.js';
import type { ObjectSchema, OrgSchema } from '../domain/schema.js';
import {
  CLOSED_STAGES,
  WON_STAGES,
} from '../org/force-app/standard-objects.js';
import type {
  ImportProblem,
  ImportReport,
  ImportSink,
  MappedRecord,
  PlanEntrySource,
  SourceRecord,
} from './import-types.js';
import { MAX_SHOWN_LENGTH, quoteValue, formatName } from './quote-value.js';
import { coerce } from './field-coercion.js';
import { LookupCheck } from './lookup-targets.js';
import { ModelNameCheck } from './model-names.js';
import { linkToParent } from './parent-links.js';
import { assignIds, RecordProblem } from './record-ids.js';
import { roundingNotes, storedValue } from './store-values.js';
import { writeBatch } from './store-writes.js';
import type { PendingWrite } from './store-writes.js';
import type { IdCandidate } from './record-ids.js';

/** Objects only the middleware writes, through stage requests and moves. */
const WORKFLOW_OBJECTS = new Set([
  'Stage_Request__c',
  'Stage_Transition__c',
  'Idempotency_Record__c',
]);

/**
 * Opportunity fields that Salesforce derives from StageName and that Data Loader
 * cannot write, so the import sets them from the stage instead of the file.
 */
const DERIVED_FIELDS = new Set(['IsWon', 'IsClosed']);

/** Opportunity fields only a jointly confirmed move writes. */
const STAGE_FIELDS = new Set([
  'Cosell_Stage__c',
  'Cosell_Stage_Version__c',
  'Cosell_Stage_Entered_At__c',
]);

/** The reason given for a data tree record without an object name in `attributes.type`. */
const MISSING_TYPE_REASON =
  'has no object API name in attributes.type, so the import cannot tell which object it is; ' +
  'add "attributes": {"type": "Opportunity", "referenceId": "OpportunityRef1"} with its object and a referenceId, as sf data export tree writes it, ' +
  'or list its data file in a plan entry whose sobject names its object';

/** Records compared between two checks of the abort signal. */
const RECORDS_PER_SIGNAL_CHECK = 100;

/**
 * Maps records to the schema, assigns Ids, resolves `@Ref` references and writes them
 * object by object. A record that cannot be imported is reported with its reason and
 * the others load; a field the org schema does not have is skipped and reported once.
 * When `signal` aborts, the import stops before the next record and throws the
 * signal's reason. The records written before the stop stay in the store, and
 * `onWritten` receives the count of each object's records as its batch commits.
 */
export async function importRecords(
  records: SourceRecord[],
  schema: OrgSchema,
  sink: ImportSink,
  {
    signal,
    onWritten,
  }: {
    signal?: AbortSignal;
    onWritten?: (objectName: string, count: number) => void;
  } = {},
): Promise<ImportReport> {
  const report: ImportReport = {
    loaded: {},
    unchanged: {},
    skippedFields: [],
    problems: [],
    notes: [],
  };
  const skipped = new Set<string>();
  const references = new Map<string, string>();
  const order: string[] = [];
  const byObject = new Map<string, MappedRecord[]>();

  // Ids first, so references resolve whatever the record order.
  const candidates = matchObjects(records, schema, report.problems);
  const prepared: Array<IdCandidate & { id: string }> = [];
  const firstWithId = new Map<string, SourceRecord>();
  const ids = assignIds(candidates, references);
  for (const [index, { source, object }] of candidates.entries()) {
    const result = ids[index]!;
    if ('problem' in result) {
      report.problems.push(problemOf(source, result.problem));
      continue;
    }
    const earlier = firstWithId.get(result.id);
    if (earlier) {
      report.problems.push(
        problemOf(source, new RecordProblem(repeatReason(source, earlier))),
      );
      continue;
    }
    firstWithId.set(result.id, source);
    prepared.push({ source, object, id: result.id });
  }

  const models = new ModelNameCheck(sink);
  for (const { source, object, id } of prepared) {
    let data: RecordData;
    try {
      data = mapFields(source, object, references, skipped);
      data['Id'] = id;
      applyOpportunityDefaults(object, data);
    } catch (error) {
      report.problems.push(problemOf(source, error));
      continue;
    }
    // Outside the try, so a failure to read the models stops the import.
    const modelProblem =
      object.name === 'Opportunity' ? await models.problemOf(data) : undefined;
    if (modelProblem !== undefined) {
      report.problems.push(problemOf(source, new RecordProblem(modelProblem)));
      continue;
    }
    if (!byObject.has(object.name)) {
      byObject.set(object.name, []);
      order.push(object.name);
    }
    byObject.get(object.name)!.push({ source, data });
  }

  // Ids of the records not written yet, which lookups of this import may name.
  const pendingIds = new Set(
    [...byObject.values()].flat().map(({ data }) => String(data['Id'])),
  );
  const lookups = new LookupCheck(schema, sink, pendingIds);
  for (const objectName of order) {
    const object = schema[objectName]!;
    // NOTE: a record may refer to one of an object written later in this import,
    // as in a reference cycle. When the store then rejects that record, the lookup
    // of the earlier one names a record that does not exist.
    const batch = await lookups.keepValid(
      object,
      byObject.get(objectName) ?? [],
      report.problems,
      signal,
    );
    const changed: PendingWrite[] = [];
    for (const [index, entry] of batch.entries()) {
      if (signal !== undefined && index % RECORDS_PER_SIGNAL_CHECK === 0) {
        // The local store's reads never leave the microtask queue, so without
        // this a signal's listener would run only after the whole import.
        await setImmediate();
        signal.throwIfAborted();
      }
      const stored = await storedRecord(sink, object, entry.data);
      if (stored && isUnchanged(object, stored, entry.data)) {
        report.unchanged[objectName] = (report.unchanged[objectName] ?? 0) + 1;
      } else {
        changed.push({ ...entry, isNew: stored === undefined });
      }
    }
    signal?.throwIfAborted();
    // NOTE: a signal during the write takes effect only after the batch
    // commits, because the local store writes it in one synchronous
    // transaction. After the last object's batch, the import then finishes as
    // if not stopped.
    const loaded = await writeBatch(sink, objectName, changed, report.problems);
    // Written or rejected now, so later lookups find these records in the store or not at all.
    for (const { data } of batch) pendingIds.delete(String(data['Id']));
    if (loaded.length > 0) {
      report.loaded[objectName] = loaded.length;
      onWritten?.(objectName, loaded.length);
    }
    for (const { source, data } of loaded) {
      for (const note of roundingNotes(object, data)) {
        report.notes.push({ origin: source.origin, objectName, note });
      }
    }
  }
  report.skippedFields = [...skipped].sort();
  // The phases above find problems in their own order; list them in file order.
  report.problems.sort((a, b) =>
    a.origin.localeCompare(b.origin, 'en', { numeric: true }),
  );
  return report;
}

/**
 * Pairs each record with its object in the schema. Records of workflow objects, of
 * objects the schema lacks and of plan entries whose sobject it lacks go to
 * `problems` instead, with one problem per unknown object or plan entry. A record
 * nested in a child relationship block gets its lookup set to the parent.
 */
function matchObjects(
  records: SourceRecord[],
  schema: OrgSchema,
  problems: ImportProblem[],
): IdCandidate[] {
  const candidates: IdCandidate[] = [];
  const unknownObjects = new Map<string, { origin: string; count: number }>();
  const unknownEntries = new Map<string, { sobject: string; count: number }>();
  for (const source of records) {
    if (source.objectName === '') {
      problems.push({
        origin: source.origin,
        objectName: '',
        reason: MISSING_TYPE_REASON,
      });
      continue;
    }
    const entry = source.planEntry;
    if (entry && !findObject(schema, entry.sobject)) {
      countRecord(unknownEntries, entry.origin, { sobject: entry.sobject });
      continue;
    }
    const object = findObject(schema, source.objectName);
    if (
      entry &&
      !source.parent &&
      object &&
      !isEntryObject(schema, object, entry)
    ) {
      problems.push({
        origin: source.origin,
        objectName: object.name,
        reason: entryMismatchReason(source.objectName, entry),
      });
      continue;
    }
    if (object && WORKFLOW_OBJECTS.has(object.name)) {
      problems.push({
        origin: source.origin,
        objectName: object.name,
        reason: `${object.name} records are written only by the middleware's stage requests and moves; import deals and their evidence, then move them through the API`,
      });
      continue;
    }
    if (!object) {
      countRecord(unknownObjects, source.objectName, { origin: source.origin });
      continue;
    }
    if (!source.parent) {
      candidates.push({ source, object });
      continue;
    }
    const parentObject = findObject(schema, source.parent.objectName);
    try {
      candidates.push({
        source: linkToParent(source, object, parentObject),
        object,
      });
    } catch (error) {
      problems.push(problemOf(source, error));
    }
  }

  // One problem per unknown object or plan entry, not one per record.
  for (const [objectName, { origin, count }] of unknownObjects) {
    problems.push({
      origin: count > 1 ? `${origin} and ${count - 1} more` : origin,
      objectName,
      reason: unknownObjectReason(objectName, schema),
    });
  }
  for (const [origin, { sobject, count }] of unknownEntries) {
    const notImported = count === 1 ? '1 record was' : `${count} records were`;
    problems.push({
      origin,
      objectName: sobject,
      reason: unknownObjectReason(
        sobject,
        schema,
        `the entry's ${notImported} not imported; set its sobject to an object that force-app defines or a standard object the product uses, or remove the entry`,
      ),
    });
  }
  return candidates;
}

/** Tells whether a top-level record of a plan entry's data file has the entry's object. */
function isEntryObject(
  schema: OrgSchema,
  object: ObjectSchema,
  entry: PlanEntrySource,
): boolean {
  return findObject(schema, entry.sobject)?.name === object.name;
}

/**
 * Explains why a record whose `attributes.type` differs from its plan entry's
 * sobject is not imported, because the entry names another object.
 */
function entryMismatchReason(type: string, entry: PlanEntrySource): string {
  return (
    `has attributes.type ${quoteValue(type)}, but ${entry.origin} has sobject ${quoteValue(entry.sobject)}, so the record was not imported; ` +
    `move the record to the data file of a plan entry for ${formatName(type)}, or correct the record's attributes.type or the entry's sobject`
  );
}

/** Counts one more record under `key`, keeping `first` from the first record. */
function countRecord<T extends object>(
  counts: Map<string, T & { count: number }>,
  key: string,
  first: T,
): void {
  const counted = counts.get(key);
  if (counted) counted.count += 1;
  else counts.set(key, { ...first, count: 1 });
}

/** Explains that `objectName` is not in the schema, with the closest object name. */
export function unknownObjectReason(
  objectName: string,
  schema: OrgSchema,
  fix = 'import only objects that force-app defines or the standard objects the product uses',
): string {
  // A name longer than 80 characters is no typo of an API name, and the edit
  // distance of a 1 MB name took over a minute in the tests.
  const suggestion =
    objectName.length <= MAX_SHOWN_LENGTH
      ? didYouMean(objectName, Object.keys(schema))
      : '';
  return `object ${quoteValue(objectName)} is not in the org schema${suggestion}; ${fix}`;
}

/** Returns the stored record with the Id of `data`, or undefined when the store has none. */
async function storedRecord(
  sink: ImportSink,
  object: ObjectSchema,
  data: RecordData,
): Promise<RecordData | undefined> {
  const [existing] = await sink.queryRecords(object.name, {
    where: { Id: String(data['Id']) },
  });
  return existing;
}

/**
 * Tells whether the stored record has the values of `data`, so a second import of
 * the same file writes nothing (and leaves LastModifiedDate alone).
 */
function isUnchanged(
  object: ObjectSchema,
  existing: RecordData,
  data: RecordData,
): boolean {
  // Compared as stored, so a value the store rounds matches its rounded form.
  return Object.entries(data).every(([field, value]) =>
    sameValue(
      existing[field],
      storedValue(object.fields[field], value as FieldValue),
    ),
  );
}

function sameValue(stored: unknown, incoming: unknown): boolean {
  if ((stored ?? null) === (incoming ?? null)) return true;
  if (stored === null || incoming === null) return false;
  const a = Number(stored);
  const b = Number(incoming);
  if (typeof stored !== 'boolean' && !Number.isNaN(a) && !Number.isNaN(b))
    return a === b;
  return String(stored) === String(incoming);
}

function problemOf(source: SourceRecord, error: unknown): ImportProblem {
  return {
    origin: source.origin,
    objectName: source.objectName,
    reason: error instanceof Error ? error.message : String(error),
  };
}

/** Explains why `source` repeats `earlier`, naming both as the user wrote them. */
function repeatReason(source: SourceRecord, earlier: SourceRecord): string {
  const given = Object.entries(source.fields).find(
    ([k]) => k.toLowerCase() === 'id',
  )?.[1];
  if (given !== undefined && given !== null && given !== '') {
    return `Id ${String(given)} is also the Id of ${earlier.origin}; each record may appear once in an import`;
  }
  return `has the same object and field values as ${earlier.origin}, and neither has an Id; each record may appear once in an import, so remove one of them`;
}

/** Finds an object of the schema by API name, ignoring case. */
export function findObject(
  schema: OrgSchema,
  name: string,
): ObjectSchema | undefined {
  if (schema[name]) return schema[name];
  const lower = name.toLowerCase();
  return Object.values(schema).find((o) => o.name.toLowerCase() === lower);
}

function mapFields(
  source: SourceRecord,
  object: ObjectSchema,
  references: Map<string, string>,
  skipped: Set<string>,
): RecordData {
  const byLowerName = new Map(
    Object.values(object.fields).map((f) => [f.name.toLowerCase(), f]),
  );
  const data: RecordData = {};
  for (const [name, raw] of Object.entries(source.fields)) {
    if (name.toLowerCase() === 'id') continue;
    const field = byLowerName.get(name.toLowerCase());
    if (!field) {
      skipped.add(`${object.name}.${formatName(name)}`);
      continue;
    }
    if (object.name === 'Opportunity' && STAGE_FIELDS.has(field.name)) {
      // Only a jointly confirmed move sets the co-sell stage; the import leaves it alone.
      skipped.add(`${object.name}.${field.name}`);
      continue;
    }
    if (object.name === 'Opportunity' && DERIVED_FIELDS.has(field.name)) {
      skipped.add(`${object.name}.${field.name}`);
      continue;
    }
    // Left out, so an update keeps the stored value and an insert the default.
    if (source.blankCells?.has(name)) continue;
    data[field.name] = coerce(field, raw, references);
  }
  return data;
}

/**
 * Sets IsWon and IsClosed from StageName, as Salesforce derives them from the
 * stage, so a file cannot mark an open stage as won. A record without StageName
 * leaves both alone, so an update of other fields keeps a won deal won.
 */
function applyOpportunityDefaults(
  object: ObjectSchema,
  data: RecordData,
): void {
  if (object.name !== 'Opportunity' || !('StageName' in data)) return;
  const stage = typeof data['StageName'] === 'string' ? data['StageName'] : '';
  data['IsWon'] = WON_STAGES.includes(stage);
  data['IsClosed'] = CLOSED_STAGES.includes(stage);
}

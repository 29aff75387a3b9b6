import type { ModelSource } from '../domain/model.js';
import type { RecordData } from '../domain/records.js';

/** One record read from an export file, before Ids and references are resolved. */
export interface SourceRecord {
  objectName: string;
  /** Where it came from, for messages: `Accounts.json#3` or `opps.csv line 4`. */
  origin: string;
  /** The data tree `referenceId`, when the file has one. */
  referenceId?: string;
  /** The entry of a data tree plan that lists the record's data file. */
  planEntry?: PlanEntrySource;
  /** The record this one is nested under in a child relationship block. */
  parent?: ParentLink;
  /**
   * Columns whose CSV cell was blank. Their fields keep the stored value on
   * update and take their default on insert, as in Data Loader; `fields` has
   * them as null.
   */
  blankCells?: Set<string>;
  fields: RecordData;
}

/** A parent record, as a nested child record of a data tree file names it. */
export interface ParentLink {
  objectName: string;
  origin: string;
  referenceId?: string;
  /** The key of the block the child is in, such as `Contacts`. */
  relationshipName: string;
}

/** A data tree plan entry, as import messages name it. */
export interface PlanEntrySource {
  /** The plan file and entry number, for messages: `data-plan.json entry 2`. */
  origin: string;
  /** The object the entry names in `sobject`. */
  sobject: string;
}

/** A record mapped to the schema, waiting to be written. */
export interface MappedRecord {
  source: SourceRecord;
  data: RecordData;
}

/** A record that was not imported, and why. */
export interface ImportProblem {
  origin: string;
  objectName: string;
  reason: string;
}

/** A value of a loaded record that the store changed, such as a rounded number. */
export interface ImportNote {
  origin: string;
  objectName: string;
  note: string;
}

export interface ImportReport {
  loaded: Record<string, number>;
  /** Records already in the store with the same values, left untouched. */
  unchanged: Record<string, number>;
  skippedFields: string[];
  problems: ImportProblem[];
  notes: ImportNote[];
}

/** The part of the local store the import writes through. */
export interface ImportSink {
  /** Reads the stage models, whose names a deal's `Cosell_Model__c` must give. */
  loadModelSource(): Promise<ModelSource>;
  upsertRecords(objectName: string, records: RecordData[]): unknown;
  queryRecords(
    objectName: string,
    options: { where: Record<string, string> },
  ): Promise<RecordData[]>;
}

import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { jsonSyntaxDetail } from '../domain/json-syntax.js';
import type { RecordData } from '../domain/records.js';
import type {
  ParentLink,
  PlanEntrySource,
  SourceRecord,
} from './import-types.js';
import { quoteValue, shortenText } from './quote-value.js';
import { decodeUtf8File } from './utf8-text.js';

export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ImportFileError';
  }
}

interface PlanEntry {
  sobject: string;
  files: string[];
}

async function readJson(file: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new ImportFileError(
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path`,
    );
  }
  const text = decodeUtf8File(file, bytes, 'json');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(
      file,
      `is not valid JSON (${jsonSyntaxDetail(error, text, 'the file')}); re-export it with sf data export tree`,
    );
  }
}

/**
 * Reads a data tree export: either the plan that `sf data export tree --plan`
 * writes (a list of `{ sobject, files }`) or a single data file (`{ records }`).
 */
export async function readDataTree(file: string): Promise<SourceRecord[]> {
  const content = await readJson(file);
  if (Array.isArray(content)) {
    if (content.length === 0) {
      throw new ImportFileError(
        file,
        'is a data tree plan with no entries, so nothing was imported; export the records again with sf data export tree --plan, or pass a plan that lists data files',
      );
    }
    const records: SourceRecord[] = [];
    for (const [index, entry] of content.entries()) {
      const plan = entry as Partial<PlanEntry>;
      if (typeof plan?.sobject !== 'string' || !Array.isArray(plan.files)) {
        throw new ImportFileError(
          file,
          `plan entry ${index + 1} needs "sobject" and "files"; this is not a data tree plan`,
        );
      }
      const planEntry = {
        origin: `${path.basename(file)} entry ${index + 1}`,
        sobject: plan.sobject,
      };
      for (const dataFile of plan.files) {
        const resolved = dataFilePath(file, index, plan.sobject, dataFile);
        records.push(...(await readDataFile(resolved, planEntry)));
      }
    }
    if (records.length === 0) {
      throw new ImportFileError(
        file,
        'lists data files with no records, so nothing was imported; check that the plan names the data files you meant to import',
      );
    }
    return records;
  }
  const records = await readDataFile(file, undefined, content);
  if (records.length === 0) {
    throw new ImportFileError(
      file,
      'has an empty "records" array, so nothing was imported; export the records again with sf data export tree',
    );
  }
  return records;
}

/**
 * Resolves a data file that a plan entry names, which must be inside the plan's
 * folder, so a plan from elsewhere cannot make the import read other files. Both
 * paths are compared after resolving symbolic links, so a link in the plan's
 * folder to a file outside it is rejected too.
 */
function dataFilePath(
  planFile: string,
  index: number,
  objectName: string,
  dataFile: unknown,
): string {
  const folder = path.resolve(path.dirname(planFile));
  const resolved = realPath(path.resolve(folder, String(dataFile)));
  const relative = path.relative(realPath(folder), resolved);
  const inside =
    relative !== '' &&
    !path.isAbsolute(relative) &&
    relative.split(path.sep)[0] !== '..';
  if (!inside) {
    throw new ImportFileError(
      planFile,
      `plan entry ${index + 1} (${shortenText(objectName)}) names the data file ${quoteValue(dataFile)}, which is not inside the plan's folder ${folder}; ` +
        'sf data export tree writes data files beside the plan, so keep them in that folder and name them relative to it',
    );
  }
  return resolved;
}

/**
 * Returns the absolute path with symbolic links resolved. For a path that does not
 * exist, only its folders are resolved, so that reading it reports the missing file.
 */
function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    const folder = path.dirname(file);
    if (folder === file) return file;
    return path.join(realPath(folder), path.basename(file));
  }
}

async function readDataFile(
  file: string,
  planEntry: PlanEntrySource | undefined,
  preloaded?: unknown,
): Promise<SourceRecord[]> {
  const content = (preloaded ?? (await readJson(file))) as {
    records?: unknown;
  };
  if (!content || !Array.isArray(content.records)) {
    throw new ImportFileError(
      file,
      'has no "records" array; pass the plan file or a data file that sf data export tree wrote',
    );
  }
  const name = path.basename(file);
  return content.records.flatMap((raw, index) =>
    sourceRecords(raw, `${name}#${index + 1}`, planEntry),
  );
}

/**
 * Converts one data tree record into source records: the record itself, then the
 * records of each child relationship block it carries, such as
 * `"Contacts": { "records": [...] }`, which `sf data export tree` writes without
 * `--plan`. Child records are linked to their parent by {@link ParentLink}.
 */
function sourceRecords(
  raw: unknown,
  origin: string,
  planEntry: PlanEntrySource | undefined,
  parent?: ParentLink,
): SourceRecord[] {
  const record = (raw ?? {}) as RecordData & {
    attributes?: { type?: unknown; referenceId?: string };
  };
  const { attributes, ...fields } = record;
  // The plan entry's sobject is the parent's object, so a child never takes it.
  // An empty name marks a record whose object is unknown, which the import lists.
  const type = attributes?.type;
  const objectName =
    typeof type === 'string'
      ? type
      : type === undefined && !parent
        ? (planEntry?.sobject ?? '')
        : '';
  const children: SourceRecord[] = [];
  for (const [relationshipName, value] of Object.entries(fields)) {
    if (!isChildBlock(value)) continue;
    delete fields[relationshipName];
    const link: ParentLink = {
      objectName,
      origin,
      referenceId: attributes?.referenceId,
      relationshipName,
    };
    for (const [index, child] of value.records.entries()) {
      const childOrigin = `${origin} ${relationshipName}#${index + 1}`;
      children.push(...sourceRecords(child, childOrigin, planEntry, link));
    }
  }
  const source: SourceRecord = {
    objectName,
    origin,
    referenceId: attributes?.referenceId,
    planEntry,
    fields: fields as RecordData,
  };
  if (parent) source.parent = parent;
  return [source, ...children];
}

/** Tells whether a field value is a child relationship block, `{ records: [...] }`. */
function isChildBlock(value: unknown): value is { records: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { records?: unknown }).records)
  );
}

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FieldSchema, ObjectSchema } from '../../domain/schema.js';
import { parseCustomField, type LookupLink } from './custom-field.js';
import { customObjectSchema } from './custom-object.js';
import { messageOf, type ProblemList } from './force-app-error.js';
import { readXmlRoot } from './xml-file.js';

const FIELD_SUFFIX = '.field-meta.xml';

/** The schema parts read from one `objects/<Name>/` folder. */
export interface ObjectFolder {
  name: string;
  folder: string;
  /** The object's schema for a custom object; undefined for a standard object. */
  object?: ObjectSchema;
  fields: FieldSchema[];
  lookups: (LookupLink & { file: string })[];
}

/**
 * Reads the object file and field files of one object folder, adding a problem for
 * each file that cannot be used. Returns null when the object itself is unusable.
 */
export async function readObjectFolder(
  folder: string,
  name: string,
  problems: ProblemList,
): Promise<ObjectFolder | null> {
  const result: ObjectFolder = { name, folder, fields: [], lookups: [] };
  let isDetail = false;
  for (const file of await listFieldFiles(folder)) {
    const fieldName = file.slice(0, -FIELD_SUFFIX.length);
    const path = join(folder, 'fields', file);
    try {
      const parsed = parseCustomField(
        fieldName,
        await readXmlRoot(path, 'CustomField'),
      );
      result.fields.push(parsed.schema);
      if (parsed.lookup) result.lookups.push({ ...parsed.lookup, file: path });
      if (parsed.masterDetail) isDetail = true;
    } catch (error) {
      problems.add(path, messageOf(error));
    }
  }
  if (!/__(c|mdt)$/.test(name)) return result;

  const objectFile = join(folder, `${name}.object-meta.xml`);
  try {
    const xml = await readXmlRoot(objectFile, 'CustomObject');
    result.object = customObjectSchema(name, xml, isDetail);
    return result;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    problems.add(
      objectFile,
      missing
        ? `object file is missing; a custom object folder needs ${name}.object-meta.xml`
        : messageOf(error),
    );
    return null;
  }
}

async function listFieldFiles(folder: string): Promise<string[]> {
  try {
    const files = await readdir(join(folder, 'fields'));
    return files.filter((file) => file.endsWith(FIELD_SUFFIX)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

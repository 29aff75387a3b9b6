import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectSchema, OrgSchema } from '../../domain/schema.js';
import { findFolders, requireFolder } from './find-folders.js';
import { ProblemList, reportReadErrors } from './force-app-error.js';
import { readObjectFolder, type ObjectFolder } from './object-folder.js';
import {
  STANDARD_CHILD_RELATIONSHIPS,
  standardObjects,
} from './standard-objects.js';

/**
 * Reads every object folder under a package directory (such as `force-app`) into the
 * org schema: the kept standard objects with their custom fields, every custom object
 * and custom metadata type, and the child relationships their lookups create.
 * Throws `ForceAppError` listing every problem, each with its file.
 */
export function readForceAppSchema(packageDir: string): Promise<OrgSchema> {
  return reportReadErrors(packageDir, () => readSchema(packageDir));
}

async function readSchema(packageDir: string): Promise<OrgSchema> {
  await requireFolder(packageDir);
  const problems = new ProblemList();
  const schema: OrgSchema = Object.fromEntries(
    standardObjects().map((object) => [object.name, object]),
  );
  const folders: ObjectFolder[] = [];
  for (const objectsFolder of await findFolders(packageDir, 'objects')) {
    for (const name of await listSubfolders(objectsFolder)) {
      const folder = join(objectsFolder, name);
      const read = await readObjectFolder(folder, name, problems);
      if (read) folders.push(read);
    }
  }
  for (const read of folders) addObject(schema, read, problems);
  for (const read of folders) linkLookups(schema, read, problems);
  for (const link of STANDARD_CHILD_RELATIONSHIPS) {
    const { parent, ...relationship } = link;
    const parentObject = schema[parent];
    if (parentObject) {
      parentObject.childRelationships[relationship.relationshipName] = {
        ...relationship,
      };
    }
  }
  problems.throwIfAny();
  return schema;
}

function addObject(
  schema: OrgSchema,
  read: ObjectFolder,
  problems: ProblemList,
): void {
  let target: ObjectSchema | undefined = schema[read.name];
  if (read.object) {
    if (target) {
      problems.add(
        read.folder,
        `object ${read.name} is defined twice; keep one folder for it`,
      );
      return;
    }
    target = read.object;
    schema[read.name] = target;
  } else if (!target) {
    problems.add(
      read.folder,
      `standard object ${read.name} is not one the product uses; add it to standardObjects() in middleware/src/org/force-app/standard-objects.ts, or remove the folder`,
    );
    return;
  }
  for (const field of read.fields) {
    if (target.fields[field.name]) {
      problems.add(
        join(read.folder, 'fields'),
        `field ${read.name}.${field.name} is defined twice`,
      );
      continue;
    }
    target.fields[field.name] = field;
  }
}

function linkLookups(
  schema: OrgSchema,
  read: ObjectFolder,
  problems: ProblemList,
): void {
  if (!schema[read.name]) return;
  for (const lookup of read.lookups) {
    const parent = schema[lookup.target];
    if (!parent) {
      problems.add(
        lookup.file,
        `lookup to unknown object ${lookup.target}; add its object folder, or point <referenceTo> at an existing object`,
      );
      continue;
    }
    if (lookup.childRelationshipName === undefined) continue;
    const relationshipName = `${lookup.childRelationshipName}__r`;
    const existing = parent.childRelationships[relationshipName];
    if (existing) {
      problems.add(
        lookup.file,
        `child relationship ${relationshipName} on ${parent.name} is also used by ${existing.childSObject}.${existing.field}; choose another <relationshipName>`,
      );
      continue;
    }
    parent.childRelationships[relationshipName] = {
      relationshipName,
      childSObject: read.name,
      field: lookup.field,
    };
  }
}

async function listSubfolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

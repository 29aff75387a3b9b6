import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  ForceAppError,
  type ForceAppProblem,
} from '../../../middleware/src/org/force-app/index.js';

const NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/** A throwaway package directory; `remove` deletes it. */
export interface PackageFixture {
  dir: string;
  path(relative: string): string;
  remove(): Promise<void>;
}

/** Writes the given files (relative path to content) into a new temporary package directory. */
export async function makePackage(
  files: Record<string, string | Uint8Array>,
): Promise<PackageFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'force-app-'));
  for (const [relative, content] of Object.entries(files)) {
    const file = join(dir, relative);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return {
    dir,
    path: (relative) => join(dir, relative),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The folder of the shipped object files. */
const SHIPPED_OBJECTS = 'force-app/main/default/objects';

/**
 * The object and field files of the shipped custom metadata types, keyed by their
 * path in a package, such as `main/default/objects/Cosell_Stage__mdt/fields/Order__c.field-meta.xml`,
 * for a package that holds records of those types.
 */
export async function metadataTypeFiles(
  types = ['Cosell_Model__mdt', 'Cosell_Stage__mdt', 'Exit_Criterion__mdt'],
): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const type of types) {
    const folder = join(SHIPPED_OBJECTS, type);
    const paths = [
      `${type}.object-meta.xml`,
      ...(await readdir(join(folder, 'fields'))).map((f) => `fields/${f}`),
    ];
    for (const path of paths) {
      files[`main/default/objects/${type}/${path}`] = await readFile(
        join(folder, path),
        'utf8',
      );
    }
  }
  return files;
}

/** Wraps field elements in a `CustomField` document. */
export function fieldXml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="${NAMESPACE}">${body}</CustomField>\n`;
}

/** Renders a minimal `CustomObject` document. */
export function objectXml(label: string, nameType = 'Text'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="${NAMESPACE}"><label>${label}</label><nameField><label>Name</label><type>${nameType}</type></nameField></CustomObject>\n`;
}

/** Renders a `CustomMetadata` record; a `null` value is written as `xsi:nil`. */
export function recordXml(
  label: string,
  values: Record<string, string | null>,
): string {
  const entries = Object.entries(values)
    .map(([field, value]) =>
      value === null
        ? `<values><field>${field}</field><value xsi:nil="true"/></values>`
        : `<values><field>${field}</field><value xsi:type="xsd:string">${value}</value></values>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<CustomMetadata xmlns="${NAMESPACE}" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<label>${label}</label><protected>false</protected>${entries}</CustomMetadata>\n`
  );
}

/**
 * Runs a reader on the fixture and returns the problems of the `ForceAppError` it
 * rejects with. Throws when it resolves or rejects with anything else.
 */
export async function problemsOf(
  read: (packageDir: string) => Promise<unknown>,
  fixture: PackageFixture,
): Promise<ForceAppProblem[]> {
  const error = await read(fixture.dir).then(
    () => new Error('the reader returned without a ForceAppError'),
    (caught: unknown) => caught,
  );
  if (!(error instanceof ForceAppError)) throw error;
  return error.problems;
}

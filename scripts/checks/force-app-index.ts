import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ModelSource } from '../../middleware/src/domain/model.js';
import type { OrgSchema } from '../../middleware/src/domain/schema.js';
import {
  ForceAppError,
  readForceAppSchema,
  readModelSource,
} from '../../middleware/src/org/force-app/index.js';
import { messageOf } from '../../middleware/src/org/force-app/force-app-error.js';
import {
  childNodes,
  childText,
  readXmlRoot,
} from '../../middleware/src/org/force-app/xml-file.js';
import { auraEnabledMethods } from './apex-references.js';
import type { Finding } from './finding.js';
import type { KnownNames } from './references.js';
import { SchemaLookup } from './schema-lookup.js';
import { listSourceFiles } from './source-files.js';

const CHECK = 'cross-reference';

/** Everything `force-app` defines that the cross-reference check resolves names against. */
export interface ForceAppIndex extends KnownNames {
  orgSchema: OrgSchema;
  models: ModelSource;
  /** Apex class file by lower-case class name. */
  classFiles: Map<string, string>;
}

/**
 * Reads the objects, custom metadata records, Apex classes, custom labels, custom
 * permissions and Apex sharing reasons under `packageDir`. A file that cannot be read or parsed becomes a
 * finding with its file and reason. The index is undefined when the objects or
 * records are unusable, because every other check depends on them.
 */
export async function readForceAppIndex(
  packageDir: string,
): Promise<{ index?: ForceAppIndex; findings: Finding[] }> {
  const findings: Finding[] = [];
  let orgSchema: OrgSchema | undefined;
  let models: ModelSource | undefined;
  try {
    orgSchema = await readForceAppSchema(packageDir);
  } catch (error) {
    findings.push(...problemsOf(error));
  }
  // The records are checked against the objects' field definitions, so they are
  // read once the objects are; an object problem is reported on its own first.
  try {
    if (orgSchema) models = await readModelSource(packageDir, orgSchema);
  } catch (error) {
    findings.push(...problemsOf(error));
  }
  const classFiles = new Map<string, string>();
  const auraMethods = new Map<string, Set<string>>();
  for (const file of await listSourceFiles(packageDir, ['.cls'])) {
    const className = basename(file, '.cls');
    classFiles.set(className.toLowerCase(), file);
    auraMethods.set(
      className.toLowerCase(),
      auraEnabledMethods(await readFile(file, 'utf8')),
    );
  }
  const labels = await readNames(
    packageDir,
    '.labels-meta.xml',
    'CustomLabels',
    findings,
    (root) =>
      childNodes(root, 'labels').map((label) => childText(label, 'fullName')),
  );
  const customPermissions = await readNames(
    packageDir,
    '.customPermission-meta.xml',
    'CustomPermission',
    findings,
    (_root, file) => [basename(file, '.customPermission-meta.xml')],
  );
  const sharingReasons = await readNames(
    packageDir,
    '.sharingReason-meta.xml',
    'SharingReason',
    findings,
    (_root, file) => [`${basename(file, '.sharingReason-meta.xml')}__c`],
  );
  if (!orgSchema || !models) return { findings };
  return {
    findings,
    index: {
      orgSchema,
      models,
      schema: new SchemaLookup(orgSchema),
      classFiles,
      auraMethods,
      labels,
      customPermissions,
      sharingReasons,
    },
  };
}

/** Reads lower-case names from every `suffix` file, reporting malformed ones. */
async function readNames(
  packageDir: string,
  suffix: string,
  rootTag: string,
  findings: Finding[],
  namesOf: (
    root: Awaited<ReturnType<typeof readXmlRoot>>,
    file: string,
  ) => (string | undefined)[],
): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of await listSourceFiles(packageDir, [suffix])) {
    try {
      const root = await readXmlRoot(file, rootTag);
      for (const name of namesOf(root, file)) {
        if (name !== undefined) names.add(name.toLowerCase());
      }
    } catch (error) {
      findings.push({
        check: CHECK,
        file,
        name: '',
        message: messageOf(error),
      });
    }
  }
  return names;
}

function problemsOf(error: unknown): Finding[] {
  if (!(error instanceof ForceAppError)) throw error;
  return error.problems.map((problem) => ({
    check: CHECK,
    file: problem.file,
    name: '',
    message: problem.message,
  }));
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../../middleware/src/org/force-app/force-app-error.js';
import { readXmlRoot } from '../../middleware/src/org/force-app/xml-file.js';
import { apexReferences } from './apex-references.js';
import { checkCriteriaFormulas } from './criteria-references.js';
import type { Finding } from './finding.js';
import { readForceAppIndex } from './force-app-index.js';
import { lwcReferences } from './lwc-references.js';
import { middlewareReferences } from './middleware-references.js';
import { permissionSetReferences } from './permission-set-references.js';
import { resolveReference, type Reference } from './references.js';
import { APEX_SUFFIXES, listSourceFiles } from './source-files.js';
import { checkStageValues } from './stage-values.js';

export interface CrossReferenceOptions {
  /** The middleware's API name maps; the real `api-names.ts` by default. */
  apiNameMaps?: Readonly<Record<string, unknown>>;
  /** The file findings on those maps name. */
  apiNamesFile?: string;
}

/**
 * Checks that every name the package uses exists in `packageDir`. That covers the
 * objects, fields and relationships named in Apex, LWC, criterion formulas,
 * permission sets and the middleware's API name maps, and the Apex methods, custom
 * labels and custom permissions that LWC and Apex name. It also checks that the
 * stage records and the `Cosell_Stage__c` picklist have the same values. Each
 * finding names the file and the name, and a malformed metadata file is a finding
 * with its file and reason.
 */
export async function checkCrossReferences(
  packageDir: string,
  options: CrossReferenceOptions = {},
): Promise<Finding[]> {
  const { index, findings } = await readForceAppIndex(packageDir);
  if (!index) return findings;

  const references: Reference[] = [];
  for (const file of await listSourceFiles(packageDir, APEX_SUFFIXES)) {
    references.push(
      ...apexReferences(file, await readFile(file, 'utf8'), index.schema),
    );
  }
  for (const file of await listSourceFiles(packageDir, ['.js', '.html'])) {
    if (!/[\\/]lwc[\\/]/.test(file)) continue;
    references.push(
      ...lwcReferences(file, await readFile(file, 'utf8'), index.schema),
    );
  }
  for (const file of await listSourceFiles(packageDir, [
    '.permissionset-meta.xml',
  ])) {
    try {
      const root = await readXmlRoot(file, 'PermissionSet');
      references.push(...permissionSetReferences(file, root));
    } catch (error) {
      findings.push({
        check: 'cross-reference',
        file,
        name: '',
        message: messageOf(error),
      });
    }
  }
  const middleware = middlewareReferences(
    options.apiNameMaps,
    options.apiNamesFile,
  );
  references.push(...middleware.references);
  findings.push(...middleware.findings);

  for (const reference of references) {
    const finding = resolveReference(reference, index);
    if (finding) findings.push(finding);
  }
  findings.push(...checkCriteriaFormulas(index));
  findings.push(
    ...checkStageValues(
      index,
      join(
        packageDir,
        'main/default/objects/Opportunity/fields/Cosell_Stage__c.field-meta.xml',
      ),
    ),
  );
  return unique(findings);
}

/** Drops repeated findings, such as one missing field named twice on a line. */
function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.file}\n${finding.name}\n${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

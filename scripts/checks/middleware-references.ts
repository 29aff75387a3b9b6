import * as apiNames from '../../middleware/src/domain/api-names.js';
import type { Finding } from './finding.js';
import type { Reference } from './references.js';

/** The file the middleware's API names live in, as findings name it. */
export const API_NAMES_FILE = 'middleware/src/domain/api-names.ts';

/** The object whose fields each `*_FIELDS` map of `api-names.ts` names. */
export const FIELD_MAP_OBJECTS: Readonly<Record<string, string>> = {
  OPPORTUNITY_FIELDS: 'Opportunity',
  REQUEST_FIELDS: 'Stage_Request__c',
  TRANSITION_FIELDS: 'Stage_Transition__c',
  IDEMPOTENCY_FIELDS: 'Idempotency_Record__c',
  REGISTRATION_FIELDS: 'Deal_Registration__c',
  DEAL_PARTNER_FIELDS: 'Deal_Partner__c',
};

/**
 * Lists the objects, fields and child relationships that the middleware's API name
 * maps name: `OBJECTS`, each `*_FIELDS` map on its object, and `RELATIONSHIPS` on
 * Opportunity. A `*_FIELDS` map the check cannot place is a finding, so a new map
 * is not skipped silently. `maps` defaults to the real module; tests pass others.
 */
export function middlewareReferences(
  maps: Readonly<Record<string, unknown>> = apiNames,
  file: string = API_NAMES_FILE,
): { references: Reference[]; findings: Finding[] } {
  const references: Reference[] = [];
  const findings: Finding[] = [];
  for (const [exportName, value] of Object.entries(maps)) {
    if (!isNameMap(value)) continue;
    const names = Object.values(value);
    if (exportName === 'OBJECTS') {
      for (const object of names)
        references.push({ kind: 'object', file, object });
    } else if (exportName === 'RELATIONSHIPS') {
      for (const name of names) {
        references.push({
          kind: 'child-relationship',
          file,
          object: 'Opportunity',
          name,
        });
      }
    } else if (exportName.endsWith('_FIELDS')) {
      const object = FIELD_MAP_OBJECTS[exportName];
      if (object === undefined) {
        findings.push({
          check: 'cross-reference',
          file,
          name: exportName,
          message: `FIELD_MAP_OBJECTS in scripts/checks/middleware-references.ts names no object for ${exportName}; add the object whose fields it maps`,
        });
        continue;
      }
      for (const path of names)
        references.push({ kind: 'field', file, object, path });
    }
  }
  return { references, findings };
}

function isNameMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

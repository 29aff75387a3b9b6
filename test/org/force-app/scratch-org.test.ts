import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { ModelSource } from '../../../middleware/src/domain/model.js';
import type { OrgSchema } from '../../../middleware/src/domain/schema.js';
import {
  readForceAppSchema,
  readModelSource,
} from '../../../middleware/src/org/force-app/index.js';

const DATA = 'scripts/scratch-org/data';

interface PlanEntry {
  sobject: string;
  files: string[];
}
type TreeRecord = {
  attributes: { type: string; referenceId: string };
} & Record<string, unknown>;

let schema: OrgSchema;
let models: ModelSource;
const records: TreeRecord[] = [];

beforeAll(async () => {
  schema = await readForceAppSchema('force-app');
  models = await readModelSource('force-app');
  const plan = JSON.parse(
    await readFile(`${DATA}/plan.json`, 'utf8'),
  ) as PlanEntry[];
  for (const entry of plan) {
    for (const file of entry.files) {
      const tree = JSON.parse(await readFile(`${DATA}/${file}`, 'utf8')) as {
        records: TreeRecord[];
      };
      for (const record of tree.records) {
        expect([file, record.attributes.type]).toEqual([file, entry.sobject]);
        records.push(record);
      }
    }
  }
});

/** Checks one field value of a sample record against the schema and returns the problem, or null. */
function problemOf(
  record: TreeRecord,
  name: string,
  value: unknown,
  refs: Map<string, string>,
) {
  const field = schema[record.attributes.type]?.fields[name];
  if (!field) return 'is not a field of the object';
  if (typeof value === 'string' && value.startsWith('@')) {
    const target = refs.get(value.slice(1));
    if (target === undefined)
      return `references ${value}, which no earlier record defines`;
    if (!field.referenceTo?.includes(target)) return `references a ${target}`;
    return null;
  }
  if (field.type === 'reference')
    return 'must reference an earlier record with @';
  const allowed = field.picklistValues ?? [];
  if (
    field.type === 'picklist' &&
    field.restrictedPicklist &&
    !allowed.includes(String(value))
  ) {
    return `"${String(value)}" is not a picklist value`;
  }
  if (field.type === 'multipicklist') {
    const unknown = String(value)
      .split(';')
      .filter((part) => !allowed.includes(part));
    if (unknown.length > 0)
      return `"${unknown.join(';')}" are not picklist values`;
  }
  if (
    typeof value === 'string' &&
    field.length !== undefined &&
    value.length > field.length
  ) {
    return `is ${value.length} characters, over ${field.length}`;
  }
  return null;
}

describe('scratch org sample data', () => {
  test('every value fits the schema', () => {
    const refs = new Map<string, string>();
    const problems: string[] = [];
    for (const record of records) {
      const { attributes, ...fields } = record;
      for (const [name, value] of Object.entries(fields)) {
        const problem = problemOf(record, name, value, refs);
        if (problem)
          problems.push(`${attributes.referenceId}.${name} ${problem}`);
      }
      expect(refs.has(attributes.referenceId)).toBe(false);
      refs.set(attributes.referenceId, attributes.type);
    }
    expect(problems).toEqual([]);
  });

  test('deals use stages of their model', () => {
    const deals = records.filter((r) => r.attributes.type === 'Opportunity');
    expect(deals.length).toBeGreaterThan(0);
    for (const deal of deals) {
      const values = models.stages
        .filter((stage) => stage.model === deal['Cosell_Model__c'])
        .map((stage) => stage.value);
      expect([deal.attributes.referenceId, values]).toEqual([
        deal.attributes.referenceId,
        expect.arrayContaining([deal['Cosell_Stage__c']]),
      ]);
    }
  });
});

describe('scratch org setup', () => {
  test('definition enables the partner site and currencies', async () => {
    const definition = JSON.parse(
      await readFile('config/project-scratch-def.json', 'utf8'),
    ) as {
      features: string[];
      settings: Record<string, Record<string, unknown>>;
    };
    expect(definition.features).toEqual(
      expect.arrayContaining(['Communities', 'MultiCurrency']),
    );
    expect(
      definition.settings['communitiesSettings']?.['enableNetworksEnabled'],
    ).toBe(true);
    expect(
      definition.settings['opportunitySettings']?.['enableOpportunityTeam'],
    ).toBe(true);
  });

  test('setup.sh shares rows after partner users', async () => {
    const script = await readFile('scripts/scratch-org/setup.sh', 'utf8');
    const main = script.slice(script.indexOf('\nmain() {'));
    const load = main.indexOf('load_sample_data');
    const users = main.indexOf('create-partner-users.apex');
    const share = main.indexOf('share-sample-records.apex');
    expect(load).toBeGreaterThan(-1);
    expect(users).toBeGreaterThan(load);
    expect(share).toBeGreaterThan(users);
    const apex = await readFile(
      'scripts/scratch-org/apex/share-sample-records.apex',
      'utf8',
    );
    expect(apex).toContain('service.shareDealRegistrations(');
    expect(apex).toContain('service.shareDealPartners(');
    // Partner owners first, because Apex sharing does not make a row reach the
    // internal users' owner-based sharing rule.
    const owners = apex.indexOf('registration.OwnerId = owner;');
    expect(owners).toBeGreaterThan(-1);
    expect(apex.indexOf('update owned;')).toBeGreaterThan(owners);
    expect(apex.indexOf('service.shareDealRegistrations(')).toBeGreaterThan(
      apex.indexOf('update owned;'),
    );
  });

  test('setup.sh parses with bash -n', async () => {
    await expect(
      promisify(execFile)('bash', ['-n', 'scripts/scratch-org/setup.sh']),
    ).resolves.toMatchObject({ stderr: '' });
  });

  test('setup.sh without a Dev Hub prints usage', async () => {
    const run = promisify(execFile)('bash', ['scripts/scratch-org/setup.sh']);
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('setup.sh: missing -v DEV_HUB_ALIAS'),
    });
  });
});

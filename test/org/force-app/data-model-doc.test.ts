import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { OrgSchema } from '../../../middleware/src/domain/schema.js';
import { readForceAppSchema } from '../../../middleware/src/org/force-app/index.js';

/**
 * docs/data-model.md lists every custom field the package adds; this suite checks the
 * page against the force-app object files in both directions.
 */
let documented: Map<string, Set<string>>;
let schema: OrgSchema;

const CUSTOM_NAME = /^[A-Za-z][A-Za-z0-9_]*__(c|mdt)$/;

/** Names in backticks, leaving out those inside brackets, which are notes. */
function backticked(text: string): string[] {
  let outside = text;
  while (/\([^()]*\)/.test(outside))
    outside = outside.replace(/\([^()]*\)/g, '');
  return [...outside.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

/** Table rows of a markdown section, split into cells. */
function sectionRows(page: string, heading: string): string[][] {
  const start = page.indexOf(`## ${heading}\n`);
  const end = page.indexOf('\n## ', start + 1);
  const section = page.slice(start, end === -1 ? undefined : end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | '));
}

function addFields(object: string, names: string[]) {
  const set = documented.get(object) ?? new Set<string>();
  for (const name of names) if (CUSTOM_NAME.test(name)) set.add(name);
  documented.set(object, set);
}

beforeAll(async () => {
  const page = await readFile('docs/data-model.md', 'utf8');
  schema = await readForceAppSchema('force-app');
  documented = new Map();
  for (const row of sectionRows(
    page,
    'Opportunity (standard object, custom fields)',
  )) {
    addFields('Opportunity', backticked(row[0] ?? '').slice(0, 1));
  }
  for (const heading of ['Custom objects', 'Custom metadata types']) {
    for (const row of sectionRows(page, heading)) {
      const object = backticked(row[0] ?? '')[0] ?? '';
      addFields(object, backticked(row.slice(2).join(' | ')));
      if (heading === 'Custom metadata types')
        addFields(object, backticked(row[1] ?? ''));
    }
  }
});

describe('docs/data-model.md', () => {
  test('lists every custom object', () => {
    const customObjects = Object.values(schema)
      .filter((object) => object.custom)
      .map((object) => object.name)
      .sort();
    expect(
      [...documented.keys()].filter((name) => name !== 'Opportunity').sort(),
    ).toEqual(customObjects);
  });

  test('fields match the object files', () => {
    for (const [object, fields] of documented) {
      const inMetadata = Object.values(schema[object]?.fields ?? {})
        .filter((field) => field.custom)
        .map((field) => field.name)
        .sort();
      expect([object, [...fields].sort()]).toEqual([object, inMetadata]);
    }
  });
});

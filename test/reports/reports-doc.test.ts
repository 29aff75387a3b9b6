import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPORT_REGISTRY } from '../../middleware/src/reports/registry.js';

const DOC = readFileSync(path.join(process.cwd(), 'docs/reports.md'), 'utf8');

describe('docs/reports.md', () => {
  it.each(Object.entries(REPORT_REGISTRY))(
    'documents every column of %s',
    (name, entry) => {
      const section = DOC.split(`\n## \`${name}\`\n`)[1]?.split('\n## ')[0];
      expect(section).toBeDefined();
      for (const format of entry.formats) {
        expect(section).toContain(`\`${format}\``);
      }
      const keys = [...section!.matchAll(/^\| `([^`]+)` \|/gm)].map(
        (match) => match[1],
      );
      expect(keys).toEqual(
        entry.definition.columns.map((column) => column.key),
      );
      for (const column of entry.definition.columns) {
        expect(section).toContain(
          `| \`${column.key}\` | ${column.header} | ${column.type} |`,
        );
      }
    },
  );
});

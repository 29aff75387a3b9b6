import { readFile } from 'node:fs/promises';
import * as prettier from 'prettier';
import * as apexPlugin from 'prettier-plugin-apex';
import type { Finding } from './finding.js';
import { APEX_SUFFIXES, listSourceFiles } from './source-files.js';

const CHECK = 'apex-format';

/**
 * Checks that every Apex class and trigger under `packageDir` parses and is
 * formatted as `prettier-plugin-apex` formats it with a tab width of 4, the
 * project's setting under `force-app/`.
 */
export async function checkApexFormat(packageDir: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of await listSourceFiles(packageDir, APEX_SUFFIXES)) {
    const source = await readFile(file, 'utf8');
    try {
      const formatted = await prettier.check(source, {
        parser: 'apex',
        plugins: [apexPlugin],
        tabWidth: 4,
        filepath: file,
      });
      if (!formatted) {
        findings.push({
          check: CHECK,
          file,
          name: '',
          message: `is not formatted as prettier-plugin-apex formats it; run npx prettier --write ${file}`,
        });
      }
    } catch (error) {
      findings.push({
        check: CHECK,
        file,
        name: '',
        message: `does not parse as Apex: ${parseMessage(error)}`,
      });
    }
  }
  return findings;
}

/** Joins the parser's message into one line, since it puts each unexpected token on its own line. */
function parseMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkApexFormat } from './apex-format.js';
import { checkApexPmd, type PmdOptions } from './apex-pmd.js';
import {
  checkCrossReferences,
  type CrossReferenceOptions,
} from './cross-reference.js';
import { formatFinding, type Finding } from './finding.js';

export interface RunOptions {
  pmd?: PmdOptions;
  crossReference?: CrossReferenceOptions;
  /** Skips the conversion to Metadata API format, which loads the Salesforce libraries. */
  skipConversion?: boolean;
  /** `sourceApiVersion` for the conversion; read from `sfdx-project.json` when absent. */
  apiVersion?: string;
}

export interface RunReport {
  findings: Finding[];
  /** One line a check: what it did, or why it was skipped. */
  summary: string[];
}

/**
 * Runs every offline check of a package directory: Apex formatting, PMD, cross
 * references, and the conversion to Metadata API format.
 */
export async function runChecks(
  packageDir: string,
  options: RunOptions = {},
): Promise<RunReport> {
  const report: RunReport = { findings: [], summary: [] };
  const folder = await stat(packageDir).catch(() => null);
  if (!folder?.isDirectory()) {
    report.findings.push({
      check: 'run',
      file: packageDir,
      name: '',
      message:
        'package directory not found; pass the folder that holds the metadata, such as force-app',
    });
    return report;
  }
  const add = (check: string, findings: Finding[], detail = '') => {
    report.findings.push(...findings);
    report.summary.push(
      `${check}: ${findings.length === 0 ? 'passed' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`}${detail}`,
    );
  };

  add('apex-format', await checkApexFormat(packageDir));

  const pmd = await checkApexPmd(packageDir, options.pmd);
  if (pmd.skipped !== undefined) {
    report.summary.push(`pmd: skipped. ${pmd.skipped}`);
  } else {
    add(
      'pmd',
      pmd.findings,
      ` (${pmd.fileCount} Apex file${pmd.fileCount === 1 ? '' : 's'}; ${pmd.minorViolationCount} violations of severity 3 to 5 do not fail the check)`,
    );
  }

  add(
    'cross-reference',
    await checkCrossReferences(packageDir, options.crossReference),
  );

  if (options.skipConversion) {
    report.summary.push('convert-source: skipped on request');
  } else {
    add(
      'convert-source',
      await checkConversion(packageDir, options.apiVersion),
    );
  }
  return report;
}

/** Converts the package to Metadata API format in a temporary folder. */
async function checkConversion(
  packageDir: string,
  apiVersion: string | undefined,
): Promise<Finding[]> {
  const outputDir = await mkdtemp(join(tmpdir(), 'cosell-mdapi-'));
  try {
    // Loaded here: the Salesforce libraries write logs under HOME once imported.
    const { convertSource } = await import('./convert-source.js');
    await convertSource(
      packageDir,
      outputDir,
      apiVersion ?? (await projectApiVersion()),
    );
    return [];
  } catch (error) {
    return [
      {
        check: 'convert-source',
        file: packageDir,
        name: '',
        message: `conversion to Metadata API format failed: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

async function projectApiVersion(): Promise<string | undefined> {
  try {
    const project = JSON.parse(await readFile('sfdx-project.json', 'utf8')) as {
      sourceApiVersion?: string;
    };
    return project.sourceApiVersion;
  } catch {
    return undefined;
  }
}

/** Prints the report and returns the exit code: 1 when any check found something. */
export function printReport(
  report: RunReport,
  write: (line: string) => void,
): number {
  for (const finding of report.findings) {
    write(
      formatFinding({
        ...finding,
        file: relative(process.cwd(), finding.file) || finding.file,
      }),
    );
  }
  for (const line of report.summary) write(line);
  return report.findings.length === 0 ? 0 : 1;
}

const USAGE =
  'Usage: node dist/scripts/checks/run.js [packageDir]\nRuns the offline checks of a package directory (default: force-app).';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.length > 1) {
    console.error(USAGE);
    return argv.includes('--help') ? 0 : 2;
  }
  const report = await runChecks(argv[0] ?? 'force-app');
  return printReport(report, (line) => console.log(line));
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  process.exitCode = await main(process.argv.slice(2));
}

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeAnalyzer,
  CodeAnalyzerConfig,
  EventType,
  LogLevel,
  SeverityLevel,
  type EngineLogEvent,
  type LogEvent,
} from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import type { Finding } from './finding.js';
import { APEX_SUFFIXES, listSourceFiles } from './source-files.js';

const CHECK = 'pmd';

export interface PmdOptions {
  /** The Java 11+ executable; by default `java` on the PATH. */
  javaCommand?: string;
  /** Violations of this severity or more severe fail the check (1 Critical, 2 High). */
  failAtSeverity?: SeverityLevel;
}

export interface PmdResult {
  /** The reason PMD did not run, such as a missing Java; undefined when it ran. */
  skipped?: string;
  /** Violations at or above `failAtSeverity`, and errors that stopped PMD. */
  findings: Finding[];
  /** How many Apex files PMD read. */
  fileCount: number;
  /** Violations below `failAtSeverity`, which do not fail the check. */
  minorViolationCount: number;
}

/**
 * Runs every PMD Apex rule of Salesforce Code Analyzer on the Apex under
 * `packageDir`. Violations of severity 1 (Critical) or 2 (High) are findings.
 * Without a working Java the result has no findings and gives the reason in `skipped`.
 * Code Analyzer's logs and working files go to a temporary folder that is removed.
 */
export async function checkApexPmd(
  packageDir: string,
  options: PmdOptions = {},
): Promise<PmdResult> {
  const javaCommand = options.javaCommand ?? 'java';
  const failAtSeverity = options.failAtSeverity ?? SeverityLevel.High;
  const files = await listSourceFiles(packageDir, APEX_SUFFIXES);
  const result: PmdResult = {
    findings: [],
    fileCount: files.length,
    minorViolationCount: 0,
  };
  const missingJava = checkJava(javaCommand);
  if (missingJava !== undefined) return { ...result, skipped: missingJava };
  if (files.length === 0) return result;

  const workFolder = await mkdtemp(join(tmpdir(), 'cosell-pmd-'));
  try {
    const analyzer = new CodeAnalyzer(
      CodeAnalyzerConfig.fromObject({
        log_folder: workFolder,
        root_working_folder: workFolder,
        engines: {
          pmd: { java_command: javaCommand },
          cpd: { disable_engine: true },
        },
      }),
    );
    // PMD reports a file it cannot process, such as Apex that does not parse, as an
    // engine error and not as a violation, so errors are findings too.
    const errors: string[] = [];
    const collect = (event: LogEvent | EngineLogEvent) => {
      if (event.logLevel === LogLevel.Error) {
        errors.push(event.message.replace(/\s*\n\s*/g, ' ').trim());
      }
    };
    analyzer.onEvent(EventType.LogEvent, collect);
    analyzer.onEvent(EventType.EngineLogEvent, collect);
    await analyzer.addEnginePlugin(createEnginePlugin());
    if (!analyzer.getEngineNames().includes('pmd')) {
      const reason = errors.join(' ') || 'Code Analyzer gave no reason';
      result.findings.push(engineFailure(packageDir, reason));
      return result;
    }
    const workspace = await analyzer.createWorkspace(files);
    const rules = await analyzer.selectRules(['pmd:apex'], { workspace });
    const run = await analyzer.run(rules, { workspace });
    for (const violation of run.getViolations()) {
      const rule = violation.getRule();
      const severity = rule.getSeverityLevel();
      if (severity > failAtSeverity) {
        result.minorViolationCount++;
        continue;
      }
      const location = violation.getPrimaryLocation();
      result.findings.push({
        check: CHECK,
        file: location.getFile() ?? packageDir,
        name: rule.getName(),
        message: `line ${location.getStartLine() ?? '?'}: ${violation.getMessage()} (severity ${severity}, ${SeverityLevel[severity]})`,
      });
    }
    for (const error of errors) {
      result.findings.push(engineFailure(packageDir, error));
    }
    return result;
  } finally {
    await rm(workFolder, { recursive: true, force: true });
  }
}

/** Returns why `javaCommand` cannot run PMD, or undefined when it can start. */
function checkJava(javaCommand: string): string | undefined {
  const probe = spawnSync(javaCommand, ['-version'], { encoding: 'utf8' });
  if (probe.error === undefined && probe.status === 0) return undefined;
  const reason =
    probe.error !== undefined
      ? probe.error.message
      : `it exited with status ${probe.status}`;
  return `Java was not found (${javaCommand}: ${reason}). PMD needs Java 11 or later; install it, for example openjdk-17-jre-headless, to run this check.`;
}

/** Reports an engine error on the file it names, or on the package directory. */
function engineFailure(packageDir: string, error: string): Finding {
  const file = /for file '([^']+)'/.exec(error)?.[1];
  return {
    check: CHECK,
    file: file ?? packageDir,
    name: '',
    message: `PMD failed: ${error}`,
  };
}

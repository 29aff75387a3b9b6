/**
 * Throughput and memory of exporting the stage-history report as CSV. Rows are
 * generated one at a time and streamed to a null output, so no step keeps the
 * whole report in memory. Throughput is reported as a share of csv-stringify alone: its
 * streaming API writing the same generated records (every field, header
 * included) to a null output in the same process. Targets: at least 50 % of
 * that rate, and the 1,000,000-row export's peak RSS within 1.5 times the
 * 100,000-row export's, each size measured in its own process.
 *
 * Run directly (`node dist/scripts/bench/report-export.js`) to measure both
 * sizes, each in a child process, or pass `--rows N` to measure one size here.
 */
import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify';
import { createRandom } from '../../middleware/src/domain/lifecycle/random.js';
import { syntheticId } from '../../middleware/src/domain/lifecycle/synthetic-id.js';
import { CsvWriter } from '../../middleware/src/reports/csv-writer.js';
import {
  STAGE_HISTORY_COLUMNS,
  stageHistoryReport,
} from '../../middleware/src/reports/definitions/stage-history.js';
import type { StageHistoryTransition } from '../../middleware/src/reports/definitions/stage-history.js';

export interface ReportExportBenchOptions {
  rows: number;
  /** Timed runs of each side; the best is reported. */
  runs?: number;
  seed?: number;
}

export interface ReportExportBenchResult {
  rows: number;
  runs: number;
  csvStringifyRowsPerSecond: number;
  reportRowsPerSecond: number;
  /** reportRowsPerSecond / csvStringifyRowsPerSecond. */
  share: number;
  shareTarget: number;
  /** Bytes of CSV the report wrote in one run. */
  reportBytes: number;
  /** Largest `process.memoryUsage().rss` sampled every 20 ms, in MiB. */
  peakRssMiB: number;
}

const MIB = 1024 * 1024;
const STAGES = [
  'Registered',
  'Jointly_Qualified',
  'Validating',
  'Negotiating',
  'Closed_Attributed',
];
const CRITERIA = [
  'Registration approved and conflict clear',
  'Vendor and partner owners set',
  'Joint qualification confirmed by both sides',
  'Customer confirmed the evaluation',
  'Every approval has an owner and a counterpart',
];

/** Builds a few evidence snapshots shaped like the ones confirmed moves store. */
function evidenceSnapshots(): string[] {
  return CRITERIA.map((label, index) =>
    JSON.stringify(
      CRITERIA.slice(0, 1 + (index % 3)).map((name, position) => ({
        name: name.replace(/\W+/g, '_'),
        label: name,
        kind: 'Exit',
        stage: STAGES[index % 4],
        ruleText: `${name}.`,
        evidenceLabel: label,
        met: position !== 2,
        value: position !== 2,
        evidence: [{ path: 'Cosell_Stage__c', value: STAGES[index % 4] }],
      })),
    ),
  );
}

/** Yields `count` generated transitions, one at a time. */
export async function* generateTransitions(
  count: number,
  seed = 1,
): AsyncGenerator<StageHistoryTransition> {
  const random = createRandom(seed);
  const snapshots = evidenceSnapshots();
  const start = Date.UTC(2025, 0, 1);
  for (let index = 0; index < count; index++) {
    const step = index % 4;
    yield {
      id: syntheticId('a0T', index),
      name: `ST-${String(index).padStart(6, '0')}`,
      dealId: syntheticId('006', index >> 2),
      dealName: `Acme, "Northwind" ${index >> 2} – renewal`,
      fromStage: step === 0 ? null : STAGES[step - 1]!,
      toStage: STAGES[step]!,
      requestId: syntheticId('a0R', index),
      requestedById: syntheticId('005', random.integer(500)),
      requestedByName: 'Dana Vendor-Seller',
      confirmedById: syntheticId('005', 500 + random.integer(500)),
      confirmedByName: 'Pat Partner',
      at: new Date(start + index * 60_000).toISOString(),
      oneSided: random.next() < 0.01,
      version: step + 1,
      evidenceSnapshot: snapshots[index % snapshots.length]!,
    };
  }
}

function nullOutput(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

async function timeCsvStringify(rows: number, seed: number): Promise<number> {
  const started = performance.now();
  await pipeline(
    Readable.from(generateTransitions(rows, seed)),
    stringify({ header: true, record_delimiter: '\r\n' }),
    nullOutput(),
  );
  return performance.now() - started;
}

async function timeReport(rows: number, seed: number) {
  const writer = new CsvWriter(STAGE_HISTORY_COLUMNS);
  const started = performance.now();
  const result = await writer.writeRows(
    stageHistoryReport.rows({ transitions: generateTransitions(rows, seed) }),
    nullOutput(),
  );
  if (result.rows !== rows) {
    throw new Error(`The report wrote ${result.rows} rows, not ${rows}.`);
  }
  return { ms: performance.now() - started, bytes: result.bytes };
}

export async function runReportExportBench(
  options: ReportExportBenchOptions,
): Promise<ReportExportBenchResult> {
  const { rows } = options;
  if (!Number.isInteger(rows) || rows < 1) {
    throw new RangeError(
      `rows ${rows} is not a whole number of 1 or more; pass a row count such as 100000.`,
    );
  }
  const runs = options.runs ?? 2;
  const seed = options.seed ?? 1;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  try {
    let baselineMs = Infinity;
    let reportMs = Infinity;
    let reportBytes = 0;
    for (let run = 0; run < runs; run++) {
      baselineMs = Math.min(baselineMs, await timeCsvStringify(rows, seed));
      const report = await timeReport(rows, seed);
      reportMs = Math.min(reportMs, report.ms);
      reportBytes = report.bytes;
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const baselineRate = (rows / baselineMs) * 1000;
    const reportRate = (rows / reportMs) * 1000;
    return {
      rows,
      runs,
      csvStringifyRowsPerSecond: Math.round(baselineRate),
      reportRowsPerSecond: Math.round(reportRate),
      share: Math.round((reportRate / baselineRate) * 1000) / 1000,
      shareTarget: 0.5,
      reportBytes,
      peakRssMiB: Math.round((peakRss / MIB) * 10) / 10,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Runs one size in a child process of this script and returns its result. */
function runChild(rows: number): Promise<ReportExportBenchResult> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--rows', String(rows)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`The ${rows}-row child exited with code ${code}.`));
        return;
      }
      resolve(JSON.parse(output) as ReportExportBenchResult);
    });
  });
}

function parseRows(argv: string[]): number | undefined {
  const index = argv.indexOf('--rows');
  if (index < 0) return undefined;
  const rows = Number(argv[index + 1]);
  if (!Number.isInteger(rows) || rows < 1) {
    throw new RangeError(
      `--rows ${argv[index + 1] ?? ''} is not a whole number of 1 or more.`,
    );
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = parseRows(process.argv.slice(2));
  if (rows !== undefined) {
    const result = await runReportExportBench({ rows });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const small = await runChild(100_000);
    const large = await runChild(1_000_000);
    const memoryRatio =
      Math.round((large.peakRssMiB / small.peakRssMiB) * 100) / 100;
    const summary = {
      sizes: [small, large],
      memoryRatio,
      memoryTarget: 1.5,
      withinTargets:
        small.share >= 0.5 && large.share >= 0.5 && memoryRatio <= 1.5,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  }
}

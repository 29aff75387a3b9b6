/**
 * Runs every benchmark, each in its own Node process so one benchmark's memory does
 * not disturb the next, and prints their JSON results. `npm run bench -- NAME ...`
 * runs only the named ones. Record a run's numbers in BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Benchmark name to its compiled script and arguments. */
const BENCHMARKS: Record<string, string[]> = {
  criteria: ['criteria.js'],
  http: ['http.js'],
  forecast: ['forecast.js'],
  'report-export': ['report-export.js'],
  'salesforce-calls': ['salesforce-calls.js'],
};

function runOne(
  name: string,
  args: string[],
): Promise<{ code: number; output: string }> {
  const [script, ...rest] = args;
  const file = path.join(HERE, script!);
  if (!existsSync(file)) {
    return Promise.resolve({
      code: 1,
      output: `${file} is missing; run npm run build`,
    });
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', file, ...rest], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('close', (code) => {
      process.stderr.write(
        `bench ${name} finished with exit code ${code ?? 'null'}\n`,
      );
      resolve({ code: code ?? 1, output });
    });
  });
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHMARKS[name]);
if (unknown.length > 0) {
  process.stderr.write(
    `Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}\n`,
  );
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : Object.keys(BENCHMARKS);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(
  `Machine: ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.version}, ${os.platform()} ${os.release()}\n`,
);
let failed = 0;
for (const name of names) {
  process.stdout.write(`\n## ${name}\n`);
  const { code, output } = await runOne(name, BENCHMARKS[name]!);
  process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  if (code !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;

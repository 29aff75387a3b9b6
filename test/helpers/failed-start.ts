import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/** The built middleware entry point that `npm start` runs. */
export const SERVER = path.resolve('dist/middleware/src/server.js');

const run = promisify(execFile);

/**
 * Runs the built middleware with `env`, expecting the start to fail, and
 * returns its exit code and stderr. Raises when the middleware starts.
 */
export async function failedStart(
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stderr: string }> {
  const result = await run(process.execPath, [SERVER], {
    env,
    timeout: 30_000,
  }).catch((error: { code: number; stderr: string }) => error);
  if (!('code' in result))
    throw new Error('the middleware started, but the test expected it to fail');
  return { code: result.code, stderr: result.stderr };
}

/**
 * Runs Node with `args` and `env`, and kills it after `timeoutMs`. Returns its
 * exit code (0 on success, null when killed), the signal that killed it, and
 * its stderr.
 */
export async function runNode(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, args, {
      env,
      timeout: timeoutMs,
    });
    return { code: 0, signal: null, stderr };
  } catch (error) {
    const { code, signal, stderr } = error as {
      code: number | null;
      signal: string | null;
      stderr: string;
    };
    return { code, signal, stderr };
  }
}

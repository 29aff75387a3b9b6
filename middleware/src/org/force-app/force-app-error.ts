/** One problem found in a `force-app` file: the file and what is wrong with it. */
export interface ForceAppProblem {
  file: string;
  message: string;
}

/**
 * The `force-app` metadata could not be read. Lists every problem found, each naming
 * its file, so an admin can fix them all in one pass.
 */
export class ForceAppError extends Error {
  constructor(
    readonly problems: ForceAppProblem[],
    options?: { cause?: unknown },
  ) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(
      `The force-app metadata is invalid (${count}):\n` +
        problems.map((p) => `- ${p.file}: ${p.message}`).join('\n'),
      options,
    );
    this.name = 'ForceAppError';
  }
}

/** Collects problems while a reader goes on with the other files. */
export class ProblemList {
  readonly problems: ForceAppProblem[] = [];

  add(file: string, message: string): void {
    this.problems.push({ file, message });
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new ForceAppError(this.problems);
  }
}

/** Returns the message of a caught error, for a problem entry. */
export function messageOf(error: unknown): string {
  // Duck-typed, because errors from another realm (a test VM) fail `instanceof Error`.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * Runs a reader and turns a file system error it did not expect (a folder that cannot
 * be listed, say) into a `ForceAppError` on `packageDir`, keeping the cause.
 */
export async function reportReadErrors<T>(
  packageDir: string,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ForceAppError) throw error;
    throw new ForceAppError(
      [{ file: packageDir, message: `could not be read: ${messageOf(error)}` }],
      { cause: error },
    );
  }
}

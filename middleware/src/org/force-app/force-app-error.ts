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
  constructor(readonly problems: ForceAppProblem[]) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(
      `The force-app metadata is invalid (${count}):\n` +
        problems.map((p) => `- ${p.file}: ${p.message}`).join('\n'),
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
  return error instanceof Error ? error.message : String(error);
}

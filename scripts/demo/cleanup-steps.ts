/**
 * Cleanup steps that run once, newest first, whether the demo ends normally
 * or on a signal. A step that fails does not stop the steps after it.
 */
export class CleanupSteps {
  private readonly steps: Array<() => unknown> = [];
  private running: Promise<void> | undefined;

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  /** Runs the steps on the first call; later calls wait for that run. */
  run(): Promise<void> {
    this.running ??= this.runAll();
    return this.running;
  }

  private async runAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.steps.reverse()) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, 'Demo cleanup failed');
    }
  }
}

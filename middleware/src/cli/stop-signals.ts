/** The exit code after each stop signal: 128 plus the signal number. */
export const STOP_SIGNAL_EXIT_CODES = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export type StopSignal = keyof typeof STOP_SIGNAL_EXIT_CODES;

/**
 * Cleanup steps that run when SIGINT, SIGTERM or SIGHUP stops a command,
 * before the process exits with 128 plus the signal number.
 *
 * SfCommand (@salesforce/sf-plugins-core 12) listens for these signals and
 * calls `this.exit(130)` in its listener. That throws oclif's ExitError outside
 * the command, so neither the command's `finally` blocks nor oclif's error
 * handling run, and Node.js exits 1 with a stack trace. These listeners are
 * prepended, so they run first, and they exit the process themselves, so
 * SfCommand's listener never runs. That is why every step must be synchronous.
 */
export class StopSignalCleanup {
  private readonly steps = new Set<() => void>();
  private readonly listeners = new Map<StopSignal, () => void>();

  /**
   * @param message returns the line printed on stderr after the steps ran,
   *   for the signal that stopped the command.
   */
  constructor(private readonly message: (signal: StopSignal) => string) {}

  /** Adds a step, and returns the function that removes it again. */
  add(step: () => void): () => void {
    this.steps.add(step);
    return () => {
      this.steps.delete(step);
    };
  }

  /** Starts listening for the stop signals. */
  install(): void {
    for (const signal of Object.keys(STOP_SIGNAL_EXIT_CODES) as StopSignal[]) {
      const listener = () => this.stop(signal);
      this.listeners.set(signal, listener);
      process.prependOnceListener(signal, listener);
    }
  }

  /** Stops listening, once the command has finished. */
  uninstall(): void {
    for (const [signal, listener] of this.listeners) {
      process.removeListener(signal, listener);
    }
    this.listeners.clear();
  }

  /** Runs the steps, latest first, prints the message and exits. */
  private stop(signal: StopSignal): never {
    const failures: string[] = [];
    for (const step of [...this.steps].reverse()) {
      try {
        step();
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    // A terminal shows ^C at the cursor, so the message starts on a new line.
    const start = process.stderr.isTTY ? '\n' : '';
    process.stderr.write(`${start}${this.message(signal)}\n`);
    for (const failure of failures) {
      process.stderr.write(`Cleanup failed: ${failure}\n`);
    }
    process.exit(STOP_SIGNAL_EXIT_CODES[signal]);
  }
}

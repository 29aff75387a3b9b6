/** The callbacks a script runs when a write to its stdout fails. */
export interface StdoutErrorHandlers {
  /** Runs when the reader of stdout went away (EPIPE, as in `| head -1`). */
  onClosed: () => void;
  /** Runs after any other write error, once its message is printed to stderr. */
  onFailed: () => void;
}

/**
 * Handles the 'error' events of process.stdout, which Node otherwise raises
 * as an uncaught exception. EPIPE runs `onClosed` without a message. Any other
 * error prints "Writing the <scriptName> output failed" with its message and runs
 * `onFailed`. After an error, Node drops later writes to stdout without
 * another event.
 */
export function handleStdoutErrors(
  scriptName: string,
  handlers: StdoutErrorHandlers,
): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      handlers.onClosed();
      return;
    }
    process.stderr.write(
      `Writing the ${scriptName} output failed: ${error.message}\n`,
    );
    handlers.onFailed();
  });
}

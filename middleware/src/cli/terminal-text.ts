import { SfCommand } from '@salesforce/sf-plugins-core';

/**
 * C0 and C1 control characters other than tab and line feed, DEL, and the Unicode
 * bidirectional controls. Printed raw, an escape sequence in a deal or user name
 * could recolour the terminal, retitle it or hide text.
 */
// eslint-disable-next-line no-control-regex -- the pattern exists to find them.
const UNPRINTABLE = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/g;

/** Replaces each unprintable character with its `\uXXXX` escape. */
export function terminalText(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (character) =>
      `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

type TableOptions = Parameters<SfCommand<unknown>['table']>[0];

/**
 * A command that prints store text (deal, user and request names) to a terminal:
 * its lines, headers, table cells, warnings and errors pass through
 * {@link terminalText}. Warnings and errors are escaped before sf colours them,
 * so its own escape sequences stay intact.
 */
export abstract class TerminalTextCommand<T> extends SfCommand<T> {
  public override warn(input: SfCommand.Warning): SfCommand.Warning {
    if (typeof input === 'string') return super.warn(terminalText(input));
    return super.warn({
      ...input,
      message: terminalText(input.message),
      ...(input.actions ? { actions: input.actions.map(terminalText) } : {}),
    });
  }

  protected override catch(
    error: Parameters<SfCommand<T>['catch']>[0],
  ): Promise<never> {
    error.message = terminalText(error.message);
    const withActions = error as { actions?: unknown };
    if (Array.isArray(withActions.actions)) {
      withActions.actions = withActions.actions.map((action: unknown) =>
        typeof action === 'string' ? terminalText(action) : action,
      );
    }
    return super.catch(error);
  }

  public override log(message = '', ...args: unknown[]): void {
    super.log(
      terminalText(message),
      ...args.map((arg) => (typeof arg === 'string' ? terminalText(arg) : arg)),
    );
  }

  public override styledHeader(text: string): void {
    super.styledHeader(terminalText(text));
  }

  public override table<R extends Record<string, unknown>>(
    options: TableOptions & { data: R[] },
  ): void {
    super.table({
      ...options,
      data: options.data.map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([key, value]) => [
            key,
            typeof value === 'string' ? terminalText(value) : value,
          ]),
        ),
      ),
    });
  }
}

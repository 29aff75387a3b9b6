import type { Messages } from '@salesforce/core';

/**
 * Returns the `.one` form of the message `key` for a count of 1 and the `.other`
 * form for any other count, with the count as its first token.
 */
export function countMessage(
  messages: Messages<string>,
  key: string,
  count: number,
): string {
  const form = count === 1 ? 'one' : 'other';
  return messages.getMessage(`${key}.${form}`, [count]);
}

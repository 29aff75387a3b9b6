import { z } from 'zod';

/** The accepted range of a whole-number variable and the words of its messages. */
export interface WholeNumberRule {
  min: number;
  max: number;
  /** The value when the variable is unset or empty. */
  fallback: number;
  /** The text after "must be" in the message, such as "a port number from 0 to 65535". */
  expected: string;
  /** The unit after the maximum in the too-large message, such as "seconds". */
  unit?: string;
  /** The reason for the maximum, shown in brackets after it. */
  maxReason?: string;
}

/**
 * Reads a whole number written in decimal digits, from `rule.min` to `rule.max`.
 * `z.coerce.number` alone also takes " 80", "0x0C" and "1e3", and reports a
 * value beyond `Number.MAX_SAFE_INTEGER` as not whole. So a value of digits above
 * the maximum is reported as too large, with the maximum, and anything else
 * outside the range gets the `expected` message.
 */
export function wholeNumber(rule: WholeNumberRule) {
  const tooLarge =
    `is too large; the largest accepted value is ${rule.max}` +
    (rule.unit ? ` ${rule.unit}` : '') +
    (rule.maxReason ? ` (${rule.maxReason})` : '');
  return z
    .string()
    .transform((text, ctx) => {
      if (text === '') {
        ctx.addIssue({
          code: 'custom',
          message: `is empty; set it to ${rule.expected}, or unset it to use ${rule.fallback}`,
        });
        return z.NEVER;
      }
      const digits = /^\d+$/.test(text);
      const value = digits ? Number(text) : Number.NaN;
      if (digits && value > rule.max) {
        ctx.addIssue({ code: 'custom', message: tooLarge });
        return z.NEVER;
      }
      if (!digits || value < rule.min) {
        ctx.addIssue({ code: 'custom', message: `must be ${rule.expected}` });
        return z.NEVER;
      }
      return value;
    })
    .default(rule.fallback);
}

/**
 * Reads one of `values`, which are lower case. When the value differs from one of
 * them only in case, the message adds that the values are lower case.
 */
export function lowerCaseChoice<const T extends readonly [string, ...string[]]>(
  values: T,
  message: string,
) {
  return z.enum(values, {
    error: (issue) => {
      const input = issue.input;
      const match =
        typeof input === 'string'
          ? values.find((value) => value === input.toLowerCase())
          : undefined;
      return match
        ? `${message}; the values are lower case, so write ${match}`
        : message;
    },
  });
}

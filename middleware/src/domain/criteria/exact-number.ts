import { Decimal } from 'decimal.js';

/**
 * Exact decimal numbers for formulas, with a fast path that keeps a value as a
 * JavaScript number while that number denotes it exactly.
 *
 * A number `x` denotes the decimal `String(x)`, the shortest text that reads back
 * as `x`; decimal.js reads numbers the same way. Every result computed here is
 * either a Decimal or a number made from a decimal of at most 15 significant
 * digits, which no other such decimal shares a double with. So
 * comparing two numbers with `<` and `===` compares their decimals exactly, and
 * `33.33 + 33.33 + 33.34` is exactly 100. Anything that does not fit, such as
 * 1/3, continues as a Decimal with 34 significant digits.
 */
export type ExactNumber = number | Decimal;

/** decimal128 precision and half-up rounding, isolated from the global Decimal settings. */
const FormulaDecimal = Decimal.clone({
  precision: 34,
  rounding: Decimal.ROUND_HALF_UP,
});

/** 10^0 to 10^18, each exact as a double. */
const POWERS_OF_TEN = Array.from({ length: 19 }, (_, k) => 10 ** k);
/** Integers below this have at most 15 digits, so each has a double of its own. */
const FAST_LIMIT = 1e15;
/** Maximum decimal places the fast path tries before it falls back to Decimal. */
const MAX_FAST_SCALE = 9;

/** Returns the decimal places of `x` if it denotes a decimal of at most 15 digits, else -1. */
function scaleOf(x: number): number {
  for (let scale = 0; scale <= MAX_FAST_SCALE; scale++) {
    const power = POWERS_OF_TEN[scale]!;
    const scaled = Math.round(x * power);
    if (Math.abs(scaled) >= FAST_LIMIT) return -1;
    if (scaled / power === x) return scale;
  }
  return -1;
}

function toDecimal(value: ExactNumber): Decimal {
  return typeof value === 'number' ? new FormulaDecimal(value) : value;
}

/** Converts a Decimal to a number if it has at most 15 significant digits; null if infinite. */
function fromDecimal(value: Decimal): ExactNumber | null {
  if (!value.isFinite()) return null;
  if (value.sd() <= 15 && Math.abs(value.e) < 300) {
    return value.toNumber();
  }
  return value;
}

/** Parses number text such as `100` or `33.33` exactly. */
export function parseExact(text: string): ExactNumber {
  return fromDecimal(new FormulaDecimal(text)) ?? 0;
}

export function add(a: ExactNumber, b: ExactNumber): ExactNumber {
  if (typeof a === 'number' && typeof b === 'number') {
    const scaleA = scaleOf(a);
    const scaleB = scaleOf(b);
    if (scaleA >= 0 && scaleB >= 0) {
      const power = POWERS_OF_TEN[Math.max(scaleA, scaleB)]!;
      const sum = Math.round(a * power) + Math.round(b * power);
      if (Math.abs(sum) < FAST_LIMIT) return sum / power;
    }
  }
  return fromDecimal(toDecimal(a).plus(toDecimal(b))) ?? 0;
}

export function negate(a: ExactNumber): ExactNumber {
  return typeof a === 'number' ? -a : a.negated();
}

export function subtract(a: ExactNumber, b: ExactNumber): ExactNumber {
  return add(a, negate(b));
}

export function multiply(a: ExactNumber, b: ExactNumber): ExactNumber | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const scaleA = scaleOf(a);
    const scaleB = scaleOf(b);
    if (scaleA >= 0 && scaleB >= 0) {
      const product =
        Math.round(a * POWERS_OF_TEN[scaleA]!) *
        Math.round(b * POWERS_OF_TEN[scaleB]!);
      if (Math.abs(product) < FAST_LIMIT) {
        return product / POWERS_OF_TEN[scaleA + scaleB]!;
      }
    }
  }
  return fromDecimal(toDecimal(a).times(toDecimal(b)));
}

/** Divides a by b; returns blank when b is zero. */
export function divide(a: ExactNumber, b: ExactNumber): ExactNumber | null {
  if (isZero(b)) return null;
  return fromDecimal(toDecimal(a).dividedBy(toDecimal(b)));
}

/** Raises a to the power b; returns blank for a result that is not real, as (-8) ^ 0.5. */
export function exponentiate(
  a: ExactNumber,
  b: ExactNumber,
): ExactNumber | null {
  return fromDecimal(toDecimal(a).pow(toDecimal(b)));
}

export function isZero(a: ExactNumber): boolean {
  return typeof a === 'number' ? a === 0 : a.isZero();
}

/** Returns -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compare(a: ExactNumber, b: ExactNumber): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return 0;
    return a < b ? -1 : 1;
  }
  return toDecimal(a).cmp(toDecimal(b));
}

/** Returns the nearest JavaScript number, for evidence and date arithmetic. */
export function toNumber(a: ExactNumber): number {
  return typeof a === 'number' ? a : a.toNumber();
}

/** Formats in plain notation without trailing zeros, as TEXT() of a number does. */
export function formatExact(a: ExactNumber): string {
  return toDecimal(a).toFixed();
}

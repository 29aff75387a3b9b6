/**
 * Money as exact decimals. Amounts arrive as decimal text and are converted once
 * to the corporate currency with configured rates; no amount passes through
 * binary floating point.
 */
import { Decimal } from 'decimal.js';
import { closestName } from '../criteria/closest-name.js';
import { DomainError } from '../domain-error.js';
import { StoredValueError } from '../stored-value.js';

/**
 * Exchange rates: `rates[code]` is the value of one unit of `code` in the
 * corporate currency (EUR `1.08` means 1 EUR = 1.08 USD when USD is corporate).
 * The corporate currency itself needs no rate.
 */
export interface CurrencyRates {
  corporate: string;
  rates: Record<string, string>;
  /** Decimal places of the corporate currency; 2 when absent. */
  places?: number;
}

/** The current ISO 4217 codes, as the ICU data of Node.js lists them. */
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Tells whether `code` is a current ISO 4217 code in capitals, such as USD. */
export function isIsoCurrencyCode(code: string): boolean {
  return ISO_CURRENCIES.has(code);
}

/**
 * Returns the current ISO 4217 code one edit or one swap of two letters away
 * from `code`, ignoring case, as a typo fix to suggest.
 */
export function closestIsoCurrencyCode(code: string): string | undefined {
  return closestName(code, ISO_CURRENCIES, 1);
}

/**
 * Formats a currency field value (scale 2) as decimal text with two places, so
 * the org's number 12.5 and the local store's text "12.50" read the same. A
 * value that is not a number is returned as text.
 */
export function moneyText(value: number | string): string {
  try {
    return new Decimal(value).toFixed(2);
  } catch {
    return String(value);
  }
}

/** Parses decimal text, or fails naming the field and the value. */
export function parseAmount(text: string, field: string): Decimal {
  try {
    const value = new Decimal(text.trim());
    if (value.isFinite()) return value;
  } catch {
    // Reported below with the field name.
  }
  throw new DomainError(
    'invalid_request',
    `${field} "${text}" is not a decimal number.`,
    'Write amounts as decimal text such as 125000 or 125000.50.',
    { value: text },
  );
}

/**
 * Parses the stored `Amount` of an Opportunity. Fails with a
 * `StoredValueError` naming the deal and the stored text, because a malformed
 * stored amount is a data error, not an invalid request.
 */
export function parseDealAmount(dealId: string, text: string): Decimal {
  try {
    return parseAmount(text, 'Amount');
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new StoredValueError(
      { object: 'Opportunity', recordId: dealId, field: 'Amount' },
      text,
      'decimal text such as "-12.50"',
    );
  }
}

/** Converts amounts to the corporate currency, rounding half up to its places. */
export class CurrencyConverter {
  readonly corporate: string;
  readonly places: number;
  private readonly rates = new Map<string, Decimal>();
  private readonly scale: Decimal;

  constructor(config: CurrencyRates) {
    this.corporate = config.corporate;
    this.places = config.places ?? 2;
    if (!Number.isInteger(this.places) || this.places < 0 || this.places > 6) {
      throw new DomainError(
        'invalid_request',
        `Corporate currency places ${this.places} is not a whole number from 0 to 6.`,
        'Set places to the minor-unit digits of the corporate currency, such as 2 for USD.',
        { value: this.places },
      );
    }
    for (const [code, text] of Object.entries(config.rates)) {
      const rate = parseAmount(text, `Exchange rate for ${code}`);
      if (rate.lte(0)) {
        throw new DomainError(
          'invalid_request',
          `Exchange rate for ${code} is ${text}; a rate must be above 0.`,
          `Set rates.${code} to the value of one ${code} in ${this.corporate}.`,
          { value: text },
        );
      }
      this.rates.set(code, rate);
    }
    this.rates.set(this.corporate, new Decimal(1));
    this.scale = new Decimal(10).pow(this.places);
  }

  /** Returns the rate of a currency, or fails naming it and the known currencies. */
  rate(code: string): Decimal {
    const rate = this.rates.get(code);
    if (!rate) {
      throw new DomainError(
        'invalid_request',
        `No exchange rate for ${code} to ${this.corporate}.`,
        `Add rates.${code} (the value of one ${code} in ${this.corporate}); known: ${[
          ...this.rates.keys(),
        ].join(', ')}.`,
        { value: code },
      );
    }
    return rate;
  }

  /** Converts an amount to the corporate currency, rounded to its places. */
  convert(amount: Decimal, code: string): Decimal {
    const rate = this.rate(code);
    const value = rate.eq(1) ? amount : amount.times(rate);
    return value.toDecimalPlaces(this.places, Decimal.ROUND_HALF_UP);
  }

  /** Rounds a corporate amount half up to the currency's places. */
  round(amount: Decimal): Decimal {
    return amount.toDecimalPlaces(this.places, Decimal.ROUND_HALF_UP);
  }

  /** Formats a corporate amount as decimal text with the currency's places. */
  format(amount: Decimal): string {
    return amount.toFixed(this.places, Decimal.ROUND_HALF_UP);
  }

  /**
   * Returns a corporate amount in minor units as a double, for the band
   * simulation, which adds whole minor units.
   */
  // NOTE: above 2^53 minor units (about 9.0e13 in a two-place currency) a double keeps about 16 significant digits, so the band rounds there. The band is an estimate, and the other forecast figures stay exact.
  toMinorUnits(amount: Decimal): number {
    return amount.times(this.scale).round().toNumber();
  }

  /** Turns minor units of the band simulation back into a corporate amount. */
  minorUnitsToAmount(units: number): Decimal {
    return new Decimal(Math.round(units)).div(this.scale);
  }

  /** Turns minor units back into a formatted corporate amount. */
  fromMinorUnits(units: number): string {
    return this.format(this.minorUnitsToAmount(units));
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Earliest and latest values of a Salesforce date field, from the Data Loader
 * Guide's "Data Import Dates" (1700-01-01 to 4000-12-31 GMT).
 */
export const SALESFORCE_MIN_DATE = '1700-01-01';
export const SALESFORCE_MAX_DATE = '4000-12-31';

/** Returns whether the text is `YYYY-MM-DD` and names a real day. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [
    never,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** Returns whether the text has the `YYYY-MM-DD` form, whether or not the day exists. */
export function hasDateForm(text: string): boolean {
  return DATE.test(text);
}

/** Returns the detail for a `YYYY-MM-DD` text that names no day, such as 2027-02-30. */
export function nonexistentDateDetail(text: string): string {
  return `is not a calendar date: ${text} does not exist, so check the month and day`;
}

/** Returns whether a `YYYY-MM-DD` date lies in the range a Salesforce date field accepts. */
export function isInSalesforceDateRange(text: string): boolean {
  return text >= SALESFORCE_MIN_DATE && text <= SALESFORCE_MAX_DATE;
}

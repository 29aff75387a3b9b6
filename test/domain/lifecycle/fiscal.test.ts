import { describe, expect, it } from '@jest/globals';
import {
  fiscalPeriod,
  fiscalQuarterOf,
  fiscalYearOf,
  parseFiscalPeriod,
  periodContains,
  periodInstants,
  shiftQuarter,
} from '../../../middleware/src/domain/lifecycle/fiscal.js';
import type { FiscalCalendar } from '../../../middleware/src/domain/lifecycle/fiscal.js';

function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

const CALENDARS: FiscalCalendar[] = [];
for (let startMonth = 1; startMonth <= 12; startMonth++) {
  CALENDARS.push({ startMonth, yearBasedOn: 'starting' });
  CALENDARS.push({ startMonth, yearBasedOn: 'ending' });
}

describe.each(CALENDARS)('fiscal calendar %p', (calendar) => {
  const year = fiscalPeriod(2027, null, calendar);
  const quarters = [1, 2, 3, 4].map((q) => fiscalPeriod(2027, q, calendar));

  it('starts Q1 on the first of the start month', () => {
    expect(Number(quarters[0]!.start.slice(5, 7))).toBe(calendar.startMonth);
    expect(quarters[0]!.start.slice(8)).toBe('01');
    expect(year.start).toBe(quarters[0]!.start);
    expect(year.end).toBe(quarters[3]!.end);
  });

  it('names the year by its start or end', () => {
    const named = calendar.yearBasedOn === 'starting' ? year.start : year.end;
    expect(Number(named.slice(0, 4))).toBe(2027);
    if (calendar.startMonth === 1) {
      expect(year.start).toBe('2027-01-01');
      expect(year.end).toBe('2027-12-31');
    }
  });

  it('lays quarters end to end over twelve months', () => {
    for (let q = 1; q < 4; q++) {
      expect(quarters[q]!.start).toBe(addDays(quarters[q - 1]!.end, 1));
    }
    const next = fiscalPeriod(2028, 1, calendar);
    expect(next.start).toBe(addDays(year.end, 1));
    const startMonth = Number(year.start.slice(5, 7));
    const endMonth = Number(year.end.slice(5, 7));
    expect((endMonth - startMonth + 12) % 12).toBe(11);
  });

  it('finds the quarter of its first and last day', () => {
    for (const quarter of quarters) {
      expect(fiscalQuarterOf(quarter.start, calendar)).toEqual(quarter);
      expect(fiscalQuarterOf(quarter.end, calendar)).toEqual(quarter);
      expect(periodContains(quarter, quarter.end)).toBe(true);
      expect(periodContains(quarter, addDays(quarter.end, 1))).toBe(false);
    }
    expect(fiscalQuarterOf(addDays(year.start, -1), calendar).label).toBe(
      'FY2026-Q4',
    );
    expect(fiscalYearOf(year.end, calendar)).toEqual(year);
  });

  it('parses its own labels', () => {
    for (const quarter of quarters) {
      expect(parseFiscalPeriod(quarter.label, calendar)).toEqual(quarter);
    }
    expect(parseFiscalPeriod('fy2027', calendar)).toEqual(year);
  });
});

describe('fiscal periods', () => {
  const april: FiscalCalendar = { startMonth: 4, yearBasedOn: 'ending' };

  it('names an April year by its end', () => {
    expect(parseFiscalPeriod('FY2027-Q1', april)).toEqual({
      label: 'FY2027-Q1',
      fiscalYear: 2027,
      quarter: 1,
      start: '2026-04-01',
      end: '2026-06-30',
    });
    expect(
      parseFiscalPeriod('FY2026-Q1', { startMonth: 4, yearBasedOn: 'starting' })
        .start,
    ).toBe('2026-04-01');
  });

  it('ends a December-start Q1 on a leap day', () => {
    const quarter = fiscalPeriod(2028, 1, {
      startMonth: 12,
      yearBasedOn: 'ending',
    });
    expect(quarter.start).toBe('2027-12-01');
    expect(quarter.end).toBe('2028-02-29');
  });

  it('shifts quarters across years', () => {
    const q1 = parseFiscalPeriod('FY2027-Q1', april);
    expect(shiftQuarter(q1, -1, april).label).toBe('FY2026-Q4');
    expect(shiftQuarter(q1, 5, april).label).toBe('FY2028-Q2');
    expect(shiftQuarter(q1, -8, april).label).toBe('FY2025-Q1');
  });

  it('bounds a period by local midnights', () => {
    const quarter = parseFiscalPeriod('FY2027-Q1', {
      startMonth: 2,
      yearBasedOn: 'ending',
    });
    expect(periodInstants(quarter, 'America/New_York')).toEqual({
      start: '2026-02-01T05:00:00.000Z',
      end: '2026-05-01T04:00:00.000Z',
    });
    expect(periodInstants(quarter, 'Europe/Berlin')).toEqual({
      start: '2026-01-31T23:00:00.000Z',
      end: '2026-04-30T22:00:00.000Z',
    });
  });

  it.each([['FY27-Q1'], ['FY2027-Q5'], ['2027-Q1'], ['FY2027Q1'], ['']])(
    'rejects label %p',
    (label) => {
      expect(() => parseFiscalPeriod(label, april)).toThrow(
        /not a fiscal period label/,
      );
    },
  );

  it.each([[0], [13], [2.5]])('rejects start month %p', (startMonth) => {
    expect(() =>
      parseFiscalPeriod('FY2027', { startMonth, yearBasedOn: 'ending' }),
    ).toThrow(/not a month number/);
  });

  it('rejects a whole year in shiftQuarter', () => {
    expect(() =>
      shiftQuarter(parseFiscalPeriod('FY2027', april), 1, april),
    ).toThrow(/is a fiscal year, not a quarter/);
  });
});

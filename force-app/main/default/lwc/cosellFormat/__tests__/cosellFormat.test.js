import {
    daysText,
    formatAmount,
    formatDate,
    formatDateTime,
    formatLabel,
    sideName,
    stageLabel,
} from 'c/cosellFormat';

// Jest runs with the user locale en-US and time zone America/Los_Angeles.
describe('c-cosell-format', () => {
    it('fills label placeholders in any order', () => {
        expect(formatLabel('{1} before {0}', 'a', 'b')).toBe('b before a');
        expect(formatLabel('{0} and {0}', 7)).toBe('7 and 7');
    });

    it('keeps a placeholder that has no value', () => {
        expect(formatLabel('{0} of {1}', 'one')).toBe('one of {1}');
        expect(formatLabel('{0}', null)).toBe('{0}');
    });

    it('names the sides in running text', () => {
        expect(sideName('Vendor')).toBe('vendor');
        expect(sideName('Partner')).toBe('partner');
        expect(sideName(null)).toBe('');
    });

    it('finds stage labels by value', () => {
        const stages = [
            { value: 'Validating', label: 'Validating with Customer' },
        ];
        expect(stageLabel(stages, 'Validating')).toBe(
            'Validating with Customer',
        );
        expect(stageLabel(stages, 'Unknown_Stage')).toBe('Unknown_Stage');
        expect(stageLabel(stages, null)).toBe('no stage');
        expect(stageLabel(undefined, 'Validating')).toBe('Validating');
    });

    it('counts days', () => {
        expect(daysText(1)).toBe('1 day');
        expect(daysText(0)).toBe('0 days');
        expect(daysText(12)).toBe('12 days');
    });

    it('formats instants in the user time zone', () => {
        expect(formatDateTime('2026-12-04T14:09:27.624Z')).toBe(
            'Dec 4, 2026, 6:09 AM',
        );
        expect(formatDateTime('not a date')).toBe('not a date');
        expect(formatDateTime(null)).toBe('');
    });

    it('formats calendar dates without shifting the day', () => {
        expect(formatDate('2027-01-01')).toBe('Jan 1, 2027');
        expect(formatDate('')).toBe('');
    });

    it('formats amounts with and without a currency', () => {
        expect(formatAmount('259000', 'USD')).toBe('$259,000.00');
        expect(formatAmount('64000.5', 'EUR')).toBe('€64,000.50');
        expect(formatAmount('1200', null)).toBe('1,200');
        expect(formatAmount(null, 'USD')).toBe('');
    });
});

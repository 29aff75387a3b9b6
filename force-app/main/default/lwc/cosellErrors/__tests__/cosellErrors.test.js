import { reduceErrors, unmetCriteriaOf, UNMET_PREFIX } from 'c/cosellErrors';

const UNMET_MESSAGE =
    'The move needs these criteria met first: Customer confirmed the evaluation; Customer owns a close plan step. Record the missing evidence on the deal, then try again.';

describe('c-cosell-errors', () => {
    describe('reduceErrors', () => {
        it('reads the message of an Apex error', () => {
            const error = {
                status: 500,
                body: { message: 'The co-sell service is unavailable.' },
            };
            expect(reduceErrors(error)).toEqual([
                'The co-sell service is unavailable.',
            ]);
        });

        it('reads every message of a UI API error', () => {
            const error = {
                body: [{ message: 'First problem' }, { message: 'Second' }],
            };
            expect(reduceErrors(error)).toEqual(['First problem', 'Second']);
        });

        it('reads DML page errors', () => {
            const error = {
                body: {
                    message: 'ignored when page errors exist',
                    pageErrors: [{ message: 'Insufficient access' }],
                },
            };
            expect(reduceErrors(error)).toEqual(['Insufficient access']);
        });

        it('reads Error objects, strings and status text', () => {
            const errors = [
                new TypeError('x is undefined'),
                'plain text',
                { statusText: 'Bad Request' },
            ];
            expect(reduceErrors(errors)).toEqual([
                'x is undefined',
                'plain text',
                'Bad Request',
            ]);
        });

        it('skips empty entries and repeated messages', () => {
            const errors = [
                null,
                undefined,
                { body: { message: '  ' } },
                'same',
                { body: { message: 'same' } },
                {},
            ];
            expect(reduceErrors(errors)).toEqual(['same']);
        });
    });

    describe('unmetCriteriaOf', () => {
        const known = [
            {
                name: 'Default_Validating_Customer_Confirmed',
                label: 'Customer confirmed the evaluation',
                ruleText: 'The customer confirmation is recorded.',
            },
        ];

        it('matches unmet labels to known criteria', () => {
            const unmet = unmetCriteriaOf(
                { body: { message: UNMET_MESSAGE } },
                known,
            );
            expect(unmet).toEqual([
                known[0],
                {
                    name: 'Customer owns a close plan step',
                    label: 'Customer owns a close plan step',
                },
            ]);
        });

        it('reads a message that ends after the labels', () => {
            const unmet = unmetCriteriaOf(`${UNMET_PREFIX}Lost reason given.`);
            expect(unmet.map((criterion) => criterion.label)).toEqual([
                'Lost reason given',
            ]);
        });

        it('returns nothing for other errors', () => {
            const error = { body: { message: 'Request is not pending.' } };
            expect(unmetCriteriaOf(error, known)).toEqual([]);
        });
    });
});

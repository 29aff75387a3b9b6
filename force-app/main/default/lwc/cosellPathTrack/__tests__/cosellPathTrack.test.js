import { createElement } from 'lwc';
import CosellPathTrack from 'c/cosellPathTrack';
import { pathSteps } from '../pathSteps';
import {
    flushPromises,
    resetDocument,
    shadowQueryAll,
    textOf,
} from '../../../../../test/lwcTestUtils';

const STAGES = require('./data/stages.json');

function stageNamed(value) {
    return STAGES.find((stage) => stage.value === value);
}

function statuses(steps) {
    return steps.map((step) => [step.value, step.status]);
}

describe('c-cosell-path-track', () => {
    afterEach(resetDocument);

    describe('pathSteps', () => {
        it('marks stages before the current one complete', () => {
            const steps = pathSteps(STAGES, stageNamed('Validating'), []);
            expect(statuses(steps)).toEqual([
                ['Registered', 'complete'],
                ['Jointly_Qualified', 'complete'],
                ['Validating', 'current'],
                ['Negotiating', 'incomplete'],
                ['Closed_Attributed', 'incomplete'],
            ]);
        });

        it('marks every stage incomplete for a deal with no stage', () => {
            const steps = pathSteps(STAGES, null, []);
            expect(steps.map((step) => step.status)).toEqual([
                'incomplete',
                'incomplete',
                'incomplete',
                'incomplete',
                'incomplete',
            ]);
        });

        it('marks the won stage won', () => {
            const steps = pathSteps(
                STAGES,
                stageNamed('Closed_Attributed'),
                [],
            );
            expect(steps[4]).toEqual({
                value: 'Closed_Attributed',
                label: 'Closed & Attributed',
                status: 'won',
                className:
                    'slds-path__item slds-is-won slds-is-current slds-is-active',
            });
            expect(steps[3].status).toBe('complete');
        });

        it('puts the lost stage in place of the won stage', () => {
            const transitions = [
                { fromStage: null, toStage: 'Registered' },
                { fromStage: 'Registered', toStage: 'Negotiating' },
                { fromStage: 'Negotiating', toStage: 'Closed_Lost' },
            ];
            const steps = pathSteps(
                STAGES,
                stageNamed('Closed_Lost'),
                transitions,
            );
            expect(statuses(steps)).toEqual([
                ['Registered', 'complete'],
                ['Jointly_Qualified', 'complete'],
                ['Validating', 'complete'],
                ['Negotiating', 'complete'],
                ['Closed_Lost', 'lost'],
            ]);
        });

        it('marks no stage complete when the lost move is unknown', () => {
            const steps = pathSteps(STAGES, stageNamed('Closed_Lost'), []);
            expect(steps.filter((step) => step.status === 'complete')).toEqual(
                [],
            );
        });

        it('sorts stages by their order', () => {
            const shuffled = [...STAGES].reverse();
            const steps = pathSteps(shuffled, null, []);
            expect(steps[0].value).toBe('Registered');
        });
    });

    it('renders each step with its status for screen readers', async () => {
        const element = createElement('c-cosell-path-track', {
            is: CosellPathTrack,
        });
        element.stages = STAGES;
        element.current = stageNamed('Jointly_Qualified');
        document.body.appendChild(element);
        await flushPromises();

        const items = shadowQueryAll(element, 'li');
        const spoken = items.map((item) =>
            textOf(item.querySelector('.slds-assistive-text')),
        );
        expect(spoken).toEqual([
            'Identified & Registered, stage complete',
            'Jointly Qualified, current stage',
            'Validating with Customer, stage not reached',
            'In Negotiation & Approvals, stage not reached',
            'Closed & Attributed, stage not reached',
        ]);
        expect(items.map((item) => item.getAttribute('aria-current'))).toEqual([
            null,
            'step',
            null,
            null,
            null,
        ]);
        await expect(element).toBeAccessible();
    });
});

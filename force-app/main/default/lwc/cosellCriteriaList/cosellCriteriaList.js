import { LightningElement, api } from 'lwc';
import { evidenceText } from './evidenceText';
import MET from '@salesforce/label/c.Cosell_Criterion_Met';
import UNMET from '@salesforce/label/c.Cosell_Criterion_Unmet';
import EVIDENCE from '@salesforce/label/c.Cosell_Criterion_Evidence';
import NO_CRITERIA from '@salesforce/label/c.Cosell_Criteria_None';

/**
 * A list of criterion results: each criterion met or not met (as text, not only
 * colour), its rule, its evidence label and the values the evaluation read.
 */
export default class CosellCriteriaList extends LightningElement {
    /** Criterion results as the middleware returns them. */
    @api criteria = [];
    /** Text shown when the list is empty; a default is used when unset. */
    @api emptyText;

    label = { evidence: EVIDENCE };

    get hasCriteria() {
        return Array.isArray(this.criteria) && this.criteria.length > 0;
    }

    get noneText() {
        return this.emptyText || NO_CRITERIA;
    }

    get items() {
        return (this.criteria ?? []).map((criterion) => ({
            key: criterion.name,
            label: criterion.label,
            ruleText: criterion.ruleText,
            evidenceLabel: criterion.evidenceLabel,
            met: criterion.met,
            statusText: criterion.met ? MET : UNMET,
            badgeClass: criterion.met
                ? 'slds-badge slds-theme_success'
                : 'slds-badge slds-theme_error',
            iconName: criterion.met ? 'utility:success' : 'utility:warning',
            reads: (criterion.evidence ?? []).map((read, index) => ({
                key: `${criterion.name}-${index}`,
                text: evidenceText(read),
            })),
        }));
    }
}

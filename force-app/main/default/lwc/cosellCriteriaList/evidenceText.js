/**
 * Turns one field read of a criterion's evidence into a line for people: the
 * field path and its value, or for an aggregate over child records, the
 * relationship with how many of its records matched.
 */
import { formatLabel } from 'c/cosellFormat';
import VALUE_BLANK from '@salesforce/label/c.Cosell_Evidence_Blank';
import VALUE_TRUE from '@salesforce/label/c.Cosell_Evidence_True';
import VALUE_FALSE from '@salesforce/label/c.Cosell_Evidence_False';
import VALUE_HIDDEN from '@salesforce/label/c.Cosell_Evidence_Hidden';
import FIELD_VALUE from '@salesforce/label/c.Cosell_Evidence_Field_Value';
import RECORDS_MATCHED from '@salesforce/label/c.Cosell_Evidence_Records_Matched';

function valueText(read) {
    if (read.redacted) {
        return VALUE_HIDDEN;
    }
    if (read.value === null || read.value === undefined || read.value === '') {
        return VALUE_BLANK;
    }
    if (typeof read.value === 'boolean') {
        return read.value ? VALUE_TRUE : VALUE_FALSE;
    }
    return String(read.value);
}

/**
 * Returns the line for one evidence entry (`{ path, value, relationship?,
 * recordCount?, matchedCount?, redacted? }`).
 */
export function evidenceText(read) {
    if (read.relationship && typeof read.recordCount === 'number') {
        return formatLabel(
            RECORDS_MATCHED,
            read.relationship,
            read.matchedCount ?? 0,
            read.recordCount,
        );
    }
    return formatLabel(FIELD_VALUE, read.path, valueText(read));
}

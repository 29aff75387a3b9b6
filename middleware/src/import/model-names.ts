import { closestName } from '../domain/criteria/closest-name.js';
import type { RecordData } from '../domain/records.js';
import type { ImportSink } from './import-types.js';
import { MAX_SHOWN_LENGTH, quoteValue } from './quote-value.js';

/**
 * Checks the `Cosell_Model__c` of imported deals against the Cosell_Model__mdt
 * records that the store loads. A deal whose model is not loaded cannot be
 * evaluated or moved, so the import rejects it.
 */
export class ModelNameCheck {
  /** The loaded models' DeveloperNames, read at the first deal with a model. */
  private names?: string[];

  constructor(private readonly sink: ImportSink) {}

  /** Explains why the deal's `Cosell_Model__c` names no loaded model, or returns undefined. */
  async problemOf(data: RecordData): Promise<string | undefined> {
    const model = data['Cosell_Model__c'];
    if (typeof model !== 'string') return undefined;
    this.names ??= (await this.sink.loadModelSource()).models.map(
      (record) => record.developerName,
    );
    if (this.names.includes(model)) return undefined;
    // A value longer than 80 characters is no typo of a model name, and its edit
    // distance would be slow to compute.
    const closest =
      model.length <= MAX_SHOWN_LENGTH
        ? closestName(model, this.names)
        : undefined;
    const others = this.names.filter((name) => name !== closest);
    let setIt = `set it to one of ${this.names.join(', ')}`;
    if (closest) {
      setIt =
        others.length > 0
          ? `set it to ${closest}, the closest name, or to one of ${others.join(', ')}`
          : `set it to ${closest}`;
    }
    return (
      `Cosell_Model__c ${quoteValue(model)} is not a loaded Cosell_Model__mdt record, so the deal could not be evaluated or moved; ` +
      `${setIt} (the names are case-sensitive), leave it blank on a new deal to use Default, or add the model's Cosell_Model__mdt record to force-app`
    );
  }
}

/** One problem an offline check found: the file, the name it concerns, and why. */
export interface Finding {
  /** The check that found it, such as `cross-reference` or `pmd`. */
  check: string;
  file: string;
  /** The reference, rule or element concerned, such as `Opportunity.Foo__c`. */
  name: string;
  message: string;
}

/** Renders a finding as one line: `file: [check] name: message`. */
export function formatFinding(finding: Finding): string {
  const name = finding.name === '' ? '' : ` ${finding.name}:`;
  return `${finding.file}: [${finding.check}]${name} ${finding.message}`;
}

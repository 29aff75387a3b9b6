import {
  ComponentSet,
  MetadataConverter,
} from '@salesforce/source-deploy-retrieve';

/** Summary of a conversion: the output folder and the component count per metadata type. */
export interface ConversionSummary {
  packageDir: string;
  outputDir: string;
  componentCount: number;
  countsByType: Record<string, number>;
}

/**
 * Converts a source-format package directory (such as `force-app`) to Metadata API
 * format in `outputDir`, as a deploy would, with source-deploy-retrieve. Rejects with
 * its error when a file cannot be resolved to a metadata type. It checks no more than
 * that: element names and values are only checked by an org at deploy time.
 *
 * Salesforce libraries write logs under HOME and the temp folder. Callers that must
 * not touch the user's home, such as tests, set HOME and TMPDIR before importing it.
 */
export async function convertSource(
  packageDir: string,
  outputDir: string,
  apiVersion?: string,
): Promise<ConversionSummary> {
  const components = ComponentSet.fromSource(packageDir);
  // The package.xml version, such as sfdx-project.json's sourceApiVersion.
  if (apiVersion !== undefined) components.sourceApiVersion = apiVersion;
  const countsByType: Record<string, number> = {};
  for (const component of components.getSourceComponents()) {
    const type = component.type.name;
    countsByType[type] = (countsByType[type] ?? 0) + 1;
  }
  await new MetadataConverter().convert(components, 'metadata', {
    type: 'directory',
    outputDirectory: outputDir,
    genUniqueDir: false,
  });
  return {
    packageDir,
    outputDir,
    componentCount: components.size,
    countsByType,
  };
}

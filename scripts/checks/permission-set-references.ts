import {
  childNodes,
  childText,
  type XmlNode,
} from '../../middleware/src/org/force-app/xml-file.js';
import type { Reference } from './references.js';

/**
 * Lists what one `PermissionSet` grants access to: objects and custom metadata
 * types, fields (`Object.Field`), Apex classes and custom permissions.
 */
export function permissionSetReferences(
  file: string,
  root: XmlNode,
): Reference[] {
  const references: Reference[] = [];
  const texts = (tag: string, child: string) =>
    childNodes(root, tag)
      .map((node) => childText(node, child))
      .filter((text): text is string => text !== undefined);
  for (const object of texts('objectPermissions', 'object')) {
    references.push({ kind: 'object', file, object });
  }
  for (const object of texts('customMetadataTypeAccesses', 'name')) {
    references.push({ kind: 'object', file, object });
  }
  for (const field of texts('fieldPermissions', 'field')) {
    const [object = '', ...path] = field.split('.');
    references.push({ kind: 'field', file, object, path: path.join('.') });
  }
  for (const className of texts('classAccesses', 'apexClass')) {
    references.push({ kind: 'apex-class', file, className });
  }
  for (const name of texts('customPermissions', 'name')) {
    references.push({ kind: 'custom-permission', file, name });
  }
  return references;
}

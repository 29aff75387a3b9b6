/**
 * Renders a Vega spec to an SVG string in Node, with no browser or canvas:
 * `renderer: 'none'` skips the scenegraph renderers and `toSVG` builds the
 * markup. Vega 6.3 is used directly, because Vega-Lite 6.5 needs Node 22.
 */
import * as vega from 'vega';

export interface ChartText {
  /** Accessible name: the first `<title>` of the SVG. */
  title: string;
  /** Accessible description: the `<desc>` of the SVG. */
  description: string;
}

/** Escapes text for XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * Renders `spec` and adds `<title>` and `<desc>` as the first children of the
 * root `<svg>`, which SVG readers take as the chart's name and description.
 * Vega writes `aria-label` on marks from their `description` but sets no title
 * on the root element.
 */
export async function renderSvg(
  spec: vega.Spec,
  text: ChartText,
): Promise<string> {
  // NOTE: the data are inline values; a spec with a data URL would make the default Vega loader fetch it.
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const rootEnd = svg.indexOf('>');
    if (!svg.startsWith('<svg') || rootEnd < 0) {
      throw new Error(
        `Vega returned markup that does not start with <svg>: ${svg.slice(0, 40)}`,
      );
    }
    const accessible = `<title>${escapeXml(text.title)}</title><desc>${escapeXml(text.description)}</desc>`;
    return (
      svg.slice(0, rootEnd) +
      ' role="graphics-document"' +
      svg.slice(rootEnd, rootEnd + 1) +
      accessible +
      svg.slice(rootEnd + 1)
    );
  } finally {
    view.finalize();
  }
}

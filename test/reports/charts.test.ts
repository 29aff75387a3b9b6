import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderForecastChart } from '../../middleware/src/reports/charts/forecast-chart.js';
import type { ForecastPoint } from '../../middleware/src/reports/charts/forecast-chart.js';
import { renderFunnelChart } from '../../middleware/src/reports/charts/funnel-chart.js';
import type { FunnelBar } from '../../middleware/src/reports/charts/funnel-chart.js';

interface Element {
  tag: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

/** Parses SVG into a tree of elements in document order. */
function parseSvg(svg: string): Element {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    trimValues: false,
  });
  const toElement = (node: Record<string, unknown>): Element => {
    const tag = Object.keys(node).find((key) => key !== ':@')!;
    const body = node[tag] as Array<Record<string, unknown>>;
    const children = body.filter((child) => !('#text' in child));
    return {
      tag,
      attributes: (node[':@'] ?? {}) as Record<string, string>,
      children: children.map(toElement),
      text: body
        .filter((child) => '#text' in child)
        .map((child) => String(child['#text']))
        .join(''),
    };
  };
  return toElement(parser.parse(svg)[0]);
}

function findAll(root: Element, test: (e: Element) => boolean): Element[] {
  const found: Element[] = [];
  const walk = (element: Element) => {
    if (test(element)) found.push(element);
    element.children.forEach(walk);
  };
  walk(root);
  return found;
}

/** The items of a named Vega mark: the children of its `<g class="... name">`. */
function markItems(root: Element, name: string): Element[] {
  const [group] = findAll(root, (e) =>
    (e.attributes['class'] ?? '').split(' ').includes(name),
  );
  expect(group).toBeDefined();
  return group!.children;
}

function texts(root: Element): string[] {
  return findAll(root, (e) => e.tag === 'text').map((e) => e.text);
}

/** Height of a Vega rect path such as `M10,20h30v40h-30Z`. */
function rectHeight(path: Element): number {
  const match = /v(-?[\d.]+)/.exec(path.attributes['d'] ?? '');
  expect(match).not.toBeNull();
  return Number(match![1]);
}

describe('funnel chart', () => {
  const bars: FunnelBar[] = [
    {
      model: 'Default',
      label: 'Jointly qualified',
      order: 2,
      entered: 60,
      conversionToNext: 0.5,
    },
    {
      model: 'Default',
      label: 'Identified & registered',
      order: 1,
      entered: 100,
      conversionToNext: 0.6,
    },
    {
      model: 'Default',
      label: 'Validating <with customer>',
      order: 3,
      entered: 25,
      conversionToNext: null,
    },
    {
      model: 'Default',
      label: 'Closed & attributed',
      order: 5,
      entered: 12,
      conversionToNext: null,
    },
    {
      model: 'Default',
      label: 'Negotiating',
      order: 4,
      entered: 18,
      conversionToNext: 0.667,
    },
  ];

  it('draws one bar per stage in order', async () => {
    const svg = parseSvg(await renderFunnelChart(bars));
    const items = markItems(svg, 'bars');
    const ordered = [...bars].sort((a, b) => a.order - b.order);

    expect(items).toHaveLength(bars.length);
    expect(items.map((item) => item.attributes['aria-label'])).toEqual(
      ordered.map((bar) =>
        expect.stringContaining(`${bar.label}: ${bar.entered} deals entered`),
      ),
    );
    const heights = items.map(rectHeight);
    const byHeight = [...heights.keys()].sort(
      (a, b) => heights[b]! - heights[a]!,
    );
    const byEntered = [...ordered.keys()].sort(
      (a, b) => ordered[b]!.entered - ordered[a]!.entered,
    );
    expect(byHeight).toEqual(byEntered);
    expect(heights[0]! / heights[1]!).toBeCloseTo(100 / 60, 1);
  });

  it('labels stages, counts and axes', async () => {
    const svg = parseSvg(await renderFunnelChart(bars));
    const shown = texts(svg);

    for (const bar of bars) expect(shown).toContain(bar.label);
    for (const bar of bars) expect(shown).toContain(String(bar.entered));
    expect(shown).toContain('60.0% to next');
    expect(shown).toContain('Stage');
    expect(shown).toContain('Deals entered');
    expect(shown).toContain('Co-sell funnel: Default');
  });

  it('carries an accessible title and description', async () => {
    const svg = parseSvg(await renderFunnelChart(bars));

    expect(svg.tag).toBe('svg');
    expect(svg.children[0]!.tag).toBe('title');
    expect(svg.children[0]!.text).toBe('Co-sell funnel: Default');
    expect(svg.children[1]!.tag).toBe('desc');
    expect(svg.children[1]!.text).toContain('Identified & registered 100');
  });
});

describe('forecast chart', () => {
  const points: ForecastPoint[] = [
    {
      period: 'FY2027-Q1',
      currency: 'USD',
      p10: '120000.00',
      p50: '180000.50',
      p90: '260000.00',
      expected: '185000.25',
      commit: '150000.00',
      bestCase: '240000.00',
    },
    {
      period: 'FY2027-Q2',
      currency: 'USD',
      p10: '40000.00',
      p50: '90000.00',
      p90: '310000.00',
      expected: '110000.00',
      commit: '20000.00',
      bestCase: '300000.00',
    },
  ];

  it('draws one band per period', async () => {
    const svg = parseSvg(await renderForecastChart(points));
    const bands = markItems(svg, 'band');

    expect(bands).toHaveLength(points.length);
    expect(bands.map((band) => band.attributes['aria-label'])).toEqual([
      'FY2027-Q1 P10 120000.00 to P90 260000.00 USD',
      'FY2027-Q2 P10 40000.00 to P90 310000.00 USD',
    ]);
    // Band heights follow P90 - P10: 140,000 against 270,000.
    const heights = bands.map(rectHeight);
    expect(heights[1]! / heights[0]!).toBeCloseTo(270 / 140, 2);
  });

  it('marks P50, expected, commit and best case', async () => {
    const svg = parseSvg(await renderForecastChart(points));
    const label = (name: string) =>
      markItems(svg, name).map((item) => item.attributes['aria-label']);

    expect(label('median')).toEqual([
      'FY2027-Q1 P50 180000.50 USD',
      'FY2027-Q2 P50 90000.00 USD',
    ]);
    expect(label('expected')).toEqual([
      'FY2027-Q1 Expected: 185000.25 USD',
      'FY2027-Q2 Expected: 110000.00 USD',
    ]);
    expect(label('commit')).toEqual([
      'FY2027-Q1 Commit: 150000.00 USD',
      'FY2027-Q2 Commit: 20000.00 USD',
    ]);
    expect(label('best-case')).toEqual([
      'FY2027-Q1 Best case: 240000.00 USD',
      'FY2027-Q2 Best case: 300000.00 USD',
    ]);
  });

  it('labels periods, axes and legend', async () => {
    const svg = parseSvg(await renderForecastChart(points));
    const shown = texts(svg);

    expect(shown).toEqual(
      expect.arrayContaining([
        'FY2027-Q1',
        'FY2027-Q2',
        'Fiscal period',
        'Amount (USD)',
        'Co-sell forecast',
        'P10–P90',
        'P50',
        'Expected',
        'Commit',
        'Best case',
      ]),
    );
    expect(svg.children[0]!.text).toBe('Co-sell forecast');
    expect(svg.children[1]!.text).toContain('FY2027-Q2: P10 40000.00');
  });
});

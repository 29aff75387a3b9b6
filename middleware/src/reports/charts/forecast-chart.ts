/**
 * The forecast band per fiscal period: a bar from P10 to P90, a line at P50,
 * and markers for the expected amount, commit and best case. Amounts arrive as
 * decimal text; the chart positions them as numbers and labels them with the
 * exact text.
 */
import type * as vega from 'vega';
import { renderSvg } from './render-svg.js';

/** One period's forecast as the chart reads it. */
export interface ForecastPoint {
  period: string;
  currency: string;
  p10: string;
  p50: string;
  p90: string;
  expected: string;
  commit: string;
  bestCase: string;
}

const SERIES = {
  band: 'P10–P90',
  median: 'P50',
  expected: 'Expected',
  commit: 'Commit',
  bestCase: 'Best case',
} as const;
const COLORS = ['#9fd5ff', '#032d60', '#ba0517', '#2e844a', '#dd7a01'];
const SHAPES = ['square', 'stroke', 'diamond', 'triangle-up', 'triangle-down'];

function markerMark(
  name: string,
  series: string,
  field: string,
  offset: number,
): vega.Mark {
  return {
    type: 'symbol',
    name,
    from: { data: 'periods' },
    description: `${series} per period`,
    encode: {
      enter: {
        x: { scale: 'x', field: 'period', band: 0.5, offset },
        y: { scale: 'y', field },
        shape: { scale: 'shape', value: series },
        fill: { scale: 'color', value: series },
        size: { value: 90 },
        description: {
          signal: `datum.period + ' ${series}: ' + datum.${field}Text + ' ' + datum.currency`,
        },
      },
    },
  };
}

/** Builds the Vega spec of the forecast band chart. */
export function forecastChartSpec(points: readonly ForecastPoint[]): vega.Spec {
  const values = points.map((point) => ({
    period: point.period,
    currency: point.currency,
    p10: Number(point.p10),
    p50: Number(point.p50),
    p90: Number(point.p90),
    expected: Number(point.expected),
    commit: Number(point.commit),
    bestCase: Number(point.bestCase),
    p10Text: point.p10,
    p50Text: point.p50,
    p90Text: point.p90,
    expectedText: point.expected,
    commitText: point.commit,
    bestCaseText: point.bestCase,
  }));
  const currency = points[0]?.currency ?? '';
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    description:
      'Forecast P10 to P90 band with P50, expected, commit and best case per period.',
    width: Math.max(360, 120 * values.length),
    height: 280,
    padding: 8,
    title: { text: 'Co-sell forecast' },
    data: [{ name: 'periods', values }],
    scales: [
      {
        name: 'x',
        type: 'band',
        domain: values.map((value) => value.period),
        range: 'width',
        padding: 0.35,
      },
      {
        name: 'y',
        type: 'linear',
        domain: {
          fields: ['p10', 'p90', 'expected', 'commit', 'bestCase'].map(
            (field) => ({ data: 'periods', field }),
          ),
        },
        range: 'height',
        nice: true,
        zero: true,
      },
      {
        name: 'color',
        type: 'ordinal',
        domain: Object.values(SERIES),
        range: COLORS,
      },
      {
        name: 'shape',
        type: 'ordinal',
        domain: Object.values(SERIES),
        range: SHAPES,
      },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'Fiscal period' },
      {
        orient: 'left',
        scale: 'y',
        title: `Amount (${currency})`,
        format: '~s',
      },
    ],
    legends: [
      {
        fill: 'color',
        // The P50 entry is a line symbol, which shows only when stroked.
        stroke: 'color',
        shape: 'shape',
        title: 'Series',
        orient: 'right',
        encode: { symbols: { update: { strokeWidth: { value: 2 } } } },
      },
    ],
    marks: [
      {
        type: 'rect',
        name: 'band',
        from: { data: 'periods' },
        description: 'P10 to P90 band per period',
        encode: {
          enter: {
            x: { scale: 'x', field: 'period' },
            width: { scale: 'x', band: 1 },
            y: { scale: 'y', field: 'p90' },
            y2: { scale: 'y', field: 'p10' },
            fill: { scale: 'color', value: SERIES.band },
            description: {
              signal:
                "datum.period + ' P10 ' + datum.p10Text + ' to P90 ' + datum.p90Text + ' ' + datum.currency",
            },
          },
        },
      },
      {
        type: 'rule',
        name: 'median',
        from: { data: 'periods' },
        description: 'P50 per period',
        encode: {
          enter: {
            x: { scale: 'x', field: 'period' },
            x2: { scale: 'x', field: 'period', band: 1 },
            y: { scale: 'y', field: 'p50' },
            stroke: { scale: 'color', value: SERIES.median },
            strokeWidth: { value: 2 },
            description: {
              signal:
                "datum.period + ' P50 ' + datum.p50Text + ' ' + datum.currency",
            },
          },
        },
      },
      markerMark('expected', SERIES.expected, 'expected', 0),
      markerMark('commit', SERIES.commit, 'commit', -14),
      markerMark('best-case', SERIES.bestCase, 'bestCase', 14),
    ],
  };
}

/** Renders the forecast band chart as an SVG string. */
export function renderForecastChart(
  points: readonly ForecastPoint[],
): Promise<string> {
  const summary = points
    .map(
      (point) =>
        `${point.period}: P10 ${point.p10}, P50 ${point.p50}, P90 ${point.p90}, expected ${point.expected}, commit ${point.commit}, best case ${point.bestCase} ${point.currency}`,
    )
    .join('; ');
  return renderSvg(forecastChartSpec(points), {
    title: 'Co-sell forecast',
    description: `Forecast by period. ${summary || 'No periods.'}`,
  });
}

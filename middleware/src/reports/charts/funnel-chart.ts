/**
 * The funnel as a bar chart: one bar per stage in stage order, its height the
 * deals that entered the stage, labelled with that count and the conversion to
 * the next stage.
 */
import type * as vega from 'vega';
import { renderSvg } from './render-svg.js';

/** A funnel stage as the chart reads it; a `FunnelRow` has every field. */
export interface FunnelBar {
  model: string;
  label: string;
  order: number;
  entered: number;
  /** 0 to 1, or null. */
  conversionToNext: number | null;
}

function percentText(ratio: number | null): string {
  return ratio === null ? '' : `${(ratio * 100).toFixed(1)}%`;
}

/** Builds the Vega spec of the funnel chart of one model's stages. */
export function funnelChartSpec(bars: readonly FunnelBar[]): vega.Spec {
  const ordered = [...bars].sort((a, b) => a.order - b.order);
  const values = ordered.map((bar) => ({
    label: bar.label,
    entered: bar.entered,
    conversion: percentText(bar.conversionToNext),
  }));
  const model = ordered[0]?.model ?? '';
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    description: `Deals that entered each stage of the ${model} model.`,
    width: Math.max(360, 110 * values.length),
    height: 260,
    padding: 8,
    title: { text: `Co-sell funnel: ${model}` },
    data: [{ name: 'stages', values }],
    scales: [
      {
        name: 'x',
        type: 'band',
        domain: values.map((value) => value.label),
        range: 'width',
        padding: 0.2,
      },
      {
        name: 'y',
        type: 'linear',
        domain: { data: 'stages', field: 'entered' },
        range: 'height',
        nice: true,
        zero: true,
      },
    ],
    axes: [
      {
        orient: 'bottom',
        scale: 'x',
        title: 'Stage',
        // Tilted and never truncated: stage labels are longer than a bar is wide.
        labelAngle: -30,
        labelAlign: 'right',
        labelBaseline: 'top',
        labelLimit: 0,
      },
      { orient: 'left', scale: 'y', title: 'Deals entered', tickMinStep: 1 },
    ],
    marks: [
      {
        type: 'rect',
        name: 'bars',
        from: { data: 'stages' },
        description: 'Deals entered per stage',
        encode: {
          enter: {
            x: { scale: 'x', field: 'label' },
            width: { scale: 'x', band: 1 },
            y: { scale: 'y', field: 'entered' },
            y2: { scale: 'y', value: 0 },
            fill: { value: '#0176d3' },
            description: {
              signal:
                "datum.label + ': ' + datum.entered + ' deals entered' + (datum.conversion ? ', ' + datum.conversion + ' converted to the next stage' : '')",
            },
          },
        },
      },
      {
        type: 'text',
        name: 'counts',
        from: { data: 'bars' },
        aria: false,
        encode: {
          enter: {
            x: { field: 'x', offset: { field: 'width', mult: 0.5 } },
            y: { field: 'y', offset: -14 },
            align: { value: 'center' },
            text: { field: 'datum.entered' },
            fill: { value: '#181818' },
          },
        },
      },
      {
        type: 'text',
        name: 'conversions',
        from: { data: 'bars' },
        aria: false,
        encode: {
          enter: {
            x: { field: 'x', offset: { field: 'width', mult: 0.5 } },
            y: { field: 'y', offset: -3 },
            align: { value: 'center' },
            text: {
              signal:
                "datum.datum.conversion ? datum.datum.conversion + ' to next' : ''",
            },
            fill: { value: '#444444' },
            fontSize: { value: 9 },
          },
        },
      },
    ],
  };
}

/** Renders the funnel chart of one model's stages as an SVG string. */
export function renderFunnelChart(bars: readonly FunnelBar[]): Promise<string> {
  const spec = funnelChartSpec(bars);
  const summary = [...bars]
    .sort((a, b) => a.order - b.order)
    .map((bar) => `${bar.label} ${bar.entered}`)
    .join(', ');
  return renderSvg(spec, {
    title: `Co-sell funnel: ${bars[0]?.model ?? 'no stages'}`,
    description: `Deals that entered each stage: ${summary || 'none'}.`,
  });
}

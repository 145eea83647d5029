import type { ChartPanel, ChartPoint, GuardrailChart } from './guardrail-chart';

/** Draws the guardrail chart into `parent`: one small SVG per metric. Text goes in as text nodes only. */
export function renderGuardrailChart(parent: HTMLElement, chart: GuardrailChart): HTMLElement {
  const box = parent.createDiv({ cls: 'canon-chart' });
  if (chart.caption !== null) box.createDiv({ cls: 'canon-chart-caption', text: chart.caption });
  for (const panel of chart.panels) renderPanel(box, panel);
  return box;
}

function renderPanel(parent: HTMLElement, panel: ChartPanel): void {
  const figure = parent.createDiv({ cls: 'canon-chart-panel' });
  figure.createDiv({ cls: 'canon-chart-title', text: panel.title });
  if (panel.empty && panel.thresholds.length === 0) {
    figure.createDiv({ cls: 'canon-muted', text: 'No values yet.' });
    return;
  }
  const svg = figure.createSvg('svg', {
    cls: 'canon-chart-svg',
    attr: { viewBox: `0 0 ${panel.width} ${panel.height}`, role: 'img', 'aria-label': summary(panel) },
  });
  const { left, top, right, bottom } = panel.plot;
  svg.createSvg('line', { cls: 'canon-chart-axis', attr: { x1: left, y1: bottom, x2: right, y2: bottom } });
  svg.createSvg('line', { cls: 'canon-chart-axis', attr: { x1: left, y1: top, x2: left, y2: bottom } });
  for (const label of [...panel.yLabels, ...panel.xLabels]) {
    svg.createSvg('text', { cls: 'canon-chart-label', attr: { x: label.x, y: label.y, 'text-anchor': label.anchor } }).setText(label.text);
  }
  for (const t of panel.thresholds) {
    const cls = ['canon-chart-threshold', `canon-chart-threshold-${t.status ?? 'unknown'}`];
    const line = svg.createSvg('line', { cls, attr: { x1: left, y1: t.y, x2: right, y2: t.y } });
    line.createSvg('title').setText(t.title);
    svg.createSvg('text', { cls: ['canon-chart-label', 'canon-chart-threshold-label'], attr: { x: right, y: t.y - 2, 'text-anchor': 'end' } })
      .setText(t.label);
  }
  for (const segment of panel.segments) {
    if (segment.length < 2) continue;
    svg.createSvg('polyline', { cls: 'canon-chart-line', attr: { points: polylinePoints(segment) } });
  }
  for (const p of panel.points) {
    const cls = p.over ? ['canon-chart-point', 'canon-chart-point-over'] : ['canon-chart-point'];
    const dot = svg.createSvg('circle', { cls, attr: { cx: p.x, cy: p.y, r: 2.5 } });
    dot.createSvg('title').setText(p.label);
  }
}

/** `x,y x,y …` for a polyline. */
export function polylinePoints(points: readonly ChartPoint[]): string {
  return points.map((p) => `${p.x},${p.y}`).join(' ');
}

function summary(panel: ChartPanel): string {
  const first = panel.points[0];
  const last = panel.points[panel.points.length - 1];
  if (!first || !last) return `${panel.title}: no values`;
  return first === last ? `${panel.title} per window: ${first.label}` : `${panel.title} per window, ${first.window} to ${last.window}; newest ${last.label}`;
}

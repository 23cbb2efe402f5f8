import { escapeMarkup } from '../core/markup.js';
import type { SimulationSummary } from './summary.js';

/**
 * The recovery chart as one self-contained HTML page with an inline SVG drawn by hand: cumulative
 * share of the overdue amount recovered, day by day, one line per policy, and the KPI table below.
 * No script, no external file, so it opens anywhere and can be attached to a report as is.
 */

export interface ChartSeries {
  summary: SimulationSummary;
  /** Recovery rate (0-1) at the end of each day. */
  daily: readonly number[];
}

const WIDTH = 760;
const HEIGHT = 420;
const MARGIN = { left: 64, right: 24, top: 48, bottom: 56 };
const COLOURS: Record<SimulationSummary['policy'], string> = { ai: '#1f77b4', baseline: '#d62728' };

/** A round step for the y axis so ticks read 0%, 10%, 20% rather than 0%, 13.7%, 27.4%. */
function percentStep(max: number): number {
  for (const step of [0.01, 0.02, 0.05, 0.1, 0.2, 0.25]) if (max / step <= 8) return step;
  return 0.5;
}

function axes(days: number, yMax: number, x: (day: number) => number, y: (rate: number) => number): string[] {
  const parts: string[] = [];
  const step = percentStep(yMax);
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Math.round(v * 100)}%</text>`);
  }
  const dayStep = days <= 30 ? 5 : days <= 120 ? 10 : 30;
  for (let d = 0; d <= days; d += dayStep) {
    parts.push(`<line x1="${x(d).toFixed(1)}" x2="${x(d).toFixed(1)}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom + 5}" stroke="#333"/>`);
    parts.push(`<text x="${x(d).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 20}" text-anchor="middle">${d}</text>`);
  }
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333"/>`);
  parts.push(`<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">day of the simulation</text>`);
  parts.push(`<text transform="rotate(-90)" x="${-(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}" y="16" text-anchor="middle">share of overdue amount recovered</text>`);
  return parts;
}

export function renderRecoverySvg(series: readonly ChartSeries[]): string {
  const days = Math.max(1, ...series.map((s) => s.daily.length));
  const top = Math.max(0.05, ...series.flatMap((s) => s.daily));
  const yMax = Math.ceil(top / percentStep(top)) * percentStep(top);
  const x = (day: number) => MARGIN.left + (day / days) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (rate: number) => HEIGHT - MARGIN.bottom - (rate / yMax) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const parts = axes(days, yMax, x, y);
  series.forEach((s, i) => {
    const colour = COLOURS[s.summary.policy];
    const points = s.daily.map((rate, day) => `${x(day + 1).toFixed(1)},${y(rate).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${x(0).toFixed(1)},${y(0).toFixed(1)} ${points}"/>`);
    const label = `${s.summary.policy}: ${(s.summary.recoveryRate * 100).toFixed(1)}% recovered, ${s.summary.contacts} contacts`;
    parts.push(`<rect x="${MARGIN.left + 12}" y="${MARGIN.top + 8 + i * 20}" width="14" height="3" fill="${colour}"/>`);
    parts.push(`<text x="${MARGIN.left + 32}" y="${MARGIN.top + 13 + i * 20}">${escapeMarkup(label)}</text>`);
  });
  const title = `Recovery over ${days} days, seed ${series[0]?.summary.seed ?? ''}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" role="img" aria-label="${escapeMarkup(title)}">`,
    `<text x="${MARGIN.left}" y="24" font-size="16">${escapeMarkup(title)}</text>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

function kpiTable(series: readonly ChartSeries[]): string {
  const columns: (keyof SimulationSummary)[] = ['policy', 'recoveryRate', 'amountRecovered', 'amountOverdue', 'contacts', 'complaints', 'optOuts', 'costTotal'];
  const head = columns.map((c) => `<th>${c}</th>`).join('');
  const rows = series.map((s) => `<tr>${columns.map((c) => `<td>${escapeMarkup(String(s.summary[c]))}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<tr>${head}</tr>\n${rows}\n</table>`;
}

export function renderRecoveryPage(series: readonly ChartSeries[], setup: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>recoup simulate: recovery</title>
<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin-top:16px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}p{max-width:760px}</style>
</head>
<body>
${renderRecoverySvg(series)}
${kpiTable(series)}
<p>${escapeMarkup(setup)}</p>
</body>
</html>
`;
}

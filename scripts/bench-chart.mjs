// Draws the table of a `npm run bench -- --json FILE` run as an SVG bar chart: for each case, the
// ratios "tfjs/ours" and "jax/ours" (a peer's time over wasmtorch's) as bars from 1 on a log
// scale, to the right where wasmtorch is faster, to the left where it is slower, each labelled
// with its value; the machine, commit, load and command of the run underneath. Plain SVG text,
// no dependency, so the chart can be committed beside the README (docs/bench.svg).
// Run: node scripts/bench-chart.mjs --json /tmp/bench.json --out docs/bench.svg
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCli, refuse } from './args.mjs';

const usage = 'node scripts/bench-chart.mjs --json FILE (from npm run bench -- --json FILE) --out FILE.svg';
const args = parseCli(usage, { json: { type: 'string' }, out: { type: 'string' } });
if (!args.json) refuse(usage, '--json is required: the file bench/run.ts wrote');
if (!args.out) refuse(usage, '--out is required: where to write the SVG');

const SERIES = [
  { key: 'tfjs/ours', label: 'TensorFlow.js-wasm time / wasmtorch time', color: '#e8710a' },
  { key: 'jax/ours', label: 'jax-js time / wasmtorch time', color: '#1a73e8' },
  // the threads family: wasmtorch on one thread over wasmtorch on all (its JSON detail's speedup)
  { key: 'threads', label: 'one thread / all threads (wasmtorch)', color: '#34a853' },
];
/** A result's value for a series: a peer ratio, or the threads cases' speedup. */
const valueOf = (r, key) => (key === 'threads' ? r.row?.wasmtorch?.detail?.speedup : r.ratios[key]) ?? null;

/** The run, checked for the fields the chart reads (a file of another shape is refused by name). */
function load(path) {
  let run;
  try { run = JSON.parse(readFileSync(path, 'utf8')); } catch (e) {
    refuse(usage, `--json ${path}: cannot read it as JSON (${e instanceof Error ? e.message : e})`);
  }
  if (!run || !Array.isArray(run.results)) refuse(usage, `--json ${path}: expected the object bench/run.ts writes, with a "results" array`);
  for (const r of run.results) {
    if (typeof r.case !== 'string' || !r.ratios || typeof r.ratios !== 'object') refuse(usage, `--json ${path}: a result lacks "case" or "ratios": ${JSON.stringify(r).slice(0, 120)}`);
    for (const { key } of SERIES) {
      const v = valueOf(r, key);
      if (v !== null && v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) refuse(usage, `--json ${path}: case '${r.case}': ratio ${key} is ${v}, expected a positive number or null`);
    }
  }
  return run;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmtRatio = (r) => `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
// approximate width of 12 px sans-serif text, to size the label column (no font metrics in Node)
const textWidth = (s, px = 12) => [...s].reduce((w, c) => w + (/[A-Z@mwMW×]/.test(c) ? 0.78 : /[il.,:;|' ]/.test(c) ? 0.3 : 0.56), 0) * px;

function chart(run) {
  const rows = [];
  let family = null;
  for (const r of run.results) {
    if (r.family !== family) { family = r.family; rows.push({ family }); }
    rows.push({ name: r.case, ratios: SERIES.map(({ key }) => valueOf(r, key)) });
  }
  for (const name of run.failed ?? []) rows.push({ name, failed: true });

  const all = rows.flatMap((r) => r.ratios ?? []).filter((v) => v !== null);
  // the decade ticks (1, 2, 5 × 10ᵏ) that cover every ratio and 1
  const lo = Math.min(1, ...all) / 1.15, hi = Math.max(1, ...all) * 1.15;
  const ticks = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) for (const m of [1, 2, 5]) ticks.push(m * 10 ** k);
  const tLo = Math.max(...ticks.filter((t) => t <= lo)), tHi = Math.min(...ticks.filter((t) => t >= hi));
  const shown = ticks.filter((t) => t >= tLo && t <= tHi);

  const labelW = Math.ceil(Math.max(200, ...rows.map((r) => textWidth(r.name ?? r.family, 12)))) + 24;
  const plotW = 560, valueW = 60;
  const x0 = labelW, x1 = labelW + plotW, width = x1 + valueW;
  const scale = (v) => x0 + ((Math.log(v) - Math.log(tLo)) / (Math.log(tHi) - Math.log(tLo))) * plotW;
  const top = 86, bar = 9, rowH = 2 * bar + 8, famH = 22;
  let y = top;
  const body = [];
  for (const r of rows) {
    if (r.family !== undefined) {
      body.push(`<text x="8" y="${y + 15}" font-weight="bold" fill="#333">${esc(r.family)}</text>`);
      y += famH;
      continue;
    }
    body.push(`<text x="16" y="${y + rowH / 2 + 4}">${esc(r.name)}</text>`);
    if (r.failed) {
      body.push(`<text x="${scale(1) + 6}" y="${y + rowH / 2 + 4}" fill="#b00020" font-weight="bold">FAILED (the libraries disagreed or one threw)</text>`);
    } else {
      // the series a row has (the peers' ratios, or the threads speedup), stacked in that order
      const present = r.ratios.map((v, i) => [v, i]).filter(([v]) => v !== null);
      if (present.length === 0) body.push(`<text x="${scale(1) + 4}" y="${y + 4 + bar - 1}" font-size="10" fill="#777">—</text>`);
      present.forEach(([v, i], j) => {
        const by = y + 4 + j * bar;
        const a = scale(1), b = scale(v), left = Math.min(a, b), w = Math.max(Math.abs(b - a), 1);
        body.push(`<rect x="${left.toFixed(1)}" y="${by}" width="${w.toFixed(1)}" height="${bar - 1}" fill="${SERIES[i].color}"><title>${esc(`${r.name}: ${SERIES[i].key} = ${fmtRatio(v)}`)}</title></rect>`);
        const tx = v >= 1 ? b + 4 : b - 4;
        body.push(`<text x="${tx.toFixed(1)}" y="${by + bar - 1}" font-size="10" text-anchor="${v >= 1 ? 'start' : 'end'}" fill="#333">${fmtRatio(v)}</text>`);
      });
    }
    y += rowH;
  }
  const plotBottom = y + 4;
  const grid = shown.map((t) => {
    const x = scale(t).toFixed(1);
    const label = t >= 1 ? `${t}×` : `${t.toPrecision(1)}×`;
    return `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${plotBottom}" stroke="${t === 1 ? '#000' : '#ddd'}" stroke-width="${t === 1 ? 1.2 : 1}"/>` +
      `<text x="${x}" y="${top - 10}" font-size="10" text-anchor="middle" fill="#555">${label}</text>`;
  });
  const m = run.machine ?? {};
  const when = run.date ? run.date.slice(0, 16).replace('T', ' ') + ' UTC' : '';
  const notes = [
    `${m.cpu ?? 'unknown CPU'}, ${m.cores ?? '?'} cores, Node ${m.node ?? '?'}; wasmtorch ${m.wasmtorch ?? '?'} (${m.commit ?? '?'}), TensorFlow.js ${m.tfjs ?? '?'} (wasm backend), jax-js ${m['jax-js'] ?? '?'} (wasm); one thread each`,
    `${when}; load average ${m.loadavg1 ?? '?'} at start; ${run.seconds ? `${Math.round(run.seconds)} s; ` : ''}${run.command ?? ''}`,
  ];
  const legendY = plotBottom + 22;
  const legend = SERIES.map((s, i) => `<rect x="${16 + i * 300}" y="${legendY - 9}" width="14" height="9" fill="${s.color}"/><text x="${36 + i * 300}" y="${legendY}">${esc(s.label)}</text>`);
  const height = legendY + 20 + notes.length * 16 + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="22" font-size="15" font-weight="bold">wasmtorch against TensorFlow.js-wasm and jax-js: time ratio per case</text>
<text x="8" y="42" fill="#444">A peer's time over wasmtorch's, log scale: right of 1, wasmtorch is faster; left of 1, slower. npm run bench, one process, same data.</text>
${grid.join('\n')}
${body.join('\n')}
${legend.join('\n')}
${notes.map((n, i) => `<text x="8" y="${legendY + 24 + i * 16}" font-size="11" fill="#555">${esc(n)}</text>`).join('\n')}
</svg>
`;
}

const run = load(args.json);
if (run.results.length === 0 && !(run.failed ?? []).length) refuse(usage, `--json ${args.json}: no results to draw`);
writeFileSync(args.out, chart(run));
console.error(`wrote ${args.out}: ${run.results.length} cases${run.failed?.length ? `, ${run.failed.length} failed` : ''}`);

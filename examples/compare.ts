// The seed article's comparison, run: the seed model on the seed data under SGD, SGD with
// momentum, Adam and RMSprop, MSE against L1, and cross-entropy on a 3-class version of the
// data — all from the same initial weights. Prints a table, loss curves and a takeaway each.
// Run: npm run demo (after the seed program), or: npx tsx examples/compare.ts [--epochs N] [--seed N] [--json]
import * as torch from 'wasmtorch';
import { plot, blue, red, green, yellow, magenta, cyan, reset, type Color } from 'asciichart';
// @ts-expect-error: plain JS helper shared with scripts/*.mjs
import { parseCli } from '../scripts/args.mjs';
import { runSeedComparison, takeaway, type Comparison, type ComparisonResult, type Run } from './compare_runs.js';

const args = parseCli('npx tsx examples/compare.ts [--epochs N] [--seed N] [--json]', {
  epochs: { type: 'integer', default: 100, min: 1 },
  seed: { type: 'integer', default: 0, min: 0 },
  json: { type: 'boolean', default: false },
}) as { epochs: number; seed: number; json: boolean };

const tty = process.stdout.isTTY === true;
const COLORS = [blue, red, green, yellow, magenta, cyan];
const paint = (text: string, color: Color): string => (tty && color ? `${color}${text}${reset}` : text);
const f = (v: number): string => v.toFixed(4);

function printTable(result: ComparisonResult): void {
  const after = (r: Run): string =>
    r.loss === 'CrossEntropy' ? `accuracy ${(100 * r.metrics.accuracy).toFixed(0)} %` : `MSE ${f(r.metrics.mse)}  MAE ${f(r.metrics.mae)}`;
  const header = ['run', 'optimizer', 'lr', 'momentum', 'loss', 'start', `after ${result.epochs}`, 'model after training'];
  const rows = result.runs.map((r) => [r.name, r.optimizer, String(r.lr), r.optimizer === 'SGD' ? String(r.momentum ?? 0) : '-',
    r.loss, f(r.losses[0]), f(r.final), after(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(`\nSeed model, ${result.samples} samples, ${result.epochs} epochs, seed ${result.seed}; every run starts from the same weights.\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  result.runs.forEach((r, i) => {
    if (i > 0 && r.comparison !== result.runs[i - 1].comparison) console.log('');
    console.log(line(rows[i]));
  });
}

const TITLES: Record<Comparison, string> = {
  optimizer: 'Optimizers, MSE loss',
  loss: 'MSE against L1 loss (each curve in its own units)',
  classification: 'Optimizers, cross-entropy on 3 classes',
};

function printCharts(result: ComparisonResult): void {
  // One column per `step` epochs keeps a chart within 80 columns.
  const step = Math.ceil(result.epochs / 50);
  const sample = (xs: number[]): number[] => xs.filter((_, i) => i % step === 0 || i === xs.length - 1);
  for (const comparison of Object.keys(TITLES) as Comparison[]) {
    const group = result.runs.filter((r) => r.comparison === comparison);
    if (group.length === 0) continue;
    const colors = group.map((_, i) => COLORS[i % COLORS.length]);
    console.log(`\n${TITLES[comparison]}: loss per epoch (1 column = ${step} epoch${step > 1 ? 's' : ''})`);
    console.log(plot(group.map((r) => sample(r.losses)), { height: 10, colors: tty ? colors : undefined, format: (v) => v.toFixed(3).padStart(7) }));
    // The legend lists the curves as they end, top to bottom, so it reads without colors too.
    const ends = group.map((r, i) => ({ r, color: colors[i] })).sort((a, b) => b.r.losses.at(-1)! - a.r.losses.at(-1)!);
    console.log(`  right edge, top to bottom: ${ends.map(({ r, color }) => paint(r.name, color)).join(', ')}`);
    console.log(`  ${takeaway(result.runs, comparison)}`);
  }
}

await torch.init();
const t0 = performance.now();
const result = runSeedComparison({ epochs: args.epochs, seed: args.seed });
const ms = performance.now() - t0;
if (args.json) {
  console.log(JSON.stringify(result));
} else {
  printTable(result);
  printCharts(result);
  console.log(`\n${result.runs.length} runs × ${result.epochs} epochs trained in ${ms.toFixed(0)} ms.`);
}

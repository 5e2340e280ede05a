// The demo page: starts the training worker, draws the loss and accuracy chart, the grid of
// test digits with predicted labels, and the backend's features. Bundled by esbuild (npm run build:web).
import type { Progress } from './worker.js';

const stats = document.getElementById('stats')!;
const chart = document.getElementById('chart') as HTMLCanvasElement;
const digits = document.getElementById('digits')!;
const history: Progress[] = [];
let testAcc: number | null = null; // the latest evaluation, shown between evaluations

function drawChart(): void {
  const ctx = chart.getContext('2d')!;
  const { width: w, height: h } = chart;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = '#ddd';
  ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
  if (history.length < 2) return;
  const maxStep = history[history.length - 1].step, maxLoss = Math.max(...history.map((p) => p.loss));
  const line = (color: string, y: (p: Progress) => number): void => {
    ctx.strokeStyle = color;
    ctx.beginPath();
    history.forEach((p, i) => { const x = (p.step / maxStep) * (w - 20) + 10; (i ? ctx.lineTo : ctx.moveTo).call(ctx, x, y(p)); });
    ctx.stroke();
  };
  line('#d33', (p) => h - 10 - (p.loss / maxLoss) * (h - 20));
  line('#27c', (p) => h - 10 - p.trainAcc * (h - 20));
  ctx.fillStyle = '#d33'; ctx.fillText('loss', 14, 16);
  ctx.fillStyle = '#27c'; ctx.fillText('train accuracy', 50, 16);
}

function drawDigits(p: Progress): void {
  if (!p.samples) return;
  digits.replaceChildren(...p.samples.map((s) => {
    const cell = document.createElement('div');
    cell.className = 'digit';
    const c = document.createElement('canvas');
    c.width = 28; c.height = 28;
    const img = c.getContext('2d')!.createImageData(28, 28);
    s.pixels.forEach((v, i) => { img.data.set([255 - v, 255 - v, 255 - v, 255], i * 4); });
    c.getContext('2d')!.putImageData(img, 0, 0);
    const label = document.createElement('div');
    label.textContent = `${s.predicted}`;
    if (s.predicted !== s.label) label.className = 'wrong';
    cell.append(c, label);
    return cell;
  }));
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<Progress>) => {
  const p = e.data;
  if (p.error) { stats.textContent = `error: ${p.error}`; return; }
  history.push(p);
  if (p.testAcc !== null) testAcc = p.testAcc;
  const b = p.backend;
  stats.textContent =
    `step ${p.step}  epoch ${p.epoch}  loss ${p.loss.toFixed(4)}  train acc ${(100 * p.trainAcc).toFixed(1)}%  ` +
    `test acc ${testAcc === null ? '…' : (100 * testAcc).toFixed(1) + '%'}  ${p.imagesPerSecond.toFixed(0)} img/s\n` +
    `SIMD ${b.simd ? 'yes' : 'no'}  relaxed SIMD ${b.relaxedSimd ? 'yes' : 'no'}  threads ${b.threads}`;
  document.body.dataset.step = String(p.step);
  if (p.testAcc !== null) document.body.dataset.testAcc = String(p.testAcc);
  drawChart();
  drawDigits(p);
};

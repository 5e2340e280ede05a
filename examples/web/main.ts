// The demo page: one Web Worker trains an MNIST MLP or CNN (start/stop, a set number of epochs; live loss
// and accuracy chart, a grid of test digits with predicted labels) and runs the optimizer
// playground (the seed model under a chosen optimizer, learning rate and loss, curves overlaid in
// uPlot with a results table). Shows the backend's features. Bundled by esbuild (scripts/build.mjs),
// uPlot's CSS into dist/main.css.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Choice, FromWorker, MnistProgress, RunResult, ToWorker } from './protocol.js';
import type { ModelKind } from '../mnist_model.js'; // types only: the page itself loads no wasmtorch

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker): void => worker.postMessage(m);

// ---- MNIST ----------------------------------------------------------------------------------

const mnistSection = $('mnist'), stats = $('stats'), chart = $<HTMLCanvasElement>('chart'), digits = $('digits');
const epochsInput = $<HTMLInputElement>('mnist-epochs'), startButton = $<HTMLButtonElement>('mnist-start');
const stopButton = $<HTMLButtonElement>('mnist-stop'), mnistState = $('mnist-state');
const modelSelect = $<HTMLSelectElement>('mnist-model'), mnistTitle = $('mnist-title');
let history: MnistProgress[] = [];
let testAcc: number | null = null; // the latest evaluation, shown between evaluations

function drawChart(): void {
  const ctx = chart.getContext('2d')!;
  const { width: w, height: h } = chart;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = '#ddd';
  ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
  if (history.length < 2) return;
  const maxStep = history[history.length - 1].step, maxLoss = Math.max(...history.map((p) => p.loss));
  const line = (color: string, y: (p: MnistProgress) => number): void => {
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

function drawDigits(p: MnistProgress): void {
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

function showProgress(p: MnistProgress): void {
  history.push(p);
  if (p.testAcc !== null) testAcc = p.testAcc;
  stats.textContent =
    `step ${p.step}  epoch ${p.epoch}  loss ${p.loss.toFixed(4)}  train acc ${(100 * p.trainAcc).toFixed(1)}%  ` +
    `test acc ${testAcc === null ? '…' : (100 * testAcc).toFixed(1) + '%'}  ${p.imagesPerSecond.toFixed(0)} img/s`;
  mnistSection.dataset.step = String(p.step);
  if (p.testAcc !== null) mnistSection.dataset.testAcc = String(p.testAcc);
  drawChart();
  drawDigits(p);
}

const TITLES: Record<ModelKind, string> = {
  mlp: 'MNIST: a 784-256-128-10 MLP learning handwritten digits',
  cnn: 'MNIST: a CNN (two 3×3 convolutions with max pooling, then 800-128-10) learning handwritten digits',
};
const chosenModel = (): ModelKind => (modelSelect.value in TITLES ? modelSelect.value as ModelKind : 'mlp');
modelSelect.onchange = () => { mnistTitle.textContent = TITLES[chosenModel()]; mnistSection.dataset.model = chosenModel(); };

startButton.onclick = () => {
  const epochs = Math.max(1, Math.round(Number(epochsInput.value) || 3));
  epochsInput.value = String(epochs);
  history = []; testAcc = null;
  delete mnistSection.dataset.testAcc;
  mnistSection.dataset.step = '0';
  drawChart();
  startButton.disabled = true; epochsInput.disabled = true; modelSelect.disabled = true;
  send({ type: 'mnist-start', epochs, model: chosenModel() });
};
stopButton.onclick = () => { stopButton.disabled = true; send({ type: 'mnist-stop' }); };

function showMnistState(state: 'idle' | 'running' | 'stopped' | 'done', step: number, epochs: number): void {
  mnistSection.dataset.state = state;
  const running = state === 'running';
  startButton.disabled = running; epochsInput.disabled = running; modelSelect.disabled = running; stopButton.disabled = !running;
  mnistState.textContent = { idle: 'ready', running: `training ${epochs} epoch${epochs === 1 ? '' : 's'}…`,
    stopped: `stopped at step ${step}`, done: `done: ${epochs} epoch${epochs === 1 ? '' : 's'}, ${step} steps` }[state];
}

// ---- optimizer playground --------------------------------------------------------------------

const playground = $('playground'), chartBox = $('playground-chart'), runsBody = $('runs').querySelector('tbody')!;
const optimizerSelect = $<HTMLSelectElement>('pg-optimizer'), lrInput = $<HTMLInputElement>('pg-lr');
const lossSelect = $<HTMLSelectElement>('pg-loss'), runButton = $<HTMLButtonElement>('pg-run');
const compareButton = $<HTMLButtonElement>('pg-compare'), clearButton = $<HTMLButtonElement>('pg-clear');
const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
let optimizers: Choice[] = [], losses: Choice[] = [];
interface Run { label: string; result: RunResult; ms: number; color: string }
let runs: Run[] = [];
const pending = new Set<number>(); // request ids; "clear" forgets them
let nextId = 1, colorIndex = 0;
let plot: uPlot | null = null;

function drawPlayground(): void {
  plot?.destroy();
  // losses[i] is the loss before epoch i's step; the curve ends with the loss after the last step.
  // A diverging run (too large an lr) leaves the top of the chart: the y axis ends at 1.5 times
  // the highest starting loss, and non-finite losses are gaps.
  const curves = runs.map((r) => [...r.result.losses, r.result.final].map((l) => (Number.isFinite(l) ? l : null)));
  const top = 1.5 * Math.max(0, ...runs.map((r) => r.result.losses[0]).filter(Number.isFinite));
  const xs = Array.from({ length: Math.max(0, ...curves.map((c) => c.length)) }, (_, i) => i);
  plot = new uPlot({
    width: 600, height: 320,
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, top > 0 ? Math.min(max, top) : max] } },
    axes: [{ label: 'epoch' }, { label: 'loss', size: 60 }],
    series: [{ label: 'epoch' }, ...runs.map((r) => ({ label: r.label, stroke: r.color, width: 2, points: { show: false } }))],
  }, [xs, ...curves.map((c) => xs.map((_, i) => c[i] ?? null))] as uPlot.AlignedData, chartBox);
  chartBox.dataset.series = String(plot.series.length - 1);
  chartBox.dataset.finals = JSON.stringify(plot.data.slice(1).map((d) => d[d.length - 1]));
}

function drawTable(): void {
  runsBody.replaceChildren(...runs.map((r, i) => {
    const row = document.createElement('tr');
    const { losses: [first], final } = r.result;
    Object.assign(row.dataset, { run: String(i), name: r.label, optimizer: r.result.optimizer, momentum: String(r.result.momentum ?? 0),
      lr: String(r.result.lr), loss: r.result.loss, firstLoss: String(first), finalLoss: String(final) });
    const name = document.createElement('td');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = r.color;
    name.append(swatch, r.label);
    const cells = [first.toFixed(4), Number.isFinite(final) ? final.toFixed(4) : 'diverged', r.ms.toFixed(1)].map((t) => { const td = document.createElement('td'); td.textContent = t; return td; });
    row.append(name, ...cells);
    return row;
  }));
  playground.dataset.runs = String(runs.length);
  playground.dataset.pending = String(pending.size);
}

function requestRun(optimizer: string, lr: number, loss: string): void {
  const id = nextId++;
  pending.add(id);
  playground.dataset.pending = String(pending.size);
  send({ type: 'run', id, optimizer, lr, loss });
}

function finishRun(id: number, result: RunResult, ms: number): void {
  if (!pending.delete(id)) return; // cleared meanwhile
  const base = result.name;
  const same = runs.filter((r) => r.result.name === base).length;
  runs.push({ label: same ? `${base} (${same + 1})` : base, result, ms, color: COLORS[colorIndex++ % COLORS.length] });
  drawPlayground();
  drawTable();
}

function fill(select: HTMLSelectElement, choices: Choice[]): void {
  select.replaceChildren(...choices.map((c) => new Option(c.label, c.name)));
}

optimizerSelect.onchange = () => {
  const lr = optimizers.find((o) => o.name === optimizerSelect.value)?.defaultLr;
  if (lr !== undefined) lrInput.value = String(lr);
};
runButton.onclick = () => {
  const lr = Number(lrInput.value);
  if (!(lr > 0)) { lrInput.setCustomValidity('a positive learning rate'); lrInput.reportValidity(); return; }
  lrInput.setCustomValidity('');
  requestRun(optimizerSelect.value, lr, lossSelect.value);
};
compareButton.onclick = () => { for (const o of optimizers) requestRun(o.name, o.defaultLr!, lossSelect.value); };
clearButton.onclick = () => { runs = []; pending.clear(); colorIndex = 0; drawPlayground(); drawTable(); };

// ---- the worker's messages -------------------------------------------------------------------

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'ready': {
      const b = m.backend;
      $('backend').textContent = `SIMD ${b.simd ? 'yes' : 'no'}  relaxed SIMD ${b.relaxedSimd ? 'yes' : 'no'}  threads ${b.threads}`;
      ({ optimizers, losses } = m);
      fill(optimizerSelect, optimizers); fill(lossSelect, losses); fill(modelSelect, m.models);
      modelSelect.onchange?.(new Event('change'));
      optimizerSelect.onchange?.(new Event('change'));
      runButton.disabled = false; compareButton.disabled = false;
      break;
    }
    case 'mnist-progress': showProgress(m); break;
    case 'mnist-state': showMnistState(m.state, m.step, m.epochs); break;
    case 'run': finishRun(m.id, m.result, m.ms); break;
    case 'error':
      if (m.id !== undefined) { pending.delete(m.id); drawTable(); }
      document.body.dataset.error = m.error;
      $('backend').textContent = `error: ${m.error}`;
      break;
  }
};
worker.onerror = (e) => { document.body.dataset.error = e.message; $('backend').textContent = `worker error: ${e.message}`; };
drawPlayground();
drawTable();

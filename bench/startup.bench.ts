// Figures of a fresh process, each library in a child process of its own (bench/programs/*.mjs,
// plain JavaScript; wasmtorch's import the built package ../../dist/index.js, so run
// `node scripts/build.mjs` after changing src/). The runs of the three libraries are interleaved
// so that a burst of load on the machine falls on all of them; the figure is the median.
//   first 100 steps: the mean µs of the seed program's first 100 steps (<lib>-steps.mjs; wasmtorch
//     as API.md's seed program, without tidy).
//   steps 300–3,300: the mean over those steps of one process (wasmtorch with the step in
//     torch.tidy, as a long loop should be; TensorFlow.js's minimize and jax-js tidy themselves).
//   seed program: the whole process (import, init, data, model, 100 steps, print the final loss:
//     <lib>-seed.mjs) from spawn to exit, minus the median of `node -e 0` timed beside it.
// Each child prints its own figures and losses as JSON; a run whose loss did not fall fails the case.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBS, LIB_TITLES, lastJson, median, timeProcess, type Case, type Lib, type Row, type RunOptions } from './lib.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const program = (name: string) => join('bench', 'programs', name);

function checkLoss(lib: Lib, what: string, j: Record<string, number>): void {
  if (!(j.lastLoss < j.firstLoss)) throw new Error(`${LIB_TITLES[lib]} ${what}: the loss did not fall (${j.firstLoss} → ${j.lastLoss})`);
}

type StepFigures = Partial<Record<Lib, { first100: number[]; steady: number[]; importMs: number[] }>>;
let stepRuns: Promise<StepFigures> | null = null;

/** Runs the <lib>-steps.mjs children (shared by the two step cases: one set of processes). */
function freshSteps(opts: RunOptions): Promise<StepFigures> {
  stepRuns ??= (async () => {
    const runs = opts.quick ? 1 : 3;
    const out: StepFigures = {};
    for (const lib of LIBS) out[lib] = { first100: [], steady: [], importMs: [] };
    for (let r = 0; r < runs; r++) {
      for (const lib of LIBS) {
        const f = out[lib]!;
        if (lib === 'wasmtorch') {
          // the first 100 steps as the seed program runs them (no tidy), then a long loop with tidy
          const a = lastJson((await timeProcess([program('wasmtorch-steps.mjs'), '--steps', '100'], root)).stdout);
          checkLoss(lib, 'first 100 steps', a);
          const b = lastJson((await timeProcess([program('wasmtorch-steps.mjs'), '--steps', '3300', '--tidy'], root)).stdout);
          checkLoss(lib, 'steps with tidy', b);
          f.first100.push(a.first100Us); f.steady.push(b.steady300Us); f.importMs.push(a.importMs);
        } else {
          const j = lastJson((await timeProcess([program(`${lib}-steps.mjs`), '--steps', '3300'], root)).stdout);
          checkLoss(lib, 'steps', j);
          f.first100.push(j.first100Us); f.steady.push(j.steady300Us); f.importMs.push(j.importMs);
        }
      }
    }
    for (const lib of LIBS) {
      const f = out[lib]!;
      opts.log(`  ${LIB_TITLES[lib]}: first 100 steps ${f.first100.map((x) => x.toFixed(0)).join(', ')} µs; steps 300–3,300 ${f.steady.map((x) => x.toFixed(1)).join(', ')} µs; import ${f.importMs.map((x) => x.toFixed(0)).join(', ')} ms`);
    }
    return out;
  })();
  return stepRuns;
}

function stepCase(name: string, pick: 'first100' | 'steady'): Case {
  return {
    name,
    async run(opts: RunOptions): Promise<Row> {
      const figs = await freshSteps(opts);
      const row: Row = {};
      for (const lib of LIBS) {
        const f = figs[lib]!;
        row[lib] = { seconds: median(f[pick]) / 1e6, samples: f[pick].length, detail: { runsUs: f[pick], importMs: f.importMs } };
      }
      return row;
    },
  };
}

const seedProgram: Case = {
  name: 'seed program as a process − node -e 0',
  async run(opts: RunOptions): Promise<Row> {
    const runs = opts.quick ? 2 : 7;
    const ms: Record<Lib | 'node', number[]> = { node: [], wasmtorch: [], tfjs: [], jax: [] };
    const losses: Partial<Record<Lib, number>> = {};
    for (let r = 0; r < runs; r++) {
      ms.node.push((await timeProcess(['-e', '0'], root)).ms);
      for (const lib of LIBS) {
        const { ms: t, stdout } = await timeProcess([program(`${lib}-seed.mjs`)], root);
        const loss = lastJson(stdout).finalLoss;
        if (!Number.isFinite(loss)) throw new Error(`${LIB_TITLES[lib]} seed program printed a final loss of ${loss}`);
        losses[lib] = loss;
        ms[lib].push(t);
      }
    }
    const base = median(ms.node);
    opts.log(`  node -e 0: ${ms.node.map((x) => x.toFixed(0)).join(', ')} ms`);
    const row: Row = {};
    for (const lib of LIBS) {
      opts.log(`  ${LIB_TITLES[lib]}: ${ms[lib].map((x) => x.toFixed(0)).join(', ')} ms (final loss ${losses[lib]!.toFixed(4)})`);
      row[lib] = { seconds: (median(ms[lib]) - base) / 1e3, samples: runs, detail: { runsMs: ms[lib], nodeMs: ms.node, medianMs: median(ms[lib]), nodeMedianMs: base } };
    }
    return row;
  },
};

export const cases: Case[] = [
  stepCase('seed step, first 100 of a fresh process', 'first100'),
  stepCase('seed step, steps 300–3,300 of a fresh process', 'steady'),
  seedProgram,
];

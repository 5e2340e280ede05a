// The optim family against PyTorch (tests/fixtures/gen_optim_ext.py → optim_ext.json):
// Adagrad, Adadelta, Adamax, NAdam and RAdam trajectories (8 steps) and final state; optimizer
// state dicts in PyTorch's layout, round trips and loading PyTorch's own dict; every learning-rate
// scheduler over 30 epochs; option checking and failed loads that change nothing.
// Tolerances: trajectories and state 1e-4 relative + 1e-6 absolute (float32 kernels against
// PyTorch's float32 ops in another order); learning rates 1e-10 relative (both compute in
// float64 with the same formulas, so only the last bits of Math.cos may differ).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, fromFixture, assertClose } from './oracle.js';

const { optim } = torch;
const S = optim.lrScheduler;
type Json = { shape: number[]; data: number[] };
type AnyOpt = torch.optim.Optimizer<{ lr: number }>;
type OptCtor = new (params: unknown, options?: Record<string, unknown>) => AnyOpt;
const ctor = (name: string): OptCtor => (optim as unknown as Record<string, OptCtor>)[name];

interface OptimCase {
  name: string; optimizer: string; options: Record<string, unknown>; params: Json[];
  grads: number[][][]; trajectory: number[][][]; state: Record<string, Record<string, Json | number>>; emulated?: string[];
}
interface RoundTrip {
  name: string; optimizer: string; groups: Record<string, unknown>[]; options: Record<string, unknown>; params: Json[];
  before: number; grads: number[][][]; trajectory: number[][][];
  stateDict: { state: Record<string, Record<string, Json | number>>; param_groups: Record<string, unknown>[] };
}
interface SchedCase {
  name: string; kind: string; options: Record<string, unknown>; optimizer: string; optimizerOptions: Record<string, unknown>;
  lrs: number[][]; momenta?: (number | null)[][]; metrics?: number[]; stateDict: Record<string, unknown>; groups: Record<string, unknown>[];
}
const fx = loadFixture<{ cases: OptimCase[]; roundTrips: RoundTrip[]; schedulers: SchedCase[]; chained: { lrs: number[][] } }>('optim_ext.json');

const setGrads = (params: Tensor[], grads: number[][]): void => params.forEach((p, i) => {
  p.grad?.dispose();
  p.grad = torch.keep(fromFixture({ shape: p.shape, data: grads[i] }));
});
const disposeAll = (...ts: Tensor[]): void => ts.forEach((t) => t.dispose());

function checkState(name: string, ours: Record<string, Tensor | number> | undefined, expected: Record<string, Json | number>): void {
  assert.ok(ours, `${name}: has state`);
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(expected).sort(), `${name}: state names`);
  for (const [k, v] of Object.entries(expected)) {
    if (typeof v === 'number') {
      if (k === 'step') assert.equal(ours[k], v, `${name}: step`);
      else assertClose([ours[k] as number], [v], `${name}: ${k}`, 1e-6, 0);
    } else {
      const t = ours[k] as Tensor;
      assert.deepEqual(t.shape, v.shape, `${name}: ${k} shape`);
      assertClose(t.toFloat32Array(), v.data, `${name}: ${k}`, 1e-4, 1e-6);
    }
  }
}

// ---------------------------------------------------------------------------- trajectories

for (const c of fx.cases) {
  test(`optimizer ${c.name}: 8 steps and the final state equal PyTorch's${c.emulated ? ` (${c.emulated.join(', ')} emulated in torch 1.13)` : ''}`, () => {
    const live = torch.memory().liveTensors;
    torch.tidy(() => {
      const params = c.params.map((p) => fromFixture(p, true));
      const opt = new (ctor(c.optimizer))(params, c.options);
      c.grads.forEach((g, s) => {
        setGrads(params, g);
        opt.step();
        params.forEach((p, i) => assertClose(p.toFloat32Array(), c.trajectory[s][i], `${c.name} step ${s + 1} param ${i}`, 1e-4, 1e-6));
      });
      params.forEach((p, i) => checkState(`${c.name} param ${i}`, opt.state.get(p), c.state[i]));
      opt.dispose();
      disposeAll(...params);
    });
    assert.equal(torch.memory().liveTensors, live, 'optimizer state and gradients freed');
  });
}

test('RAdam takes the unrectified step while ρ_t ≤ 5, as PyTorch (the fixture crosses the threshold)', () => {
  // β2 = 0.999: ρ_t ≤ 5 for steps 1–5, rectified from step 6; the 8-step defaults case covers both
  const rho = (t: number, b2 = 0.999): number => 2 / (1 - b2) - 1 - (2 * t * b2 ** t) / (1 - b2 ** t);
  assert.ok(rho(5) <= 5 && rho(6) > 5, `ρ_5 = ${rho(5)}, ρ_6 = ${rho(6)}`);
  assert.ok(fx.cases.some((c) => c.name === 'RAdam_defaults' && c.grads.length >= 6));
});

// ---------------------------------------------------------------------------- state dicts

const TORCH_ONLY_GROUP_KEYS = ['foreach', 'capturable', 'differentiable', 'fused'];
// PyTorch 2.x options that torch 1.13's groups lack
const NEWER_GROUP_KEYS: Record<string, string[]> = { NAdam: ['maximize', 'decoupled_weight_decay'], RAdam: ['maximize', 'decoupled_weight_decay'] };

function makeRoundTripOptimizer(c: RoundTrip, params: Tensor[]): AnyOpt {
  const split = c.groups.length === 2 ? [params.slice(0, 1), params.slice(1)] : [params];
  return new (ctor(c.optimizer))(split.map((ps, i) => ({ params: ps, ...c.groups[i] })), c.options);
}
function torchDictToOurs(sd: RoundTrip['stateDict']): torch.optim.OptimizerStateDict {
  const state: Record<number, Record<string, Tensor | number>> = {};
  for (const [i, st] of Object.entries(sd.state)) {
    state[Number(i)] = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, typeof v === 'number' ? v : fromFixture(v)]));
  }
  return { state, param_groups: sd.param_groups.map((g) => ({ ...g })) };
}

for (const c of fx.roundTrips) {
  test(`${c.name}: stateDict() has PyTorch's layout and values; a loaded copy, and PyTorch's own dict, continue PyTorch's trajectory`, () => {
    const live = torch.memory().liveTensors;
    torch.tidy(() => {
    const params = c.params.map((p) => fromFixture(p, true));
    const a = makeRoundTripOptimizer(c, params);
    for (let s = 0; s < c.before; s++) { setGrads(params, c.grads[s]); a.step(); }
    const sd = a.stateDict();
    // layout: { state: { index: {...} }, param_groups: [{ snake_case options, params: [indices] }] }
    assert.deepEqual(Object.keys(sd), ['state', 'param_groups']);
    assert.deepEqual(Object.keys(sd.state), Object.keys(c.stateDict.state));
    for (const [i, st] of Object.entries(c.stateDict.state)) checkState(`${c.name} state ${i}`, sd.state[Number(i)], st);
    sd.param_groups.forEach((g, gi) => {
      const theirs = c.stateDict.param_groups[gi];
      for (const [k, v] of Object.entries(g)) {
        if (k in theirs) assert.deepEqual(v, theirs[k], `${c.name} group ${gi}: ${k}`);
        else assert.ok(NEWER_GROUP_KEYS[c.optimizer]?.includes(k), `${c.name} group ${gi}: key ${k} is not PyTorch's`);
      }
      for (const k of Object.keys(theirs)) assert.ok(k in g || TORCH_ONLY_GROUP_KEYS.includes(k), `${c.name} group ${gi}: PyTorch's key ${k} missing`);
    });
    // copies, not aliases
    const t0 = Object.values(sd.state[0]).find((v): v is Tensor => typeof v !== 'number')!;
    const key0 = Object.entries(sd.state[0]).find(([, v]) => v === t0)![0];
    const ownBefore = (a.state.get(params[0])![key0] as Tensor).toFloat32Array();
    t0.fill_(123);
    assert.deepEqual((a.state.get(params[0])![key0] as Tensor).toFloat32Array(), ownBefore, 'stateDict copies the state');

    // b: a fresh optimizer on copies of the parameters, loaded from our dict (restored value of t0)
    const sd2 = a.stateDict();
    const paramsB = params.map((p) => p.detach().clone().requiresGrad_());
    const b = makeRoundTripOptimizer(c, paramsB);
    b.loadStateDict(sd2);
    const loaded = b.state.get(paramsB[0])![key0] as Tensor;
    (sd2.state[0][key0] as Tensor).fill_(-7);
    assert.notEqual(loaded.toFloat32Array()[0], -7, 'loadStateDict copies the tensors');
    // c: PyTorch's own state dict (foreach etc. included) on further copies
    const paramsC = params.map((p) => p.detach().clone().requiresGrad_());
    const cOpt = makeRoundTripOptimizer(c, paramsC);
    const fromTorch = torchDictToOurs(c.stateDict);
    cOpt.loadStateDict(fromTorch);
    for (let s = c.before; s < c.grads.length; s++) {
      for (const [ps, opt] of [[params, a], [paramsB, b], [paramsC, cOpt]] as const) {
        setGrads(ps as Tensor[], c.grads[s]);
        opt.step();
      }
      for (const [who, ps] of [['original', params], ['loaded copy', paramsB], ['loaded from PyTorch', paramsC]] as const) {
        ps.forEach((p, i) => assertClose(p.toFloat32Array(), c.trajectory[s][i], `${c.name} ${who} step ${s + 1} param ${i}`, 1e-4, 1e-6));
      }
    }
    for (const o of [a, b, cOpt]) o.dispose();
    for (const st of [sd, sd2, fromTorch]) for (const e of Object.values(st.state)) for (const v of Object.values(e)) if (typeof v !== 'number') (v as Tensor).dispose();
    disposeAll(...params, ...paramsB, ...paramsC);
    });
    assert.equal(torch.memory().liveTensors, live, 'nothing leaked');
  });
}

/** Asserts loading `dict` throws `pattern` and leaves the optimizer's state, options and memory as they were. */
function refusedLoad(opt: AnyOpt, dict: unknown, pattern: RegExp, type: typeof TypeError | typeof RangeError): void {
  const snapshot = (): string => JSON.stringify(opt.paramGroups.map(({ params, ...o }) => o)) + JSON.stringify([...opt.state.values()]
    .map((st) => Object.fromEntries(Object.entries(st).map(([k, v]) => [k, typeof v === 'number' ? v : Array.from(v.toFloat32Array())]))));
  const before = snapshot();
  const mem = torch.memory();
  assert.throws(() => opt.loadStateDict(dict as torch.optim.OptimizerStateDict), (e: Error) => e instanceof type && pattern.test(e.message), String(pattern));
  assert.equal(torch.memory().liveTensors, mem.liveTensors, 'no tensor leaked');
  assert.equal(torch.memory().bytesInUse, mem.bytesInUse, 'no memory leaked');
  assert.equal(snapshot(), before, 'state and options unchanged');
}

test('loadStateDict checks groups, parameter counts, shapes, keys, types and option values before writing anything', () => {
  torch.tidy(() => {
    const w = torch.randn(2, 3).requiresGrad_(), b = torch.randn(3).requiresGrad_();
    const opt = new optim.Adam([{ params: [w] }, { params: [b], lr: 0.01 }], { lr: 0.1 });
    w.grad = torch.keep(torch.ones(2, 3)); b.grad = torch.keep(torch.ones(3));
    opt.step();
    const good = opt.stateDict();
    const bad = (f: (d: torch.optim.OptimizerStateDict) => void): torch.optim.OptimizerStateDict => { const d = opt.stateDict(); f(d); return d; };
    refusedLoad(opt, { state: good.state, param_groups: good.param_groups.slice(0, 1) }, /Adam.loadStateDict: the state dict has 1 parameter groups, the optimizer 2/, RangeError);
    refusedLoad(opt, bad((d) => { d.param_groups[1].params = [1, 2]; }), /param_groups\[1\] has 2 parameters, the optimizer's group 1 has 1/, RangeError);
    refusedLoad(opt, bad((d) => { d.state[1].exp_avg = torch.zeros(1, 3); }), /state\[1\]\.exp_avg has shape \[1, 3\], parameter 1 has shape \[3\]/, RangeError);
    refusedLoad(opt, bad((d) => { d.state[1].exp_avg = torch.zeros(3, { dtype: 'int32' }); }), /state\[1\]\.exp_avg must be float32, got int32/, TypeError);
    refusedLoad(opt, bad((d) => { d.state[0].momentum_buffer = 1; }), /unknown state key 'momentum_buffer' for parameter 0; Adam keeps step, exp_avg, exp_avg_sq, max_exp_avg_sq/, TypeError);
    refusedLoad(opt, bad((d) => { d.param_groups[0].weightDecay = 0.1; }), /param_groups\[0\] key 'weightDecay' is not PyTorch's name; a state dict spells it 'weight_decay'/, TypeError);
    refusedLoad(opt, bad((d) => { d.param_groups[0].lr_decay = 1; }), /param_groups\[0\]: unknown parameter group key 'lr_decay'; expected one of lr, betas, eps, weight_decay, amsgrad, maximize, initial_lr, max_lr, min_lr, max_momentum, base_momentum, params/, TypeError);
    refusedLoad(opt, bad((d) => { d.param_groups[1].lr = -1; }), /Adam: invalid learning rate value: -1/, RangeError);
    refusedLoad(opt, bad((d) => { d.param_groups[1].betas = [0.9]; }), /option 'betas' must be an array of 2 numbers/, TypeError);
    refusedLoad(opt, bad((d) => { d.param_groups[0].fused = true; }), /fused = boolean true is not supported/, TypeError);
    refusedLoad(opt, bad((d) => { d.state[5] = { step: 1 }; }), /state for parameter 5, but param_groups list 2 parameters/, RangeError);
    refusedLoad(opt, { ...good, extra: 1 }, /unknown key 'extra'; expected state, param_groups/, TypeError);
    refusedLoad(opt, bad((d) => { d.state[0].step = 'one' as never; }), /state\[0\]\.step must be a Tensor or a number/, TypeError);
    refusedLoad(opt, bad((d) => { d.param_groups[1].params = [0]; }), /parameter index 0 appears twice/, RangeError);
    // the last entry is bad: nothing of the earlier good ones was written
    refusedLoad(opt, bad((d) => { (d.state[0].exp_avg as Tensor).fill_(9); d.param_groups[0].lr = 0.5; d.state[1].exp_avg_sq = torch.zeros(2); }), /exp_avg_sq has shape \[2\]/, RangeError);
    // a good dict still loads after all that
    opt.paramGroups[1].lr = 0.3;
    opt.loadStateDict(good);
    assert.equal(opt.paramGroups[1].lr, 0.01);
    opt.dispose();
  });
});

// ---------------------------------------------------------------------------- options

const ALL = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam'];

test('every optimizer refuses unknown option keys (in options and in groups) and wrong types with a TypeError naming the known keys', () => {
  for (const name of ALL) {
    const p = torch.zeros(2).requiresGrad_();
    const Opt = ctor(name);
    assert.throws(() => new Opt([p], { lr: 0.1, weight_decay: 0.1 }),
      (e: Error) => e instanceof TypeError && new RegExp(`^${name}: unknown option 'weight_decay'; expected one of lr, .*weightDecay`).test(e.message), name);
    assert.throws(() => new Opt([{ params: [p], lr_decay: 1 }], { lr: 0.1 }),
      (e: Error) => e instanceof TypeError && /unknown parameter group key 'lr_decay'; expected one of .*params/.test(e.message), name);
    assert.throws(() => new Opt([p], { lr: '0.1' }), (e: Error) => e instanceof TypeError && /option 'lr' must be a number, got the string '0.1'/.test(e.message), name);
    assert.throws(() => new Opt([p], { lr: -1 }), (e: Error) => e instanceof RangeError && new RegExp(`${name}: invalid learning rate value: -1`).test(e.message), name);
    assert.throws(() => new Opt([p], { maximize: 1 }), (e: Error) => e instanceof TypeError && /option 'maximize' must be a boolean/.test(e.message), name);
    assert.throws(() => new Opt([torch.zeros(2, { dtype: 'int32' })], { lr: 0.1 }), /parameters must be float32/);
    p.dispose();
  }
});

test('hyperparameter ranges as PyTorch checks them', () => {
  const p = torch.zeros(3).requiresGrad_();
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['Adagrad', { lrDecay: -1 }, /Adagrad: invalid lr_decay value: -1/],
    ['Adagrad', { initialAccumulatorValue: -0.1 }, /invalid initial_accumulator_value value: -0.1/],
    ['Adagrad', { eps: -1 }, /invalid epsilon value: -1/],
    ['Adagrad', { weightDecay: -1 }, /invalid weight_decay value: -1/],
    ['Adadelta', { rho: 1.5 }, /Adadelta: invalid rho value: 1.5/],
    ['Adadelta', { eps: -1 }, /invalid epsilon value/],
    ['Adamax', { betas: [1, 0.9] }, /Adamax: invalid beta parameter at index 0 value: 1/],
    ['Adamax', { betas: [0.9, -0.1] }, /invalid beta parameter at index 1 value: -0.1/],
    ['NAdam', { momentumDecay: -1 }, /NAdam: invalid momentum_decay value: -1/],
    ['NAdam', { betas: [0.9, 1] }, /invalid beta parameter at index 1/],
    ['RAdam', { eps: -1e-8 }, /RAdam: invalid epsilon value/],
    ['RAdam', { weightDecay: -0.1 }, /invalid weight_decay value/],
  ];
  for (const [name, o, re] of cases) assert.throws(() => new (ctor(name))([p], o), (e: Error) => e instanceof RangeError && re.test(e.message), `${name} ${JSON.stringify(o)}`);
  assert.throws(() => new optim.NAdam([p], { betas: [0.9] as never }), (e: Error) => e instanceof TypeError && /betas' must be an array of 2 numbers/.test(e.message));
  // PyTorch's defaults
  const d = (name: string): Record<string, unknown> => { const o = new (ctor(name))([p]); const { params, ...rest } = o.paramGroups[0] as unknown as Record<string, unknown>; o.dispose(); return rest; };
  assert.deepEqual(d('Adagrad'), { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
  assert.deepEqual(d('Adadelta'), { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
  assert.deepEqual(d('Adamax'), { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
  assert.deepEqual(d('NAdam'), { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 0.004, decoupledWeightDecay: false, maximize: false });
  assert.deepEqual(d('RAdam'), { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false });
  assert.equal(d('AdamW').weightDecay, 0.01);
  assert.equal(new optim.AdamW([p], { weightDecay: undefined }).paramGroups[0].weightDecay, 0.01, 'undefined means "not given"');
  p.dispose();
});

test('a bad lr set between steps is refused at step() before any parameter moves', () => {
  const w = torch.randn(4).requiresGrad_();
  for (const name of ['Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam']) {
    const opt = new (ctor(name))([w]);
    w.grad?.dispose(); w.grad = torch.keep(torch.ones(4));
    opt.paramGroups[0].lr = -0.5;
    const before = w.toFloat32Array();
    assert.throws(() => opt.step(), new RegExp(`${name}: invalid learning rate value: -0.5`));
    assert.deepEqual(w.toFloat32Array(), before);
    opt.dispose();
  }
  w.dispose();
});

test('Adagrad creates its state (step 0, sum = initialAccumulatorValue) at construction, as PyTorch', () => {
  const w = torch.zeros(2, 2).requiresGrad_();
  const opt = new optim.Adagrad([w], { initialAccumulatorValue: 0.25 });
  const st = opt.state.get(w)!;
  assert.equal(st.step, 0);
  assert.deepEqual(Array.from((st.sum as Tensor).toFloat32Array()), [0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual(Object.keys(opt.stateDict().state[0]), ['step', 'sum']);
  opt.dispose(); w.dispose();
});

test('addParamGroup: defaults from the constructor, checked keys and parameters, state for the new group', () => {
  const a = torch.randn(3).requiresGrad_(), b = torch.randn(2).requiresGrad_();
  const opt = new optim.Adagrad([a], { lr: 0.5, lrDecay: 0.1 });
  assert.throws(() => opt.addParamGroup({ params: [a] }), /some parameters appear in more than one parameter group/);
  assert.throws(() => opt.addParamGroup({ params: [b], lr_decay: 1 } as never), (e: Error) => e instanceof TypeError && /unknown parameter group key 'lr_decay'/.test(e.message));
  assert.throws(() => opt.addParamGroup({ params: [b], lr: -1 }), /invalid learning rate value: -1/);
  assert.equal(opt.paramGroups.length, 1, 'failed adds add nothing');
  opt.addParamGroup({ params: [b], lr: 0.1 });
  assert.equal(opt.paramGroups[1].lr, 0.1);
  assert.equal(opt.paramGroups[1].lrDecay, 0.1, 'the constructor options are the new group defaults');
  assert.equal(opt.state.get(b)!.step, 0);
  b.grad = torch.keep(torch.ones(2));
  const before = b.toFloat32Array();
  opt.step();
  // first step: sum = 1, clr = 0.1 → b -= 0.1 · 1 / (1 + 1e-10)
  b.toFloat32Array().forEach((v, i) => assert.ok(Math.abs(v - (before[i] - 0.1)) < 1e-6));
  assert.deepEqual(opt.stateDict().param_groups.map((g) => g.params), [[0], [1]]);
  opt.dispose(); a.dispose(); b.dispose();
});

test('optimizer steps allocate nothing that outlives them', () => {
  const params = [torch.randn(7, 5).requiresGrad_(), torch.randn(5).requiresGrad_()];
  for (const name of ['Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam']) {
    const opt = new (ctor(name))(params);
    params.forEach((p) => { p.grad?.dispose(); p.grad = torch.keep(torch.randn(...p.shape)); });
    opt.step();
    const mem = torch.memory();
    for (let i = 0; i < 5; i++) opt.step();
    assert.equal(torch.memory().liveTensors, mem.liveTensors, name);
    assert.equal(torch.memory().bytesInUse, mem.bytesInUse, name);
    opt.dispose();
  }
  disposeAll(...params);
});

// ---------------------------------------------------------------------------- schedulers

const LAMBDAS: Record<string, (e: number) => number> = {
  'pow0.95': (e) => 0.95 ** e, warmup5: (e) => Math.min(1, (e + 1) / 5), halfEvery4: (e) => 0.5 ** Math.floor(e / 4),
};
function schedOptions(options: Record<string, unknown>, opt: AnyOpt): Record<string, unknown> {
  const o: Record<string, unknown> = { ...options };
  if (typeof o.lrLambda === 'string') o.lrLambda = LAMBDAS[o.lrLambda];
  else if (Array.isArray(o.lrLambda)) o.lrLambda = (o.lrLambda as string[]).map((n) => LAMBDAS[n]);
  if (o.schedulers) o.schedulers = (o.schedulers as [string, Record<string, unknown>][]).map(([k, so]) => makeSched(k, so, opt));
  return o;
}
type AnySched = torch.optim.lrScheduler.LRScheduler | torch.optim.lrScheduler.ReduceLROnPlateau;
function makeSched(kind: string, options: Record<string, unknown>, opt: AnyOpt): AnySched {
  const Ctor = (S as unknown as Record<string, new (o: AnyOpt, x: Record<string, unknown>) => AnySched>)[kind];
  return new Ctor(opt, schedOptions(options, opt));
}
function schedSetup(c: SchedCase): { opt: AnyOpt; sched: AnySched; params: Tensor[] } {
  const params = [torch.zeros(2).requiresGrad_(), torch.zeros(2).requiresGrad_()];
  const opt = new (ctor(c.optimizer))([{ params: [params[0]] }, { params: [params[1]], lr: 0.05 }], c.optimizerOptions);
  return { opt, sched: makeSched(c.kind, c.options, opt), params };
}
const stepSched = (s: AnySched, c: SchedCase, e: number): void => {
  if (s instanceof S.ReduceLROnPlateau) s.step(c.metrics![e]); else s.step();
};
const momenta = (opt: AnyOpt): (number | null)[] => opt.paramGroups.map((g) => {
  const r = g as unknown as Record<string, unknown>;
  return 'betas' in r ? (r.betas as number[])[0] : (r.momentum as number | undefined) ?? null;
});
const LR_RTOL = 1e-10;

for (const c of fx.schedulers) {
  test(`scheduler ${c.name}: the learning rates of 30 epochs equal PyTorch's${c.momenta ? ', momenta too' : ''}`, () => {
    const { opt, sched, params } = schedSetup(c);
    const lrsNow = (): number[] => opt.paramGroups.map((g) => g.lr);
    assertClose(lrsNow(), c.lrs[0], `${c.name} epoch 0`, LR_RTOL, 0);
    if (c.momenta) assertClose(momenta(opt) as number[], c.momenta[0] as number[], `${c.name} momentum epoch 0`, LR_RTOL, 0);
    for (let e = 0; e < c.lrs.length - 1; e++) {
      stepSched(sched, c, e);
      assertClose(sched.getLastLr(), c.lrs[e + 1], `${c.name} epoch ${e + 1} getLastLr`, LR_RTOL, 0);
      assertClose(lrsNow(), c.lrs[e + 1], `${c.name} epoch ${e + 1} group lr`, LR_RTOL, 0);
      if (c.momenta) assertClose(momenta(opt) as number[], c.momenta[e + 1] as number[], `${c.name} momentum epoch ${e + 1}`, LR_RTOL, 0);
    }
    // the scheduler keys PyTorch keeps in the groups (initial_lr, max_lr, ...), through the optimizer's state dict
    const groups = opt.stateDict().param_groups;
    c.groups.forEach((g, i) => {
      for (const k of ['initial_lr', 'max_lr', 'min_lr', 'max_momentum', 'base_momentum']) {
        if (k in g) assertClose([groups[i][k] as number], [g[k] as number], `${c.name} group ${i} ${k}`, LR_RTOL, 0);
        else assert.ok(!(k in groups[i]), `${c.name} group ${i} has no ${k}`);
      }
    });
    // the scheduler's state dict: PyTorch's keys and values
    const ours = sched.stateDict();
    const toJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x) => (x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x)));
    const theirs = c.stateDict;
    const EXTRA_OURS = c.kind === 'SequentialLR' ? ['base_lrs', '_step_count'] : c.kind === 'OneCycleLR' ? ['_anneal_func_type'] : [];
    for (const [k, v] of Object.entries(toJson(ours) as Record<string, unknown>)) {
      if (EXTRA_OURS.includes(k)) continue;
      assert.ok(k in theirs, `${c.name}: state dict key ${k} is PyTorch's`);
      if (k === '_schedulers') {
        (v as Record<string, unknown>[]).forEach((sub, i) => {
          const t = (theirs[k] as Record<string, unknown>[])[i];
          for (const [sk, sv] of Object.entries(sub)) if (sk !== 'lr_lambdas') assert.deepEqual(sv, t[sk], `${c.name} _schedulers[${i}].${sk}`);
        });
      } else if (typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'number'))) {
        assertClose([v].flat() as number[], [theirs[k]].flat() as number[], `${c.name}: ${k}`, LR_RTOL, 0);
      } else {
        assert.deepEqual(v, theirs[k], `${c.name}: ${k}`);
      }
    }
    for (const k of Object.keys(theirs)) if (!['lr_lambdas', 'default_min_lr'].includes(k)) assert.ok(k in ours, `${c.name}: PyTorch's key ${k} missing`);
    opt.dispose(); disposeAll(...params);
  });

  test(`scheduler ${c.name}: stateDict() after 10 epochs, loaded into a new scheduler, continues the same 20 epochs`, () => {
    const a = schedSetup(c);
    for (let e = 0; e < 10; e++) stepSched(a.sched, c, e);
    const b = schedSetup(c);
    b.opt.loadStateDict(a.opt.stateDict());
    b.sched.loadStateDict(a.sched.stateDict());
    assert.deepEqual(b.sched.getLastLr(), a.sched.getLastLr());
    for (let e = 10; e < c.lrs.length - 1; e++) {
      stepSched(b.sched, c, e);
      assertClose(b.sched.getLastLr(), c.lrs[e + 1], `${c.name} resumed epoch ${e + 1}`, LR_RTOL, 0);
    }
    for (const s of [a, b]) { s.opt.dispose(); disposeAll(...s.params); }
  });
}

test('two schedulers chained on one optimizer multiply, as PyTorch\'s chainable form does', () => {
  const w = torch.zeros(2).requiresGrad_();
  const opt = new optim.SGD([w], { lr: 1 });
  const s1 = new S.ExponentialLR(opt, { gamma: 0.9 });
  const s2 = new S.StepLR(opt, { stepSize: 4, gamma: 0.5 });
  assertClose([opt.paramGroups[0].lr], fx.chained.lrs[0], 'epoch 0', LR_RTOL, 0);
  for (let e = 1; e < fx.chained.lrs.length; e++) {
    s1.step(); s2.step();
    assertClose([opt.paramGroups[0].lr], fx.chained.lrs[e], `epoch ${e}`, LR_RTOL, 0);
  }
  w.dispose();
});

test('OneCycleLR refuses to step past totalSteps, as PyTorch', () => {
  const w = torch.zeros(2).requiresGrad_();
  const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
  const s = new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 5 });
  for (let i = 0; i < 5; i++) s.step();
  assert.throws(() => s.step(), (e: Error) => e instanceof RangeError && /OneCycleLR: tried to step 6 times; the schedule has 5 total steps/.test(e.message));
  w.dispose();
});

test('scheduler options are checked: unknown keys, missing and mistyped ones are TypeErrors; bad values RangeErrors; nothing is written', () => {
  const w = torch.zeros(2).requiresGrad_();
  const opt = new optim.SGD([w], { lr: 0.1 });
  const adagrad = new optim.Adagrad([torch.zeros(1).requiresGrad_()]);
  const te = (fn: () => unknown, re: RegExp): void => assert.throws(fn, (e: Error) => e instanceof TypeError && re.test(e.message), String(re));
  const re = (fn: () => unknown, r: RegExp): void => assert.throws(fn, (e: Error) => e instanceof RangeError && r.test(e.message), String(r));
  te(() => new S.StepLR(opt, { step_size: 3 } as never), /StepLR: unknown option 'step_size'; expected one of stepSize, gamma/);
  te(() => new S.StepLR(opt, {} as never), /StepLR: option 'stepSize' is required/);
  te(() => new S.StepLR(opt, { stepSize: 2.5 }), /option 'stepSize' must be an integer/);
  re(() => new S.StepLR(opt, { stepSize: 0 }), /stepSize must be a positive integer/);
  te(() => new S.StepLR({} as never, { stepSize: 1 }), /StepLR: object \[object Object\] is not an Optimizer/);
  te(() => new S.MultiStepLR(opt, { milestones: [1.5] }), /option 'milestones' must be an array of integers/);
  te(() => new S.ExponentialLR(opt, { gamma: '0.9' } as never), /option 'gamma' must be a number/);
  te(() => new S.CosineAnnealingLR(opt, { T_max: 10 } as never), /unknown option 'T_max'; expected one of tMax, etaMin/);
  re(() => new S.CosineAnnealingLR(opt, { tMax: 0 }), /tMax must be a positive number/);
  te(() => new S.LambdaLR(opt, { lrLambda: 0.5 } as never), /option 'lrLambda' must be a function or an array of functions/);
  re(() => new S.LambdaLR(opt, { lrLambda: [(e: number) => e, (e: number) => e] }), /expected 1 values for lrLambda/);
  re(() => new S.LinearLR(opt, { startFactor: 0 }), /startFactor must be in \(0, 1\]/);
  re(() => new S.LinearLR(opt, { endFactor: 1.5 }), /endFactor must be in \[0, 1\]/);
  te(() => new S.OneCycleLR(opt, { maxLr: 1 }), /give either totalSteps or \(epochs and stepsPerEpoch\)/);
  re(() => new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 1.5 }), /pctStart between 0 and 1/);
  re(() => new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, annealStrategy: 'exp' as never }), /annealStrategy must be 'cos' or 'linear'/);
  re(() => new S.OneCycleLR(opt, { maxLr: [1, 2], totalSteps: 10 }), /expected 1 values for maxLr/);
  te(() => new S.OneCycleLR(adagrad, { maxLr: 1, totalSteps: 10 }), /Adagrad has neither momentum nor betas; pass cycleMomentum: false/);
  assert.ok(!('maxLr' in adagrad.paramGroups[0]) && !('initialLr' in adagrad.paramGroups[0]), 'a refused OneCycleLR writes nothing');
  re(() => new S.ReduceLROnPlateau(opt, { factor: 1 }), /factor should be < 1.0/);
  re(() => new S.ReduceLROnPlateau(opt, { mode: 'avg' as never }), /mode 'avg' is unknown/);
  re(() => new S.ReduceLROnPlateau(opt, { thresholdMode: 'pct' as never }), /threshold mode 'pct' is unknown/);
  te(() => new S.ReduceLROnPlateau(opt, { min_lr: 0 } as never), /unknown option 'min_lr'; expected one of mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps/);
  const s1 = new S.StepLR(opt, { stepSize: 2 });
  re(() => new S.SequentialLR(opt, { schedulers: [s1], milestones: [3] }), /one milestone fewer than schedulers/);
  te(() => new S.SequentialLR(opt, { schedulers: [s1, new S.ReduceLROnPlateau(opt)] as never, milestones: [3] }), /ReduceLROnPlateau, which SequentialLR does not support/);
  const other = new optim.SGD([torch.zeros(1).requiresGrad_()], { lr: 1 });
  re(() => new S.SequentialLR(opt, { schedulers: [new S.StepLR(other, { stepSize: 2 })], milestones: [] }), /scheduler 0 belongs to another optimizer/);
  const plateau = new S.ReduceLROnPlateau(opt);
  te(() => plateau.step('0.5' as never), /expected a number or a one-element tensor/);
  plateau.step(torch.tensor(0.5));
  assert.equal(plateau.best, 0.5);
  w.dispose();
});

test('scheduler loadStateDict refuses unknown keys, wrong types and bad values and changes nothing', () => {
  const w = torch.zeros(2).requiresGrad_();
  const opt = new optim.SGD([w], { lr: 0.1 });
  const s = new S.StepLR(opt, { stepSize: 3, gamma: 0.5 });
  for (let i = 0; i < 4; i++) s.step();
  const before = JSON.stringify(s.stateDict());
  const good = s.stateDict();
  assert.throws(() => s.loadStateDict({ ...good, stepSize: 3 }), (e: Error) => e instanceof TypeError && /unknown key 'stepSize'; expected one of step_size, gamma, base_lrs, last_epoch, _step_count, _last_lr/.test(e.message));
  assert.throws(() => s.loadStateDict({ ...good, gamma: '0.5' }), (e: Error) => e instanceof TypeError && /'gamma' must be a number/.test(e.message));
  assert.throws(() => s.loadStateDict({ ...good, base_lrs: [0.1, 0.2] }), (e: Error) => e instanceof RangeError && /'base_lrs' must hold 1 numbers/.test(e.message));
  assert.throws(() => s.loadStateDict({ ...good, last_epoch: 99, step_size: 0 }), (e: Error) => e instanceof RangeError && /step_size must be a positive integer/.test(e.message));
  assert.equal(JSON.stringify(s.stateDict()), before, 'unchanged');
  s.loadStateDict({ ...good, verbose: false, _get_lr_called_within_step: false }); // PyTorch's extra keys load
  const p = new S.ReduceLROnPlateau(opt, { patience: 2 });
  p.step(1);
  assert.throws(() => p.loadStateDict({ ...p.stateDict(), mode: 'avg' }), /mode 'avg' is unknown/);
  assert.equal(p.stateDict().mode, 'min');
  w.dispose();
});

test('zeroGrad checks its options', () => {
  const w = torch.zeros(2).requiresGrad_();
  const opt = new optim.Adadelta([w]);
  assert.throws(() => opt.zeroGrad({ set_to_none: true } as never), (e: Error) => e instanceof TypeError && /Adadelta.zeroGrad: unknown option 'set_to_none'; expected one of setToNone/.test(e.message));
  assert.throws(() => opt.zeroGrad({ setToNone: 1 } as never), (e: Error) => e instanceof TypeError && /'setToNone' must be a boolean/.test(e.message));
  w.grad = torch.keep(torch.ones(2));
  opt.zeroGrad({ setToNone: false });
  assert.deepEqual(Array.from(w.grad!.toFloat32Array()), [0, 0]);
  w.dispose();
});

test("pytorch/examples' MNIST recipe (Adadelta lr 1.0, StepLR stepSize 1 gamma 0.7) trains the seed model in tidy() steps without growing memory", () => {
  torch.manualSeed(3);
  const { nn } = torch;
  const inputs = torch.randn(100, 10), targets = torch.randn(100, 1);
  const model = new nn.Sequential(new nn.Linear(10, 20), new nn.ReLU(), new nn.Linear(20, 1));
  const criterion = new nn.MSELoss();
  const optimizer = new optim.Adadelta(model.parameters(), { lr: 1.0 });
  const scheduler = new S.StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
  const losses: number[] = [];
  let live = 0;
  for (let epoch = 0; epoch < 8; epoch++) {
    for (let batch = 0; batch < 10; batch++) {
      losses.push(torch.tidy(() => {
        optimizer.zeroGrad();
        const loss = criterion.forward(model.forward(inputs), targets);
        loss.backward();
        optimizer.step();
        return loss.item();
      }));
    }
    scheduler.step();
    if (epoch === 1) live = torch.memory().liveTensors;
  }
  assert.equal(torch.memory().liveTensors, live, 'no growth across epochs');
  assert.ok(losses[losses.length - 1] < losses[0] * 0.9, `loss fell: ${losses[0]} → ${losses[losses.length - 1]}`);
  assertClose(scheduler.getLastLr(), [0.7 ** 8], 'lr after 8 epochs', 1e-12, 0);
  model.dispose(); optimizer.dispose(); inputs.dispose(); targets.dispose();
});

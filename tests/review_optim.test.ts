// Review fixes for the optim family (tests/fixtures/gen_review_optim.py → review_optim.json):
// a failed step() changes nothing (grads and group options are all checked first); PyTorch's
// own state dicts (0-dim tensor `step`/`mu_product`, foreach: true) load as-is and continue
// PyTorch's trajectory; a number where a state tensor belongs is refused; schedulers load
// PyTorch 2.x's `_is_initial` and refuse step(epoch).
// Tolerances: trajectories 1e-4 relative + 1e-5 absolute (float32 kernels against PyTorch's
// float32 ops in another order, 3 steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, fromFixture, assertClose } from './oracle.js';

const { optim } = torch;
const S = optim.lrScheduler;
type Json = { shape: number[]; data: number[]; dtype?: string };
type AnyOpt = torch.optim.Optimizer<{ lr: number }>;
type OptCtor = new (params: unknown, options?: Record<string, unknown>) => AnyOpt;
const ctor = (name: string): OptCtor => (optim as unknown as Record<string, OptCtor>)[name];
const NAMES = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam'];
const OPTIONS: Record<string, Record<string, unknown>> = { SGD: { lr: 0.1, momentum: 0.9 }, RMSprop: { lr: 0.1, momentum: 0.5, centered: true }, Adam: { lr: 0.1, amsgrad: true } };

interface Case { name: string; options: Record<string, unknown>; params: Json[]; stateDict: { state: Record<string, Record<string, unknown>>; param_groups: Record<string, unknown>[] }; grads: number[][][]; trajectory: number[][][] }
const fx = loadFixture<{ cases: Case[] }>('review_optim.json');

/** PyTorch's JSON-encoded dict with every {shape, data} turned into a tensor (0-dim for step). */
function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    if ('shape' in v && 'data' in v) return fromFixture(v as Json);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}
const json = (opt: AnyOpt, ...ps: Tensor[]): string => torch.tidy(() => // tidy frees stateDict()'s copies
  JSON.stringify([ps.map((p) => p.tolist()), opt.stateDict()], (_k, v) => (v instanceof torch.Tensor ? { t: v.tolist(), s: v.shape } : v)));
/** fn throws (the error class and message matching) and leaves the parameters, the state and memory as they were. */
function unchanged(opt: AnyOpt, ps: Tensor[], fn: () => unknown, cls: new (...a: never[]) => Error, re: RegExp): void {
  const before = json(opt, ...ps);
  const live = torch.memory().liveTensors;
  assert.throws(fn, (e: Error) => e instanceof cls && re.test(e.message) || assert.fail(`${e.constructor.name}: ${e.message} (wanted ${cls.name} ${re})`));
  assert.equal(torch.memory().liveTensors, live, 'live tensors');
  assert.equal(json(opt, ...ps), before, 'parameters and state unchanged');
}
const setGrad = (p: Tensor, g: Tensor | null): void => (p as unknown as { setGrad(g: Tensor | null): void }).setGrad(g); // unchecked, as backward's accumulate

test('PyTorch state dicts load as-is (0-dim tensor step and mu_product, foreach: true) and continue PyTorch\'s trajectory, all 9 optimizers', () => {
  assert.equal(fx.cases.length, 9);
  for (const c of fx.cases) {
    torch.tidy(() => {
      const ps = c.params.map((j) => torch.keep(fromFixture(j, true)));
      const opt = new (ctor(c.name))(ps, c.options);
      const sd = decode(c.stateDict) as never;
      const st0 = (c.stateDict.state['0']);
      assert.deepEqual((st0.step as Json | undefined)?.shape ?? [], [], `${c.name}: the fixture's step is 0-dim`);
      assert.equal(c.stateDict.param_groups[0].foreach, true);
      opt.loadStateDict(sd);
      const loaded = opt.stateDict().state[0];
      for (const k of ['step', 'mu_product']) if (k in loaded) assert.equal(typeof loaded[k], 'number', `${c.name}: ${k} is kept as a number`);
      c.grads.forEach((gs, i) => {
        ps.forEach((p, j) => { p.grad = torch.keep(fromFixture({ shape: p.shape, data: gs[j] })); });
        opt.step();
        ps.forEach((p, j) => assertClose(p.toFloat32Array(), c.trajectory[i][j], `${c.name} step ${i + 1} param ${j}`, 1e-4, 1e-5));
      });
      opt.dispose(); ps.forEach((p) => p.dispose());
    });
  }
});

test('a step that fails on a later parameter\'s grad changes no parameter and creates no state (all 9 optimizers)', () => {
  for (const name of NAMES) {
    const a = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true }), b = torch.tensor([4, 5], { requiresGrad: true });
    const opt = new (ctor(name))([a, b], OPTIONS[name] ?? { lr: 0.1 });
    // before any state exists: nothing may be created
    a.grad = torch.ones(2, 3); setGrad(b, torch.ones(1, 2));
    const live = torch.memory().liveTensors, sd = json(opt); // Adagrad creates its state eagerly, as PyTorch
    assert.throws(() => opt.step(), /params\[1\]: grad of shape \[1, 2\] does not match parameter of shape \[2\]/, name);
    assert.equal(opt.state.size, name === 'Adagrad' ? 2 : 0, `${name}: no state created`);
    assert.equal(json(opt), sd, `${name}: state unchanged`);
    assert.deepEqual(a.tolist(), [[1, 2, 3], [4, 5, 6]], `${name}: a unchanged`);
    assert.equal(torch.memory().liveTensors, live);
    // with state: a [3, 2] grad on a [2, 3] parameter (same numel) is refused, not used
    b.grad = torch.ones(2); opt.step();
    setGrad(a, torch.ones(3, 2));
    unchanged(opt, [a, b], () => opt.step(), RangeError, /grad of shape \[3, 2\] does not match parameter of shape \[2, 3\]/);
    setGrad(a, torch.ones(2, 3, { dtype: 'int32' }));
    unchanged(opt, [a, b], () => opt.step(), TypeError, /params\[0\]: grad must be float32 like the parameter, got int32/);
    a.grad = torch.ones(2, 3); b.grad!.dispose();
    unchanged(opt, [a, b], () => opt.step(), Error, /params\[1\]: its grad \(shape \[2\]\) was disposed/);
    opt.dispose(); a.dispose(); b.dispose();
  }
});

test('step() checks every group\'s options (types, unknown keys, ranges) before any update', () => {
  for (const name of NAMES) {
    const a = torch.ones(3, { requiresGrad: true }), b = torch.ones(2, { requiresGrad: true });
    const opt = new (ctor(name))([{ params: [a] }, { params: [b] }], OPTIONS[name] ?? { lr: 0.1 });
    a.grad = torch.ones(3); b.grad = torch.ones(2);
    const g = opt.paramGroups[1] as unknown as Record<string, unknown>;
    g.lr = '0.1';
    unchanged(opt, [a, b], () => opt.step(), TypeError, new RegExp(`${name}\\.step: paramGroups\\[1\\]: option 'lr' must be a number, got the string '0.1'`));
    g.lr = 0.1; g.weight_decay = 0.5;
    unchanged(opt, [a, b], () => opt.step(), TypeError, /paramGroups\[1\]: unknown parameter group key 'weight_decay'; expected one of lr, .*weightDecay.*, params/);
    delete g.weight_decay; delete g.lr;
    unchanged(opt, [a, b], () => opt.step(), TypeError, /paramGroups\[1\]: option 'lr' is missing/);
    g.lr = Number.NaN;
    unchanged(opt, [a, b], () => opt.step(), RangeError, /invalid learning rate value: NaN/);
    g.lr = -1;
    unchanged(opt, [a, b], () => opt.step(), RangeError, /invalid learning rate value: -1/);
    if ('betas' in g) {
      g.lr = 0.1; g.betas = [0.9];
      unchanged(opt, [a, b], () => opt.step(), TypeError, /option 'betas' must be an array of 2 numbers/);
      g.betas = [0.9, 0.999];
    }
    if ('momentum' in g && name === 'SGD') { g.lr = 0.1; g.momentum = true; unchanged(opt, [a, b], () => opt.step(), TypeError, /option 'momentum' must be a number/); g.momentum = 0.9; }
    g.lr = 0.1;
    (opt.paramGroups[0].params as unknown[]).push('x');
    unchanged(opt, [a, b], () => opt.step(), TypeError, /paramGroups\[0\]\.params\[1\] is not a Tensor/);
    opt.paramGroups[0].params.pop();
    const gone = torch.ones(1, { requiresGrad: true }); opt.paramGroups[0].params.push(gone); gone.dispose();
    unchanged(opt, [a, b], () => opt.step(), Error, /paramGroups\[0\]\.params\[1\] \(shape \[1\]\) was disposed and cannot be updated/);
    opt.paramGroups[0].params.pop();
    opt.step(); // all good again
    assert.notDeepEqual(a.tolist(), [1, 1, 1], `${name}: a valid step still updates`);
    opt.dispose(); a.dispose(); b.dispose();
  }
});

test('loadStateDict: scalar state keys take a number or a 0-dim float32 tensor; tensor keys refuse numbers; checked before any write', () => {
  const a = torch.ones(3, { requiresGrad: true });
  const mk = (name: string): AnyOpt => { const o = new (ctor(name))([a], OPTIONS[name] ?? { lr: 0.1 }); a.grad = torch.ones(3); o.step(); return o; };
  const adam = mk('Adam');
  const base = (): { state: Record<number, Record<string, unknown>>; param_groups: Record<string, unknown>[] } => adam.stateDict() as never;
  let d = base(); d.state[0].exp_avg = 5;
  unchanged(adam, [a], () => adam.loadStateDict(d as never), TypeError, /state\[0\]\.exp_avg must be a Tensor shaped like parameter 0 \(\[3\]\), got number 5/);
  d = base(); d.state[0].step = torch.tensor([2]);
  unchanged(adam, [a], () => adam.loadStateDict(d as never), TypeError, /state\[0\]\.step must be a Tensor or a number: a number or a 0-dim float32 tensor, got a tensor of dtype float32 and shape \[1\]/);
  d = base(); d.state[0].step = torch.tensor(2, { dtype: 'int32' });
  unchanged(adam, [a], () => adam.loadStateDict(d as never), TypeError, /got a tensor of dtype int32 and shape \[\]/);
  d = base(); d.state[0].step = -1;
  unchanged(adam, [a], () => adam.loadStateDict(d as never), TypeError, /step must be .*non-negative/);
  d = base(); d.state[0].step = null;
  unchanged(adam, [a], () => adam.loadStateDict(d as never), TypeError, /step must be .*got null/);
  const disposed = torch.tensor(3); disposed.dispose();
  d = base(); d.state[0].step = disposed;
  unchanged(adam, [a], () => adam.loadStateDict(d as never), Error, /was disposed/);
  // a good 0-dim step with a bad tensor elsewhere: nothing is written
  d = base(); d.state[0].step = torch.tensor(7); d.state[0].exp_avg_sq = torch.zeros(2);
  unchanged(adam, [a], () => adam.loadStateDict(d as never), RangeError, /exp_avg_sq has shape \[2\]/);
  d = base(); d.state[0].step = torch.tensor(7);
  adam.loadStateDict(d as never);
  assert.equal(adam.stateDict().state[0].step, 7);
  adam.dispose();
  const sgd = mk('SGD');
  const ds = sgd.stateDict() as { state: Record<number, Record<string, unknown>> };
  ds.state[0].momentum_buffer = 5;
  unchanged(sgd, [a], () => sgd.loadStateDict(ds as never), TypeError, /momentum_buffer must be a Tensor shaped like parameter 0/);
  ds.state[0].momentum_buffer = null; // PyTorch writes None before momentum is used
  sgd.loadStateDict(ds as never);
  sgd.dispose();
  const nadam = mk('NAdam');
  const dn = nadam.stateDict() as { state: Record<number, Record<string, unknown>> };
  const mu = dn.state[0].mu_product as number;
  dn.state[0].mu_product = torch.tensor(mu); dn.state[0].step = torch.tensor(1);
  nadam.loadStateDict(dn as never);
  assert.equal(nadam.stateDict().state[0].mu_product, Math.fround(mu));
  dn.state[0].mu_product = 'x';
  unchanged(nadam, [a], () => nadam.loadStateDict(dn as never), TypeError, /mu_product must be a Tensor or a number: a finite number/);
  nadam.dispose(); a.dispose();
});

test('loadStateDict group flags: foreach any boolean or null; fused, capturable, differentiable only at their defaults', () => {
  const a = torch.ones(3, { requiresGrad: true });
  const opt = new optim.Adam([a], { lr: 0.1 });
  for (const v of [true, false, null]) { const d = opt.stateDict(); d.param_groups[0].foreach = v; opt.loadStateDict(d); }
  for (const [k, v] of [['fused', false], ['fused', null], ['capturable', false], ['differentiable', false]] as const) { const d = opt.stateDict(); d.param_groups[0][k] = v; opt.loadStateDict(d); }
  for (const k of ['fused', 'capturable', 'differentiable']) {
    const d = opt.stateDict(); d.param_groups[0].lr = 0.5; d.param_groups[0][k] = true;
    unchanged(opt as never, [a], () => opt.loadStateDict(d), TypeError, new RegExp(`param_groups\\[0\\]\\.${k} = boolean true is not supported`));
  }
  const d = opt.stateDict(); d.param_groups[0].foreach = 'yes';
  unchanged(opt as never, [a], () => opt.loadStateDict(d), TypeError, /foreach = the string 'yes' is not supported/);
  assert.equal(opt.paramGroups[0].lr, 0.1);
  assert.equal('foreach' in opt.stateDict().param_groups[0], false, 'foreach is not kept');
  opt.dispose(); a.dispose();
});

test('schedulers load PyTorch 2.x\'s _is_initial (and verbose: false); step(epoch) is a TypeError; ReduceLROnPlateau.step takes the metric only', () => {
  const mk = () => new optim.SGD([torch.zeros(1, { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
  const o = mk();
  const s = new S.StepLR(o, { stepSize: 2, gamma: 0.5 });
  for (const isInitial of [false, true]) {
    s.loadStateDict({ step_size: 2, gamma: 0.5, base_lrs: [0.1], last_epoch: 3, _step_count: 4, _get_lr_called_within_step: false, _last_lr: [0.05], _is_initial: isInitial, verbose: false });
    assert.equal(s.lastEpoch, 3);
    const lr = o.paramGroups[0].lr; // PyTorch's load_state_dict leaves the group's lr alone too
    s.step(); // epoch 4: a decay (chainable form, as PyTorch)
    assert.equal(s.lastEpoch, 4);
    assert.deepEqual(s.getLastLr(), [lr * 0.5]);
  }
  assert.throws(() => s.loadStateDict({ ...s.stateDict(), _is_initial: 'no' }), /StepLR\.loadStateDict: _is_initial = the string 'no' is not supported/);
  const scheds: InstanceType<typeof S.LRScheduler>[] = [
    new S.StepLR(mk(), { stepSize: 1 }), new S.ExponentialLR(mk(), { gamma: 0.9 }), new S.LambdaLR(mk(), { lrLambda: (e: number) => 0.5 ** e }),
    new S.CosineAnnealingLR(mk(), { tMax: 10 }), new S.OneCycleLR(mk(), { maxLr: 1, totalSteps: 10 }),
  ];
  const so = mk();
  scheds.push(new S.SequentialLR(so, { schedulers: [new S.LinearLR(so, { startFactor: 0.5, totalIters: 2 }), new S.ExponentialLR(so, { gamma: 0.9 })], milestones: [2] }));
  for (const sc of scheds) {
    const before = JSON.stringify([sc.stateDict(), (sc.optimizer.paramGroups[0] as unknown as { lr: number }).lr]);
    assert.throws(() => (sc.step as (e: number) => void)(5), (e: Error) => e instanceof TypeError && /\.step: step\(\) takes no argument, got number 5/.test(e.message), sc.constructor.name);
    assert.equal(JSON.stringify([sc.stateDict(), (sc.optimizer.paramGroups[0] as unknown as { lr: number }).lr]), before, `${sc.constructor.name} unchanged`);
    sc.step();
  }
  const po = mk();
  const p = new S.ReduceLROnPlateau(po, { patience: 0 });
  assert.throws(() => (p.step as (m: number, e: number) => void)(1, 5), /ReduceLROnPlateau\.step: takes one argument, the metric; got 2/);
  assert.throws(() => (p.step as () => void)(), TypeError);
  p.step(1); p.step(2);
  assert.ok(Math.abs(po.paramGroups[0].lr - 0.01) < 1e-12);
});

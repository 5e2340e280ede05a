// Options objects are checked (src/options.ts): an unknown key is a TypeError naming the key and the
// known ones (with a camelCase hint for snake_case), a wrong type is a TypeError, and either leaves
// torch.memory() as it was. Covers the creation functions, backward, nn.Linear, nn.Dropout,
// Module.loadStateDict / zeroGrad, tidy and keep (optimizers and losses have their own tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { checkOptions } from '../src/options.js';
import { throwsClean } from './support/throws.js';

const { nn } = torch;

const rejects = (fn: () => unknown, re: RegExp, name = 'TypeError'): void => throwsClean(fn, name, re);

// ---- the helper --------------------------------------------------------------------------------

test('checkOptions: unknown keys, hints, types, plain objects only, undefined values count as absent', () => {
  const spec = { lr: 'number', weightDecay: 'number', nesterov: 'boolean', steps: 'integer', mode: ['min', 'max'], fn: 'function', t: 'tensor', g: 'object' } as const;
  assert.deepEqual(checkOptions('op', undefined, spec), {});
  const o = { lr: 0.1, nesterov: undefined };
  assert.equal(checkOptions('op', o, spec), o);
  assert.throws(() => checkOptions('SGD', { weight_decay: 1 }, spec), { name: 'TypeError', message: "SGD: unknown option 'weight_decay' (did you mean 'weightDecay'?); known options: lr, weightDecay, nesterov, steps, mode, fn, t, g" });
  assert.throws(() => checkOptions('op', { LR: 1 }, spec), /unknown option 'LR' \(did you mean 'lr'\?\)/);
  assert.throws(() => checkOptions('op', { momentum: 1 }, spec), /unknown option 'momentum'; known options: lr,/);
  assert.throws(() => checkOptions('op', { lr: '0.1' }, spec), { name: 'TypeError', message: `op: option 'lr' must be a number, got string "0.1"` });
  assert.throws(() => checkOptions('op', { steps: 1.5 }, spec), /option 'steps' must be an integer, got number 1.5/);
  assert.throws(() => checkOptions('op', { mode: 'mean' }, spec), /option 'mode' must be one of "min", "max", got string "mean"/);
  assert.throws(() => checkOptions('op', { fn: 1 }, spec), /option 'fn' must be a function, got number 1/);
  assert.throws(() => checkOptions('op', { t: [1] }, spec), /option 't' must be a Tensor, got an array of 1/);
  assert.throws(() => checkOptions('op', { g: new Map() }, spec), /option 'g' must be a plain object, got a Map/);
  assert.throws(() => checkOptions('op', null as never, spec), /op: options must be a plain object \{ lr, weightDecay,.* \}, got null/);
  assert.throws(() => checkOptions('op', 0.1 as never, spec), /got number 0.1/);
  assert.throws(() => checkOptions('op', [] as never, spec), /got an array of 0/);
  assert.throws(() => checkOptions('op', new (class Opts { lr = 1 })(), spec), /got a Opts/);
  assert.equal(checkOptions('op', Object.assign(Object.create(null), { lr: 1 }), spec).lr, 1, 'a null-prototype object is plain');
  // names only: keys checked, types not
  assert.throws(() => checkOptions('op', { b: 1 }, ['a']), /unknown option 'b'; known options: a/);
  assert.throws(() => checkOptions('op', { b: 1 }, []), /unknown option 'b'; known options: none/);
  // a predicate
  const even = (v: unknown): string | null => (typeof v === 'number' && v % 2 === 0 ? null : 'an even number');
  assert.throws(() => checkOptions('op', { n: 3 }, { n: even }), /option 'n' must be an even number, got number 3/);
  checkOptions('op', { n: 4 }, { n: even });
});

// ---- creation functions -----------------------------------------------------------------------

test('creation functions: unknown keys name the function and the known keys, before allocating', () => {
  const t = torch.ones(2, 3);
  const calls: [string, (o: never) => unknown][] = [
    ['tensor', (o) => torch.tensor([1, 2], o)],
    ['zeros', (o) => torch.zeros(2, 3, o)],
    ['zeros', (o) => torch.zeros([2, 3], o)],
    ['ones', (o) => torch.ones(2, o)],
    ['empty', (o) => torch.empty(2, o)],
    ['randn', (o) => torch.randn(2, o)],
    ['rand', (o) => torch.rand(2, o)],
    ['full', (o) => torch.full([2], 1, o)],
    ['randint', (o) => torch.randint(0, 5, [2], o)],
    ['arange', (o) => torch.arange(0, 5, 1, o)],
    ['linspace', (o) => torch.linspace(0, 1, 5, o)],
    ['eye', (o) => torch.eye(3, 3, o)],
    ['zerosLike', (o) => torch.zerosLike(t, o)],
    ['onesLike', (o) => torch.onesLike(t, o)],
    ['fullLike', (o) => torch.fullLike(t, 2, o)],
    ['randnLike', (o) => torch.randnLike(t, o)],
  ];
  for (const [op, call] of calls) {
    rejects(() => call({ requires_grad: true } as never), new RegExp(`^${op}: unknown option 'requires_grad' \\(did you mean 'requiresGrad'\\?\\); known options: requiresGrad, dtype$`));
    rejects(() => call({ device: 'cpu' } as never), new RegExp(`^${op}: unknown option 'device'; known options: requiresGrad, dtype$`));
    rejects(() => call({ requiresGrad: 1 } as never), new RegExp(`^${op}: option 'requiresGrad' must be a boolean, got number 1$`));
    rejects(() => call({ dtype: 'float64' } as never), new RegExp(`^${op}: option 'dtype' must be one of "float32", "int32", "bool", got string "float64"$`));
  }
  rejects(() => torch.zeros(2, null as never), /zeros: options must be a plain object \{ requiresGrad, dtype \}, got null/);
  rejects(() => torch.tensor([1], 'int32' as never), /tensor: options must be a plain object \{ requiresGrad, dtype \}, got string "int32"/);
  t.dispose();
});

test('creation functions: every option is honoured (randint and linspace dtype and requiresGrad, *Like keeps the dtype)', () => {
  torch.tidy(() => {
    const r = torch.randint(0, 5, [3], { dtype: 'float32', requiresGrad: true });
    assert.equal(r.dtype, 'float32');
    assert.equal(r.requiresGrad, true);
    rejects(() => torch.randint(0, 5, [3], { requiresGrad: true }), /randint: only float32 tensors can require gradients, got int32/);
    assert.equal(torch.randint(0, 2, [4], { dtype: 'bool' }).dtype, 'bool');
    const l = torch.linspace(-5, 5, 4, { dtype: 'int32' });
    assert.equal(l.dtype, 'int32');
    assert.deepEqual(l.tolist(), [-5, -1, 1, 5], 'truncated toward zero, as torch.linspace(-5, 5, 4, dtype=torch.int32)');
    assert.equal(torch.linspace(0, 1, 3, { requiresGrad: true }).requiresGrad, true);
    rejects(() => torch.linspace(0, 1, 3, { dtype: 'bool' }), /linspace: dtype 'bool' is not supported/);
    const i = torch.tensor([1, 2], { dtype: 'int32' });
    assert.equal(torch.zerosLike(i, { dtype: undefined }).dtype, 'int32', 'an undefined dtype keeps the input\'s');
    assert.equal(torch.onesLike(i).dtype, 'int32');
    assert.equal(torch.fullLike(i, 1.5, { dtype: 'float32' }).dtype, 'float32');
    assert.equal(torch.eye(2, 2, { dtype: 'int32' }).dtype, 'int32');
    rejects(() => torch.eye(2, 2, { dtype: 'int32', requiresGrad: true }), /eye: only float32 tensors can require gradients, got int32/);
    assert.equal(torch.zeros(2, { requiresGrad: undefined }).requiresGrad, false);
  });
});

// ---- autograd ---------------------------------------------------------------------------------

test('backward(gradient, { retainGraph }): unknown keys, wrong types and options in the gradient slot are TypeErrors; the graph survives them', () => {
  torch.tidy(() => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).sum();
    rejects(() => y.backward(undefined, { retain_graph: true } as never), /^backward: unknown option 'retain_graph' \(did you mean 'retainGraph'\?\); known options: retainGraph$/);
    rejects(() => y.backward(undefined, { createGraph: true } as never), /unknown option 'createGraph'; known options: retainGraph/);
    rejects(() => y.backward(undefined, { retainGraph: 1 } as never), /backward: option 'retainGraph' must be a boolean, got number 1/);
    rejects(() => y.backward({ retainGraph: true } as never), /backward: gradient must be a Tensor, got an object; options come second: backward\(undefined, \{ retainGraph: true \}\)/);
    rejects(() => y.backward([1] as never), /backward: gradient must be a Tensor, got an array of 1$/);
    assert.equal(x.grad, null, 'nothing accumulated');
    y.backward(null as never, { retainGraph: true }); // PyTorch's gradient=None
    y.backward(undefined, { retainGraph: undefined });
    assert.deepEqual(x.grad!.tolist(), [4, 8, 12]);
  });
});

// ---- nn -----------------------------------------------------------------------------------------

test('nn.Linear(in, out, { bias }): unknown keys and wrong types are TypeErrors, before any parameter is made', () => {
  rejects(() => new nn.Linear(2, 3, { Bias: false } as never), /^Linear: unknown option 'Bias' \(did you mean 'bias'\?\); known options: bias$/);
  rejects(() => new nn.Linear(2, 3, { bias: 0 } as never), /^Linear: option 'bias' must be a boolean, got number 0$/);
  rejects(() => new nn.Linear(2, 3, { dtype: 'float32' } as never), /^Linear: unknown option 'dtype'; known options: bias$/);
  rejects(() => new nn.Linear(2, 3, false as never), /^Linear: options must be a plain object \{ bias \}, got boolean false$/);
  const l = new nn.Linear(2, 3, { bias: false });
  assert.equal(l.bias, null);
  l.dispose();
});

test('nn.Dropout(p): p must be a number (not an options object), one argument, in [0, 1]', () => {
  rejects(() => new nn.Dropout({ p: 0.2 } as never), /^Dropout: p must be a number .*got an object; write new nn.Dropout\(0.2\), not new nn.Dropout\(\{ p: 0.2 \}\)$/);
  rejects(() => new nn.Dropout('0.5' as never), /^Dropout: p must be a number .*got string "0.5"$/);
  rejects(() => new (nn.Dropout as unknown as new (p: number, inplace: boolean) => unknown)(0.5, true), /^Dropout: takes only p \(in-place dropout is not supported\), got 2 arguments$/);
  rejects(() => new nn.Dropout(1.5), /Dropout: probability has to be between 0 and 1, got 1.5/, 'RangeError');
  assert.equal(new nn.Dropout().p, 0.5);
  assert.equal(new nn.Dropout(undefined).p, 0.5);
});

test('Module.loadStateDict(dict, { strict }): options, the dict and its values are checked before anything is copied', () => {
  torch.tidy(() => {
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 1));
    const before = model.stateDict();
    const snapshot = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v.tolist()]));
    const good = Object.fromEntries(Object.keys(before).map((k) => [k, torch.zerosLike(before[k])]));
    rejects(() => model.loadStateDict(good, { Strict: false } as never), /^loadStateDict: unknown option 'Strict' \(did you mean 'strict'\?\); known options: strict$/);
    rejects(() => model.loadStateDict(good, { assign: true } as never), /^loadStateDict: unknown option 'assign'; known options: strict$/);
    rejects(() => model.loadStateDict(good, { strict: 'no' } as never), /^loadStateDict: option 'strict' must be a boolean, got string "no"$/);
    const notADict = torch.ones(2);
    rejects(() => model.loadStateDict(notADict as never), /^loadStateDict: expected a state dict .* got a Tensor$/);
    rejects(() => model.loadStateDict(null as never), /^loadStateDict: expected a state dict .* got null$/);
    rejects(() => model.loadStateDict({ ...good, '1.bias': [0] } as never), /^loadStateDict: the value of 1\.bias is an array of 1, not a Tensor$/);
    const gone = torch.zeros(1);
    gone.dispose();
    assert.throws(() => model.loadStateDict({ ...good, '1.bias': gone }), /loadStateDict \(1\.bias\): the tensor of shape \[1\] was disposed/);
    for (const [k, v] of Object.entries(model.stateDict())) assert.deepEqual(v.tolist(), snapshot[k], `${k} untouched`);
    model.loadStateDict(good, { strict: undefined });
    assert.deepEqual(model.stateDict()['0.weight'].tolist(), [[0, 0], [0, 0]]);
    model.dispose();
  });
});

test('Module.zeroGrad({ setToNone }): unknown keys and wrong types are TypeErrors; both modes work', () => {
  torch.tidy(() => {
    const lin = new nn.Linear(2, 1);
    lin.forward(torch.ones(1, 2)).sum().backward();
    rejects(() => lin.zeroGrad({ set_to_none: false } as never), /^zeroGrad: unknown option 'set_to_none' \(did you mean 'setToNone'\?\); known options: setToNone$/);
    rejects(() => lin.zeroGrad({ setToNone: 0 } as never), /^zeroGrad: option 'setToNone' must be a boolean, got number 0$/);
    assert.ok(lin.weight.grad, 'the gradient is still there');
    lin.zeroGrad({ setToNone: false });
    assert.deepEqual(lin.weight.grad!.tolist(), [[0, 0]]);
    lin.zeroGrad();
    assert.equal(lin.weight.grad, null);
    lin.dispose();
  });
});

// ---- memory -------------------------------------------------------------------------------------

test('tidy(fn) takes one function; keep(t) takes a tensor', () => {
  rejects(() => torch.tidy('step' as never), /^tidy: expected a function to run, got string "step" \(tidy takes no name: tidy\(\(\) => \.\.\.\)\)$/);
  rejects(() => (torch.tidy as (...a: unknown[]) => unknown)('step', () => 1), /^tidy: expected a function to run, got string "step"/);
  rejects(() => (torch.tidy as (...a: unknown[]) => unknown)(() => 1, { name: 'x' }), /^tidy: takes one function and nothing else, got 2 arguments/);
  rejects(() => torch.tidy(undefined as never), /^tidy: expected a function to run, got undefined$/);
  rejects(() => torch.keep(3 as never), /^keep: expected a Tensor, got number 3$/);
  assert.equal(torch.tidy(() => 7), 7);
});

test('add / sub / add_ / sub_ ({ alpha }): a misspelt key is a TypeError, not alpha 1; the tensor is untouched', () => {
  torch.tidy(() => {
    const x = torch.tensor([1, 2, 3]);
    const y = torch.tensor([1, 1, 1]);
    rejects(() => x.add(y, { aplha: 2 } as never), /^add: unknown option 'aplha'; known options: alpha$/);
    rejects(() => torch.sub(x, y, { Alpha: 2 } as never), /^sub: unknown option 'Alpha' \(did you mean 'alpha'\?\); known options: alpha$/);
    rejects(() => x.add_(y, { scale: 2 } as never), /^add_: unknown option 'scale'; known options: alpha$/);
    rejects(() => x.sub_(y, { alpha: '2' } as never), /^sub_: option 'alpha' must be a number, got string "2"$/);
    rejects(() => x.add(y, 2 as never), /^add: options must be a plain object \{ alpha \}, got number 2$/);
    assert.deepEqual(x.tolist(), [1, 2, 3]);
    assert.deepEqual(x.add(y, { alpha: 2 }).tolist(), [3, 4, 5]);
    assert.deepEqual(x.sub_(y, { alpha: undefined }).tolist(), [0, 1, 2]);
  });
});

test('a key inherited from a polluted Object.prototype is no option: ops, modules and optimizers ignore it as they ignore any inherited key', () => {
  Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true, writable: true });
  try {
    torch.tidy(() => {
      const x = torch.ones([2], { dtype: 'float32' });
      assert.equal(torch.nn.functional.softmax(x, { dim: 0 }).sum().item(), 1);
      const lin = new torch.nn.Linear(2, 1);
      const opt = new torch.optim.Adam(lin.parameters(), { lr: 0.1 });
      const seq = new torch.nn.Sequential(lin);
      seq.forward(x.reshape(1, 2)).sum().backward();
      opt.step();
      opt.zeroGrad();
      lin.dispose(); opt.dispose();
    });
  } finally {
    delete (Object.prototype as { polluted?: number }).polluted;
  }
});

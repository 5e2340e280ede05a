// nn.Module discovery and naming, layers, state dicts, repr; optimizers' options and state names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
const { nn, optim } = torch;

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 8);
  act = new nn.GELU();
  head = new nn.Sequential(new nn.Linear(8, 3), new nn.LogSoftmax(1));
  scale = new nn.Parameter(torch.ones(1));
  forward(x: torch.Tensor): torch.Tensor { return this.head.forward(this.act.forward(this.fc1.forward(x))).mul(this.scale); }
}

test('fields are discovered without registration, with PyTorch dotted names', () => {
  const net = new Net();
  assert.deepEqual([...net.namedParameters()].map(([k]) => k),
    ['scale', 'fc1.weight', 'fc1.bias', 'head.0.weight', 'head.0.bias'], "a module's own parameters come first, as in PyTorch");
  assert.equal([...net.children()].length, 3);
  assert.equal([...net.modules()].length, 6);
  assert.equal(net.head.length, 2);
  assert.ok(net.head.get(0) instanceof nn.Linear);
  assert.deepEqual([...net.head].map((m) => m.constructor.name), ['Linear', 'LogSoftmax']);
  assert.equal(net.toString(), [
    'Net(',
    '  (fc1): Linear(in_features=4, out_features=8, bias=True)',
    '  (act): GELU()',
    '  (head): Sequential(',
    '    (0): Linear(in_features=8, out_features=3, bias=True)',
    '    (1): LogSoftmax(dim=1)',
    '  )',
    ')',
  ].join('\n'));
});

test('Linear uses PyTorch default init bounds and shapes', () => {
  torch.manualSeed(1);
  const lin = new nn.Linear(100, 50);
  assert.deepEqual(lin.weight.shape, [50, 100]);
  const w = lin.weight.toFloat32Array();
  const bound = 1 / Math.sqrt(100);
  assert.ok(w.every((v) => Math.abs(v) <= bound));
  assert.ok(Math.max(...w) > 0.9 * bound, 'spans the whole interval');
  assert.equal(new nn.Linear(3, 2, { bias: false }).bias, null);
});

test('train/eval, Dropout scaling, Flatten, Identity', () => {
  const drop = new nn.Dropout(0.25);
  const x = torch.ones(10000);
  const y = drop.forward(x).toFloat32Array();
  const kept = y.filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6));
  assert.ok(Math.abs(kept.length / 10000 - 0.75) < 0.03);
  drop.eval();
  assert.equal(drop.training, false);
  assert.deepEqual(drop.forward(x).toFloat32Array(), x.toFloat32Array());
  assert.deepEqual(new nn.Flatten().forward(torch.zeros(2, 3, 4)).shape, [2, 12]);
  assert.equal(new nn.Identity().forward(x), x);
});

test('stateDict / loadStateDict round trip, strict keys and shape checks', () => {
  const a = new Net(), b = new Net();
  const sd = a.stateDict();
  assert.deepEqual(Object.keys(sd), ['scale', 'fc1.weight', 'fc1.bias', 'head.0.weight', 'head.0.bias']);
  b.loadStateDict(sd);
  assert.deepEqual(b.fc1.weight.toFloat32Array(), a.fc1.weight.toFloat32Array());
  assert.throws(() => b.loadStateDict({ 'fc1.weight': sd['fc1.weight'] }), /missing keys \[scale, fc1.bias/);
  const bad = { ...sd, 'fc1.bias': torch.zeros(3) };
  const before = b.fc1.weight.toFloat32Array();
  assert.throws(() => b.loadStateDict(bad), /size mismatch for fc1.bias: got \[3\], the module has \[8\]/);
  assert.deepEqual(b.fc1.weight.toFloat32Array(), before, 'nothing was written');
});

test('zeroGrad sets gradients to null by default, or zeroes them', () => {
  const lin = new nn.Linear(3, 1);
  lin.forward(torch.ones(2, 3)).sum().backward();
  assert.ok(lin.weight.grad);
  lin.zeroGrad({ setToNone: false });
  assert.deepEqual(lin.weight.grad!.tolist(), [[0, 0, 0]]);
  lin.zeroGrad();
  assert.equal(lin.weight.grad, null);
});

test('optimizers: parameter groups with overrides, PyTorch state names, stateDict', () => {
  const lin = new nn.Linear(3, 2);
  const opt = new optim.SGD([{ params: [lin.weight], lr: 0.5 }, { params: [lin.bias!] }], { lr: 0.1, momentum: 0.9 });
  assert.equal(opt.paramGroups[0].lr, 0.5);
  assert.equal(opt.paramGroups[1].lr, 0.1);
  lin.forward(torch.ones(1, 3)).sum().backward();
  const w0 = lin.weight.toFloat32Array(), b0 = lin.bias!.toFloat32Array();
  opt.step();
  lin.weight.toFloat32Array().forEach((v, i) => assert.ok(Math.abs(v - (w0[i] - 0.5)) < 1e-6));
  lin.bias!.toFloat32Array().forEach((v, i) => assert.ok(Math.abs(v - (b0[i] - 0.1)) < 1e-6));
  assert.deepEqual(Object.keys(opt.state.get(lin.weight)!), ['momentum_buffer']);
  const adam = new optim.AdamW(lin.parameters(), { amsgrad: true });
  assert.equal(adam.paramGroups[0].weightDecay, 0.01);
  adam.step();
  assert.deepEqual(Object.keys(adam.state.get(lin.weight)!), ['step', 'exp_avg', 'exp_avg_sq', 'max_exp_avg_sq']);
  const sd = adam.stateDict();
  assert.equal(sd.state[0].step, 1);
  assert.deepEqual(sd.param_groups[0].params, [0, 1]);
  const rms = new optim.RMSprop(lin.parameters(), { centered: true, momentum: 0.5 });
  rms.step();
  assert.deepEqual(Object.keys(rms.state.get(lin.bias!)!).sort(), ['grad_avg', 'momentum_buffer', 'square_avg', 'step']);
});

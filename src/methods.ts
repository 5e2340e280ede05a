// Tensor's methods, bound in one place. Each forwards to its op and is declared, with its doc,
// beside the op in the family file (`declare module '../tensor.js'`). This file sits above every
// op and the autograd engine, so tensor.ts imports none of them (tests/imports.test.ts checks).
// Adding an op: its family file (function and declaration), one line here, its tests.
import { Tensor, type Operand } from './tensor.js';
import * as ew from './ops/elementwise.js';
import * as cl from './ops/clamp.js';
import * as mv from './ops/movement.js';
import * as rd from './ops/reduce.js';
import * as sm from './ops/softmax.js';
import * as mm from './ops/matmul.js';
import * as ip from './ops/inplace.js';
import * as rdg from './ops/read.js';
import * as cmp from './ops/compare.js';
import * as ix from './ops/indexing.js';
import * as jn from './ops/join.js';
import * as dt from './ops/dtype.js';
import { backward as runBackward, type BackwardOptions } from './autograd/engine.js';
import type { Dims } from './ops/movement.js';
import { checkOptions } from './options.js';
// The same files again as bare imports: declaration output keeps these (and drops the ones above),
// so a consumer of the .d.ts files sees every family's method declarations.
import './ops/elementwise.js';
import './ops/clamp.js';
import './ops/movement.js';
import './ops/reduce.js';
import './ops/softmax.js';
import './ops/matmul.js';
import './ops/inplace.js';
import './ops/read.js';
import './ops/compare.js';
import './ops/indexing.js';
import './ops/join.js';
import './ops/dtype.js';
import './autograd/engine.js';

/** Calls op with this and every argument given, so the op refuses the extra ones (an ignored options object). */
function forwardAll(op: (...a: never[]) => Tensor, self: Tensor, args: IArguments): Tensor { return Reflect.apply(op, undefined, [self, ...args]) as Tensor; }

const methods: Partial<Tensor> & ThisType<Tensor> = {
  // reading (ops/read.ts)
  toFloat32Array(): Float32Array { return rdg.toFloat32Array(this); },
  toInt32Array(): Int32Array { return rdg.toInt32Array(this); },
  dataSync(): number[] { return rdg.dataSync(this); },
  tolist(): unknown { return rdg.tolist(this); },
  toString(): string { return rdg.formatTensor(this); },
  // autograd (autograd/engine.ts, ops/movement.ts)
  backward(gradient?: Tensor, options?: BackwardOptions): void { runBackward(this, gradient, options); },
  detach(): Tensor { return mv.detach(this); },
  clone(): Tensor { return mv.clone(this); },
  // elementwise (ops/elementwise.ts)
  add(other: Operand, options?: { alpha?: number }): Tensor { return ew.add(this, other, options); },
  sub(other: Operand, options?: { alpha?: number }): Tensor { return ew.sub(this, other, options); },
  mul(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(ew.mul, this, arguments) : ew.mul(this, other); },
  div(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(ew.div, this, arguments) : ew.div(this, other); },
  pow(exponent: Operand): Tensor { return arguments.length > 1 ? forwardAll(ew.pow, this, arguments) : ew.pow(this, exponent); },
  neg(): Tensor { return arguments.length > 0 ? forwardAll(ew.neg, this, arguments) : ew.neg(this); },
  exp(): Tensor { return arguments.length > 0 ? forwardAll(ew.exp, this, arguments) : ew.exp(this); },
  log(): Tensor { return arguments.length > 0 ? forwardAll(ew.log, this, arguments) : ew.log(this); },
  sqrt(): Tensor { return arguments.length > 0 ? forwardAll(ew.sqrt, this, arguments) : ew.sqrt(this); },
  rsqrt(): Tensor { return arguments.length > 0 ? forwardAll(ew.rsqrt, this, arguments) : ew.rsqrt(this); },
  abs(): Tensor { return arguments.length > 0 ? forwardAll(ew.abs, this, arguments) : ew.abs(this); },
  sign(): Tensor { return arguments.length > 0 ? forwardAll(ew.sign, this, arguments) : ew.sign(this); },
  sin(): Tensor { return arguments.length > 0 ? forwardAll(ew.sin, this, arguments) : ew.sin(this); },
  cos(): Tensor { return arguments.length > 0 ? forwardAll(ew.cos, this, arguments) : ew.cos(this); },
  square(): Tensor { return arguments.length > 0 ? forwardAll(ew.square, this, arguments) : ew.square(this); },
  reciprocal(): Tensor { return arguments.length > 0 ? forwardAll(ew.reciprocal, this, arguments) : ew.reciprocal(this); },
  // the activations and clamp forward every argument, so their own checks refuse extra ones
  relu(...a: unknown[]): Tensor { return Reflect.apply(ew.relu, undefined, [this, ...a]) as Tensor; },
  leakyRelu(...a: unknown[]): Tensor { return Reflect.apply(ew.leakyRelu, undefined, [this, ...a]) as Tensor; },
  sigmoid(...a: unknown[]): Tensor { return Reflect.apply(ew.sigmoid, undefined, [this, ...a]) as Tensor; },
  tanh(...a: unknown[]): Tensor { return Reflect.apply(ew.tanh, undefined, [this, ...a]) as Tensor; },
  gelu(...a: unknown[]): Tensor { return Reflect.apply(ew.gelu, undefined, [this, ...a]) as Tensor; },
  clamp(...a: unknown[]): Tensor { return Reflect.apply(cl.clamp, undefined, [this, ...a]) as Tensor; },
  // movement (ops/movement.ts)
  reshape(...size: Dims): Tensor { return mv.reshape(this, mv.flatDims(size)); },
  view(...size: Dims): Tensor { return mv.view(this, mv.flatDims(size)); },
  transpose(dim0: number, dim1: number): Tensor { return mv.transpose(this, dim0, dim1); },
  t(): Tensor { return mv.t(this); },
  permute(...dims: Dims): Tensor { return mv.permute(this, mv.flatDims(dims)); },
  expand(...size: Dims): Tensor { return mv.expand(this, mv.flatDims(size)); },
  squeeze(dim?: number): Tensor { return mv.squeeze(this, dim); },
  unsqueeze(dim: number): Tensor { return mv.unsqueeze(this, dim); },
  flatten(startDim = 0, endDim = -1): Tensor { return mv.flatten(this, startDim, endDim); },
  contiguous(): Tensor { return mv.contiguous(this); },
  // reductions (ops/reduce.ts, ops/softmax.ts)
  sum(dim?: number | number[], keepdim = false): Tensor { return rd.sum(this, dim, keepdim); },
  mean(dim?: number | number[], keepdim = false): Tensor { return rd.mean(this, dim, keepdim); },
  max: function (this: Tensor, dim?: number | Tensor, keepdim: boolean = false): Tensor | rd.ValuesIndices {
    if (rd.isOtherTensor(dim, arguments.length + 1, 'max')) return cmp.maximum(this, dim);
    return dim === undefined ? rd.maxAll(this) : rd.maxDim(this, dim, keepdim);
  } as Tensor['max'],
  min: function (this: Tensor, dim?: number | Tensor, keepdim: boolean = false): Tensor | rd.ValuesIndices {
    if (rd.isOtherTensor(dim, arguments.length + 1, 'min')) return cmp.minimum(this, dim);
    return dim === undefined ? rd.minAll(this) : rd.minDim(this, dim, keepdim);
  } as Tensor['min'],
  argmax(dim?: number, keepdim = false): Tensor { return rd.argmax(this, dim, keepdim); },
  argmin(dim?: number, keepdim = false): Tensor { return rd.argmin(this, dim, keepdim); },
  prod(dim?: number | null, keepdim = false): Tensor { return rd.prod(this, dim, keepdim); },
  var(dim?: number | number[] | null | rd.VarOptions, options?: rd.VarOptions): Tensor { return rd.variance(this, dim, options); },
  std(dim?: number | number[] | null | rd.VarOptions, options?: rd.VarOptions): Tensor { return rd.std(this, dim, options); },
  logsumexp(dim: number | number[], keepdim = false): Tensor { return rd.logsumexp(this, dim, keepdim); },
  norm(p?: number | 'fro', dim?: number | number[] | null, keepdim = false): Tensor { return rd.norm(this, p, dim, keepdim); },
  cumsum(dim: number): Tensor { return arguments.length > 1 ? forwardAll(rd.cumsum, this, arguments) : rd.cumsum(this, dim); },
  amax(dim?: number | number[] | null, keepdim = false): Tensor { return rd.amax(this, dim, keepdim); },
  amin(dim?: number | number[] | null, keepdim = false): Tensor { return rd.amin(this, dim, keepdim); },
  softmax(dim: number): Tensor { return arguments.length > 1 ? forwardAll(sm.softmax, this, arguments) : sm.softmax(this, dim); },
  logSoftmax(dim: number): Tensor { return arguments.length > 1 ? forwardAll(sm.logSoftmax, this, arguments) : sm.logSoftmax(this, dim); },
  // linear algebra (ops/matmul.ts)
  matmul(other: Tensor): Tensor { return mm.matmul(this, other); },
  mm(other: Tensor): Tensor { return mm.mm(this, other); },
  bmm(other: Tensor): Tensor { return mm.bmm(this, other); },
  // in place (ops/inplace.ts)
  zero_(): Tensor { return ip.fill_(this, 0, 'zero_'); },
  fill_(value: number): Tensor { return ip.fill_(this, value, 'fill_'); },
  copy_(src: Tensor): Tensor { return ip.copy_(this, src); },
  add_(other: Operand, options?: { alpha?: number }): Tensor { return ip.binaryInPlace(this, 'add', other, checkOptions('add_', options, { alpha: 'number' }).alpha ?? 1, 'add_'); },
  sub_(other: Operand, options?: { alpha?: number }): Tensor { return ip.binaryInPlace(this, 'sub', other, checkOptions('sub_', options, { alpha: 'number' }).alpha ?? 1, 'sub_'); },
  mul_(other: Operand): Tensor { return ip.binaryInPlace(this, 'mul', other, 1, 'mul_'); },
  div_(other: Operand): Tensor { return ip.binaryInPlace(this, 'div', other, 1, 'div_'); },
  clamp_(...a: unknown[]): Tensor { return Reflect.apply(ip.clamp_, undefined, [this, ...a]) as Tensor; },
  uniform_(a = 0, b = 1): Tensor { return ip.uniform_(this, a, b); },
  normal_(mean = 0, std = 1): Tensor { return ip.normal_(this, mean, std); },
  // comparisons, where, logical ops (ops/compare.ts)
  eq(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.eq, this, arguments) : cmp.eq(this, other); },
  ne(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.ne, this, arguments) : cmp.ne(this, other); },
  gt(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.gt, this, arguments) : cmp.gt(this, other); },
  ge(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.ge, this, arguments) : cmp.ge(this, other); },
  lt(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.lt, this, arguments) : cmp.lt(this, other); },
  le(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.le, this, arguments) : cmp.le(this, other); },
  maximum(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.maximum, this, arguments) : cmp.maximum(this, other); },
  minimum(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.minimum, this, arguments) : cmp.minimum(this, other); },
  where(condition: Tensor, other: Operand): Tensor { return cmp.where(condition, this, other); },
  maskedFill(mask: Tensor, value: Operand): Tensor { return cmp.maskedFill(this, mask, value); },
  logicalAnd(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.logicalAnd, this, arguments) : cmp.logicalAnd(this, other); },
  logicalOr(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.logicalOr, this, arguments) : cmp.logicalOr(this, other); },
  logicalXor(other: Operand): Tensor { return arguments.length > 1 ? forwardAll(cmp.logicalXor, this, arguments) : cmp.logicalXor(this, other); },
  logicalNot(): Tensor { return cmp.logicalNot(this); },
  any(dim?: number | number[] | null, keepdim = false): Tensor { return cmp.any(this, dim, keepdim); },
  all(dim?: number | number[] | null, keepdim = false): Tensor { return cmp.all(this, dim, keepdim); },
  isnan(): Tensor { return cmp.isnan(this); },
  isfinite(): Tensor { return cmp.isfinite(this); },
  // indexing and joining (ops/indexing.ts, ops/join.ts)
  narrow(dim: number, start: number, length: number): Tensor { return ix.narrow(this, dim, start, length); },
  select(dim: number, index: number): Tensor { return ix.select(this, dim, index); },
  indexSelect(dim: number, index: Tensor): Tensor { return ix.indexSelect(this, dim, index); },
  gather(dim: number, index: Tensor): Tensor { return ix.gather(this, dim, index); },
  scatter(dim: number, index: Tensor, src: Tensor | number): Tensor { return ix.scatter(this, dim, index, src); },
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ix.scatterAdd(this, dim, index, src); },
  tril(diagonal = 0): Tensor { return ix.tril(this, diagonal); },
  triu(diagonal = 0): Tensor { return ix.triu(this, diagonal); },
  chunk(chunks: number, dim = 0): Tensor[] { return jn.chunk(this, chunks, dim); },
  split(splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] { return jn.split(this, splitSizeOrSections, dim); },
  flip(...dims: Dims): Tensor { return jn.flip(this, mv.flatDims(dims)); },
  repeat(...sizes: Dims): Tensor { return jn.repeat(this, mv.flatDims(sizes)); },
  // dtype conversions and the *_as helpers (ops/dtype.ts)
  to(target: Parameters<Tensor['to']>[0]): Tensor { return dt.to(this, target); },
  float(): Tensor { return dt.float(this); },
  int(): Tensor { return dt.int(this); },
  long(): Tensor { return dt.long(this); },
  bool(): Tensor { return dt.bool(this); },
  typeAs(other: Tensor): Tensor { return dt.typeAs(this, other); },
  viewAs(other: Tensor): Tensor { return dt.viewAs(this, other); },
  reshapeAs(other: Tensor): Tensor { return dt.reshapeAs(this, other); },
  expandAs(other: Tensor): Tensor { return dt.expandAs(this, other); },
  isFloatingPoint(): boolean { return dt.isFloatingPoint(this); },
};
// Non-enumerable, as class methods are.
for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
// Getters (ops/dtype.ts): `t.T`.
Object.defineProperty(Tensor.prototype, 'T', { get(this: Tensor): Tensor { return dt.reverseDims(this); }, configurable: true });

export { Tensor };

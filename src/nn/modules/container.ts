import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';

/** Runs modules in order; fields "0", "1", ... give PyTorch's parameter names. PyTorch: `torch.nn.Sequential`. */
export class Sequential extends Module implements Iterable<Module> {
  [index: string]: unknown;
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not an nn.Module`);
      this[String(i)] = m;
    });
  }
  /** The number of modules. PyTorch: `len(seq)`. */
  get length(): number { return [...this.namedChildren()].length; }
  /** The module at index `i` (negative counts from the end). PyTorch: `seq[i]`. */
  get(i: number): Module {
    const n = this.length;
    const j = i < 0 ? i + n : i;
    if (!Number.isInteger(j) || j < 0 || j >= n) throw new RangeError(`Sequential.get: index ${i} is out of range for ${n} modules`);
    return this[String(j)] as Module;
  }
  /** Iterates over the modules in order. PyTorch: `iter(seq)`. */
  [Symbol.iterator](): Iterator<Module> { return this.children(); }
  /** Passes `x` through each module in turn. PyTorch: `torch.nn.Sequential.forward`. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.children()) y = (m.forward as (t: Tensor) => Tensor)(y);
    return y;
  }
}

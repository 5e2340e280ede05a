import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';

/** Runs modules in order; fields "0", "1", ... give PyTorch's parameter names. */
export class Sequential extends Module implements Iterable<Module> {
  [index: string]: unknown;
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not an nn.Module`);
      this[String(i)] = m;
    });
  }
  get length(): number { return [...this.namedChildren()].length; }
  get(i: number): Module {
    const n = this.length;
    const j = i < 0 ? i + n : i;
    if (!Number.isInteger(j) || j < 0 || j >= n) throw new RangeError(`Sequential.get: index ${i} is out of range for ${n} modules`);
    return this[String(j)] as Module;
  }
  [Symbol.iterator](): Iterator<Module> { return this.children(); }
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.children()) y = (m.forward as (t: Tensor) => Tensor)(y);
    return y;
  }
}

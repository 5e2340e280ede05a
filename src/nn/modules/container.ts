import { Module, addIndent } from '../module.js';
import { Parameter } from '../parameter.js';
import { Tensor } from '../../tensor.js';
import { describeValue as describe } from '../../options.js';
import { fmt } from '../../shape.js';

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
  get length(): number { return [...this._slots()].length; }
  /** The module at index `i` (negative counts from the end). PyTorch: `seq[i]`. */
  get(i: number): Module {
    return this[String(position(i, this.length, 'Sequential.get', 'modules'))] as Module;
  }
  /** Adds a module at the end; returns this. PyTorch: `nn.Sequential.append`. */
  append(module: Module): this {
    if (!(module instanceof Module)) throw new TypeError(`Sequential.append: ${describe(module)} is not an nn.Module`);
    this[String(this.length)] = module;
    return this;
  }
  /** Iterates over the modules in order. PyTorch: `iter(seq)`. */
  [Symbol.iterator](): Iterator<Module> { return [...this._slots()].map(([, m]) => m)[Symbol.iterator](); }
  /** Passes `x` through each module in turn. PyTorch: `torch.nn.Sequential.forward`. */
  forward(x: Tensor): Tensor {
    let y = x;
    // the own fields in _slots()'s order (index keys first, ascending), without a generator per call
    const keys = Object.keys(this);
    for (let i = 0; i < keys.length; i++) {
      const m = this[keys[i]];
      if (m instanceof Module) y = (m.forward as (t: Tensor) => Tensor)(y);
    }
    return y;
  }
}

function checkModule(m: unknown, op: string): Module {
  if (!(m instanceof Module)) throw new TypeError(`${op}: ${describe(m)} is not an nn.Module`);
  return m;
}

/** An index in [−n, n) as a position in [0, n), or a RangeError naming it and the size. */
function position(i: number, n: number, op: string, what: string): number {
  if (typeof i !== 'number') throw new TypeError(`${op}: index must be a number, got ${describe(i)}`);
  const j = i < 0 ? i + n : i;
  if (!Number.isInteger(i) || j < 0 || j >= n) throw new RangeError(`${op}: index ${i} is out of range for ${n} ${what}`);
  return j;
}

/**
 * Holds sub-modules in a list: they are found by `parameters()` and named `0`, `1`, ... in
 * `namedParameters()` and `stateDict()` (`layers.0.weight`). It has no forward: iterate over it.
 * PyTorch: `torch.nn.ModuleList`.
 */
export class ModuleList extends Module implements Iterable<Module> {
  private readonly _list: Module[] = [];
  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }
  /** @internal The modules with their indices as names. */
  override *_slots(): Generator<[string, Module]> {
    for (let i = 0; i < this._list.length; i++) yield [String(i), this._list[i]];
  }
  /** The number of modules. PyTorch: `len(module_list)`. */
  get length(): number { return this._list.length; }
  /** The module at index `i` (negative counts from the end). PyTorch: `module_list[i]`. */
  get(i: number): Module { return this._list[position(i, this._list.length, 'ModuleList.get', 'modules')]; }
  /** Replaces the module at index `i` (negative counts from the end). PyTorch: `module_list[i] = module`. */
  set(i: number, module: Module): void {
    const j = position(i, this._list.length, 'ModuleList.set', 'modules');
    this._list[j] = checkModule(module, 'ModuleList.set');
  }
  /** Adds a module at the end; returns this. PyTorch: `nn.ModuleList.append`. */
  append(module: Module): this { this._list.push(checkModule(module, 'ModuleList.append')); return this; }
  /** Adds the modules at the end; returns this. PyTorch: `nn.ModuleList.extend`. */
  extend(modules: Iterable<Module>): this {
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`ModuleList.extend: expected an iterable of modules, got ${describe(modules)}`);
    }
    const list = [...modules];
    list.forEach((m, i) => checkModule(m, `ModuleList.extend: item ${i}`));
    this._list.push(...list);
    return this;
  }
  /** Inserts a module before `index` (negative counts from the end, past the end appends). PyTorch: `nn.ModuleList.insert`. */
  insert(index: number, module: Module): void {
    if (typeof index !== 'number' || !Number.isInteger(index)) throw new TypeError(`ModuleList.insert: index must be an integer, got ${describe(index)}`);
    checkModule(module, 'ModuleList.insert');
    const n = this._list.length;
    const j = index < 0 ? Math.max(0, index + n) : Math.min(index, n); // as Python's list.insert
    this._list.splice(j, 0, module);
  }
  /** Removes and returns the module at index `i` (default the last). PyTorch: `nn.ModuleList.pop`. */
  pop(i = -1): Module {
    const j = position(i, this._list.length, 'ModuleList.pop', 'modules');
    return this._list.splice(j, 1)[0];
  }
  /** Iterates over the modules in order. PyTorch: `iter(module_list)`. */
  [Symbol.iterator](): Iterator<Module> { return this._list[Symbol.iterator](); }
  /** A ModuleList has no forward of its own (as in PyTorch): iterate over its modules. PyTorch: `nn.ModuleList` (not callable). */
  forward(): never { throw new Error('ModuleList: a ModuleList has no forward(); iterate over its modules instead'); }
  /** Like PyTorch 2.x: runs of identical modules print once, as `(0-2): 3 x Linear(...)`. PyTorch: `repr(module_list)`. */
  override toString(): string {
    const reprs = this._list.map((m) => m.toString());
    if (reprs.length === 0) return `${this.constructor.name}()`;
    const blocks: { start: number; end: number; repr: string }[] = [];
    reprs.forEach((r, i) => {
      const last = blocks[blocks.length - 1];
      if (last && last.repr === r) last.end = i;
      else blocks.push({ start: i, end: i, repr: r });
    });
    const lines = blocks.map(({ start, end, repr }) =>
      addIndent(start === end ? `(${start}): ${repr}` : `(${start}-${end}): ${end - start + 1} x ${repr}`, 2));
    return `${this.constructor.name}(\n  ${lines.join('\n  ')}\n)`;
  }
}

/**
 * Holds sub-modules by name, in insertion order: `dict.key.weight` in `stateDict()`. Iterating
 * gives the keys, as in PyTorch. Keys are strings without dots. PyTorch: `torch.nn.ModuleDict`.
 */
export class ModuleDict extends Module implements Iterable<string> {
  private readonly _dict = new Map<string, Module>();
  /**
   * From a plain object or from `[key, module]` pairs (pairs keep integer-like keys such as "1"
   * in the order given; a plain object lists them first, as JavaScript orders keys).
   */
  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    this.update(modules);
  }
  /** @internal The modules with their keys as names. */
  override *_slots(): Generator<[string, Module]> { yield* this._dict; }
  /** The number of modules. PyTorch: `len(module_dict)`. */
  get length(): number { return this._dict.size; }
  /** The module under `key`; a missing key is a RangeError naming the keys. PyTorch: `module_dict[key]`. */
  get(key: string): Module { return this.lookup(key, 'ModuleDict.get'); }
  private lookup(key: string, op: string): Module {
    if (typeof key !== 'string') throw new TypeError(`${op}: key must be a string, got ${describe(key)}`);
    const m = this._dict.get(key);
    if (!m) throw new RangeError(`${op}: no module under key '${key}'; the keys are [${[...this._dict.keys()].join(', ')}]`);
    return m;
  }
  /** Adds or replaces the module under `key`; returns this. PyTorch: `module_dict[key] = module`. */
  set(key: string, module: Module): this {
    const op = 'ModuleDict.set';
    if (typeof key !== 'string') throw new TypeError(`${op}: key must be a string, got ${describe(key)}`);
    if (key === '' || key.includes('.')) throw new RangeError(`${op}: key '${key}' must be non-empty and contain no '.'`);
    this._dict.set(key, checkModule(module, `${op} '${key}'`));
    return this;
  }
  /** Whether a module is stored under `key`. PyTorch: `key in module_dict`. */
  has(key: string): boolean { return this._dict.has(key); }
  /** Removes and returns the module under `key`. PyTorch: `nn.ModuleDict.pop`. */
  pop(key: string): Module {
    const m = this.lookup(key, 'ModuleDict.pop');
    this._dict.delete(key);
    return m;
  }
  /** Removes every module. PyTorch: `nn.ModuleDict.clear`. */
  clear(): void { this._dict.clear(); }
  /** Adds or replaces modules from an object or `[key, module]` pairs; returns this. PyTorch: `nn.ModuleDict.update`. */
  update(modules: Record<string, Module> | Iterable<[string, Module]>): this {
    const op = 'ModuleDict.update';
    if (modules === null || typeof modules !== 'object') throw new TypeError(`${op}: expected an object or [key, module] pairs, got ${describe(modules)}`);
    const pairs: [string, Module][] = typeof (modules as Iterable<unknown>)[Symbol.iterator] === 'function'
      ? [...(modules as Iterable<[string, Module]>)] : Object.entries(modules as Record<string, Module>);
    pairs.forEach((p, i) => {
      if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`${op}: item ${i} is not a [key, module] pair`);
      if (typeof p[0] !== 'string') throw new TypeError(`${op}: key of item ${i} must be a string, got ${describe(p[0])}`);
      if (p[0] === '' || p[0].includes('.')) throw new RangeError(`${op}: key '${p[0]}' must be non-empty and contain no '.'`);
      checkModule(p[1], `${op} '${p[0]}'`);
    });
    for (const [k, m] of pairs) this._dict.set(k, m);
    return this;
  }
  /** The keys in insertion order. PyTorch: `nn.ModuleDict.keys`. */
  keys(): IterableIterator<string> { return this._dict.keys(); }
  /** The modules in insertion order. PyTorch: `nn.ModuleDict.values`. */
  values(): IterableIterator<Module> { return this._dict.values(); }
  /** `[key, module]` pairs in insertion order. PyTorch: `nn.ModuleDict.items`. */
  entries(): IterableIterator<[string, Module]> { return this._dict.entries(); }
  /** Iterates over the keys, as PyTorch does. PyTorch: `iter(module_dict)`. */
  [Symbol.iterator](): Iterator<string> { return this._dict.keys(); }
  /** A ModuleDict has no forward of its own (as in PyTorch): pick a module with `get(key)`. PyTorch: `nn.ModuleDict` (not callable). */
  forward(): never { throw new Error('ModuleDict: a ModuleDict has no forward(); call get(key).forward(...) instead'); }
}

/**
 * Holds parameters in a list, named `0`, `1`, ... (`plist.0` in `stateDict()`); a tensor that is
 * not yet a parameter becomes one, as in PyTorch 2.x. PyTorch: `torch.nn.ParameterList`.
 */
export class ParameterList extends Module implements Iterable<Tensor> {
  private readonly _params: Tensor[] = [];
  constructor(params: Iterable<Tensor> = []) {
    super();
    this.extend(params);
  }
  /** @internal The list's parameters, named by index. */
  override *_ownParameters(): Generator<[string, Tensor]> {
    for (let i = 0; i < this._params.length; i++) yield [String(i), this._params[i]];
  }
  private asParameter(t: unknown, op: string): Tensor {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${describe(t)} is not a Tensor`);
    t.ptr(op);
    // before Parameter marks it: an int32 or bool tensor would be left pinned and marked a parameter
    if (t.dtype !== 'float32') throw new TypeError(`${op}: parameters must be float32, got ${t.dtype} (shape ${fmt(t.shape)})`);
    return t.isParameter ? t : new Parameter(t);
  }
  /** The number of parameters. PyTorch: `len(parameter_list)`. */
  get length(): number { return this._params.length; }
  /** The parameter at index `i` (negative counts from the end). PyTorch: `parameter_list[i]`. */
  get(i: number): Tensor { return this._params[position(i, this._params.length, 'ParameterList.get', 'parameters')]; }
  /** Replaces the parameter at index `i` (negative counts from the end). PyTorch: `parameter_list[i] = p`. */
  set(i: number, param: Tensor): void {
    const j = position(i, this._params.length, 'ParameterList.set', 'parameters');
    this._params[j] = this.asParameter(param, 'ParameterList.set');
  }
  /** Adds a parameter at the end; returns this. PyTorch: `nn.ParameterList.append`. */
  append(param: Tensor): this { this._params.push(this.asParameter(param, 'ParameterList.append')); return this; }
  /** Adds the parameters at the end; returns this. PyTorch: `nn.ParameterList.extend`. */
  extend(params: Iterable<Tensor>): this {
    if (params === null || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`ParameterList.extend: expected an iterable of tensors, got ${describe(params)}`);
    }
    const list = [...params];
    list.forEach((t, i) => { if (!(t instanceof Tensor)) throw new TypeError(`ParameterList.extend: item ${i} (${describe(t)}) is not a Tensor`); });
    for (const t of list) this._params.push(this.asParameter(t, 'ParameterList.extend'));
    return this;
  }
  /** Iterates over the parameters in order. PyTorch: `iter(parameter_list)`. */
  [Symbol.iterator](): Iterator<Tensor> { return this._params[Symbol.iterator](); }
  /** A ParameterList has no forward of its own (as in PyTorch). PyTorch: `nn.ParameterList` (not callable). */
  forward(): never { throw new Error('ParameterList: a ParameterList has no forward(); iterate over its parameters instead'); }
  /** One line per parameter, `(0): Parameter containing: [torch.float32 of size 3x4]`. PyTorch: `nn.ParameterList.extra_repr`. */
  override extraRepr(): string {
    return this._params.map((p, i) => `  (${i}): Parameter containing: [torch.${p.dtype} of size ${p.shape.join('x')}]`).join('\n');
  }
}

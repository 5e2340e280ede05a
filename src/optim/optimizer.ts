// The optimizer frame: parameter groups with per-group options, lazily created state with
// PyTorch's names, zeroGrad, stateDict/loadStateDict in PyTorch's layout, addParamGroup.
// Subclasses give defaults, validation and update(), which runs one fused kernel over a
// parameter's buffer. Options are checked: an unknown key or a wrong type is a TypeError.
import { Tensor } from '../tensor.js';
import { zeroGrads } from '../nn/module.js';
import { full } from '../ops/create.js';
import { fmt, sameShape } from '../shape.js';
import { clone, dense } from '../ops/movement.js';
import { noGrad } from '../autograd/grad_mode.js';

/**
 * Keys a learning-rate scheduler keeps in a parameter group, as PyTorch does (`initial_lr`,
 * `max_lr`, `min_lr`, `max_momentum`, `base_momentum` in a state dict). PyTorch: the keys
 * `torch.optim.lr_scheduler` adds to `param_groups`.
 */
export interface SchedulerGroupKeys {
  /** The learning rate a scheduler started from. PyTorch: `param_group['initial_lr']`. */
  initialLr?: number;
  /** OneCycleLR's peak learning rate. PyTorch: `param_group['max_lr']`. */
  maxLr?: number;
  /** OneCycleLR's final learning rate. PyTorch: `param_group['min_lr']`. */
  minLr?: number;
  /** OneCycleLR's upper momentum (or β1). PyTorch: `param_group['max_momentum']`. */
  maxMomentum?: number;
  /** OneCycleLR's lower momentum (or β1). PyTorch: `param_group['base_momentum']`. */
  baseMomentum?: number;
}
const SCHEDULER_KEYS = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum'];
// Implementation switches PyTorch writes into every group of a state dict. `foreach` only picks
// PyTorch's multi-tensor or per-tensor loop, which compute the same numbers, so any value loads
// (and is dropped). The others change what a step means, so only their defaults load: `fused`
// (one CUDA/CPU fused kernel with its own rounding and, with a grad scaler, inf skipping),
// `capturable` (step kept on the device for CUDA graphs), `differentiable` (autograd through
// step()); this library does none of them.
const PYTORCH_FLAGS: Record<string, unknown[]> = {
  foreach: [null, false, true], capturable: [false], differentiable: [false], fused: [null, false],
};

/** A parameter group: its parameters and its own copy of every option. PyTorch: an entry of `param_groups`. */
export type ParamGroup<O> = O & SchedulerGroupKeys & { params: Tensor[] };
/** One parameter's state under PyTorch's names (`step`, `exp_avg`, `momentum_buffer`, ...). PyTorch: `optimizer.state[p]`. */
export type ParamState = Record<string, Tensor | number>;
/** Parameters (e.g. `model.parameters()`), or groups `{ params, ...options }` with their own options. */
export type ParamsArg<O> = Iterable<Tensor> | Array<Partial<O> & { params: Iterable<Tensor> }>;
/** An optimizer's state dict in PyTorch's layout: state by parameter index, groups with snake_case keys. PyTorch: `Optimizer.state_dict()`'s value. */
export interface OptimizerStateDict {
  /** Each parameter's state by its index in the groups' `params` lists. PyTorch: `state_dict()['state']`. */
  state: Record<number, Record<string, Tensor | number>>;
  /** Each group's options under PyTorch's snake_case names and its parameter indices. PyTorch: `state_dict()['param_groups']`. */
  param_groups: Array<Record<string, unknown>>;
}

/** `weightDecay` → `weight_decay`: PyTorch's name of an option. */
export function snakeCase(k: string): string { return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`); }
/** `weight_decay` → `weightDecay`. */
function camelCase(k: string): string { return k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()); }

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array [${v.map(String).join(', ')}]`;
  return typeof v === 'string' ? `the string '${v}'` : `${typeof v} ${String(v)}`;
}

/** Throws a TypeError unless `v` has the type of the default `like` (number, boolean, number array of the same length). */
function checkOptionType(op: string, key: string, v: unknown, like: unknown): void {
  if (typeof like === 'number' && typeof v !== 'number') throw new TypeError(`${op}: option '${key}' must be a number, got ${describe(v)}`);
  if (typeof like === 'boolean' && typeof v !== 'boolean') throw new TypeError(`${op}: option '${key}' must be a boolean, got ${describe(v)}`);
  if (Array.isArray(like) && (!Array.isArray(v) || v.length !== like.length || v.some((x) => typeof x !== 'number'))) {
    throw new TypeError(`${op}: option '${key}' must be an array of ${like.length} numbers, got ${describe(v)}`);
  }
}

/** The optimizers' base: parameter groups with per-group options, lazily created state, zeroGrad and stateDict. PyTorch: `torch.optim.Optimizer`. */
export abstract class Optimizer<O extends object> {
  /** The parameter groups; change an option such as `lr` here between steps. PyTorch: `param_groups`. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created at a parameter's first step. PyTorch: `Optimizer.state`. */
  readonly state = new Map<Tensor, ParamState>();
  /** The options of groups that do not set their own: the class's defaults with the constructor's options. PyTorch: `Optimizer.defaults`. */
  readonly defaults: O;

  /** `defaults`: the class's defaults; `options`: the user's, each key checked against them. */
  constructor(params: ParamsArg<O>, defaults: O, options: Partial<O> = {}) {
    const name = new.target.name;
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${name}: options must be an object, got ${describe(options)}`);
    this.defaults = { ...defaults, ...this.checkKeys(options as Record<string, unknown>, defaults, false, name) };
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${name}: params must be an iterable of Tensors or of parameter groups, got ${describe(params)}`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list`);
    const groups = (list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : list) as Array<Partial<O> & { params: Iterable<Tensor> }>;
    const made: ParamGroup<O>[] = [];
    groups.forEach((g, i) => made.push(this.makeGroup(g, i, made)));
    this.paramGroups.push(...made);
  }

  /** Checks a group or options object's keys and types; returns the defined entries. */
  private checkKeys(opts: Record<string, unknown>, like: O, group: boolean, op: string, collect = true): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    // step() runs this for every group at every step: no arrays unless a key is wrong
    const keys = Object.keys(opts); // own keys only, as before: inherited ones are no options
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i], v = opts[k];
      const scheduler = SCHEDULER_KEYS.includes(k);
      if (!Object.hasOwn(like, k) && !(group && (scheduler || k === 'params'))) {
        const allowed = group ? [...Object.keys(like), ...SCHEDULER_KEYS, 'params'] : Object.keys(like);
        throw new TypeError(`${op}: unknown ${group ? 'parameter group key' : 'option'} '${k}'; expected one of ${allowed.join(', ')}`);
      }
      if (v === undefined || k === 'params') continue;
      checkOptionType(op, k, v, scheduler ? 0 : (like as Record<string, unknown>)[k]);
      if (collect) out[k] = Array.isArray(v) ? [...v] : v;
    }
    return out;
  }

  /** A validated group from `{ params, ...options }`; `others`: groups a parameter must not already be in. */
  private makeGroup(g: Partial<O> & { params: Iterable<Tensor> }, i: number, others: ParamGroup<O>[]): ParamGroup<O> {
    const name = this.constructor.name;
    if (g === null || typeof g !== 'object') throw new TypeError(`${name}: parameter group ${i} must be an object { params, ...options }, got ${describe(g)}`);
    if (g.params === undefined || g.params === null || typeof (g.params as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${name}: parameter group ${i} needs 'params', an iterable of Tensors`);
    }
    const opts = this.checkKeys(g as Record<string, unknown>, this.defaults, true, name);
    const params = g.params instanceof Tensor ? [g.params] : [...g.params];
    const seen = new Set<Tensor>(others.concat(this.paramGroups).flatMap((o) => o.params));
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: group ${i} holds something that is not a Tensor`);
      if (p.isDisposed) throw new Error(`${name}: a parameter of group ${i} (shape ${fmt(p.shape)}) was disposed and cannot be optimized`);
      if (!p.isLeaf) throw new Error(`${name}: can't optimize a non-leaf Tensor (shape ${fmt(p.shape)})`);
      // the update kernels walk the buffer in order
      if (!p.isContiguous()) throw new TypeError(`${name}: parameters must be contiguous, got shape ${fmt(p.shape)} with strides ${fmt(p.strides)}; pass p.contiguous().detach() instead`);
      if (p.dtype !== 'float32') throw new TypeError(`${name}: parameters must be float32, got ${p.dtype} (shape ${fmt(p.shape)})`);
      if (seen.has(p)) throw new Error(`${name}: some parameters appear in more than one parameter group (or twice in one)`);
      seen.add(p);
    }
    const group = { ...this.defaults, ...opts, params } as ParamGroup<O>;
    this.validate(group);
    return group;
  }

  /** Adds a parameter group `{ params, ...options }` (options default to the constructor's). PyTorch: `Optimizer.add_param_group`. */
  addParamGroup(group: Partial<O> & { params: Iterable<Tensor> }): void {
    const g = this.makeGroup(group, this.paramGroups.length, []);
    this.paramGroups.push(g);
    this.initGroup(g);
  }

  /** Creates state eagerly for a new group's parameters (Adagrad does, as PyTorch does). */
  protected initGroup(_group: ParamGroup<O>): void {}

  /** Throws on bad hyperparameters (run for every group at construction and each step). */
  protected abstract validate(group: O): void;
  /** One parameter's update; state is created on the first call. */
  protected abstract update(p: Tensor, grad: Tensor, state: ParamState, group: O): void;
  /** The state names this optimizer keeps (checked by loadStateDict). PyTorch: the keys of `optimizer.state[p]`. */
  protected abstract readonly stateKeys: readonly string[];
  /**
   * The state keys that hold a number (`step`, NAdam's `mu_product`); the other keys hold a tensor
   * shaped like the parameter. loadStateDict takes a number or PyTorch's 0-dim float32 tensor here.
   */
  protected abstract readonly scalarStateKeys: readonly string[];

  /**
   * Updates every parameter that has a gradient, one fused kernel pass each. Every group's options
   * (keys, types, ranges) and every parameter and gradient (a Tensor, not disposed, float32, the
   * parameter's exact shape) are checked first, so a step that throws changes nothing.
   * PyTorch: `Optimizer.step`.
   */
  step(): void {
    if (arguments.length > 0) {
      throw new TypeError(`${this.constructor.name}.step: takes no arguments, got ${typeof arguments[0] === 'function' ? 'a function' : describe(arguments[0])}; closures are not supported: compute the loss and call backward() before step()`);
    }
    this.checkStep();
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        let st = this.state.get(p);
        if (!st) { st = {}; this.state.set(p, st); }
        const g = dense(p.grad); // a user-assigned grad may be a strided view
        this.update(p, g, st, group);
        p.storage.version++; // an in-place write, as PyTorch's: a graph that saved p now refuses backward
        if (g !== p.grad) g.dispose();
      }
    }
  }

  /** step()'s checks, all before any parameter or state is written. */
  private checkStep(): void {
    // runs before every step: plain loops, and strings only for an error
    const groups = this.paramGroups;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      const where = (): string => `${this.constructor.name}.step: paramGroups[${gi}]`;
      if (g === null || typeof g !== 'object') throw new TypeError(`${where()} must be an object, got ${describe(g)}`);
      // unknown keys (weight_decay for weightDecay) and wrong types ('0.1' for 0.1) are refused, not coerced or ignored
      this.checkKeys(g as Record<string, unknown>, this.defaults, true, where(), false);
      for (const k of Object.keys(this.defaults)) {
        if ((g as Record<string, unknown>)[k] === undefined) throw new TypeError(`${where()}: option '${k}' is missing (undefined)`);
      }
      this.validate(g);
      const params = g.params;
      if (!Array.isArray(params)) throw new TypeError(`${where()}.params must be an array of Tensors, got ${describe(params)}`);
      for (let pi = 0; pi < params.length; pi++) {
        const p = params[pi];
        if (!(p instanceof Tensor)) throw new TypeError(`${where()}.params[${pi}] is not a Tensor: ${describe(p)}`);
        if (p.isDisposed) throw new Error(`${where()}.params[${pi}] (shape ${fmt(p.shape)}) was disposed and cannot be updated`);
        const grad = p.grad;
        if (!grad) continue;
        if (grad.isDisposed) throw new Error(`${where()}.params[${pi}]: its grad (shape ${fmt(grad.shape)}) was disposed and cannot be used`);
        if (grad.dtype !== 'float32') throw new TypeError(`${where()}.params[${pi}]: grad must be float32 like the parameter, got ${grad.dtype}`);
        if (!sameShape(grad.shape, p.shape)) {
          throw new RangeError(`${where()}.params[${pi}]: grad of shape ${fmt(grad.shape)} does not match parameter of shape ${fmt(p.shape)}`);
        }
      }
    }
  }

  /** Clears the parameters' gradients (frees them when setToNone, the default). PyTorch: `Optimizer.zero_grad`. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    for (const k of Object.keys(options)) if (k !== 'setToNone') throw new TypeError(`${this.constructor.name}.zeroGrad: unknown option '${k}'; expected one of setToNone`);
    if (options.setToNone !== undefined && typeof options.setToNone !== 'boolean') throw new TypeError(`${this.constructor.name}.zeroGrad: option 'setToNone' must be a boolean, got ${describe(options.setToNone)}`);
    for (const g of this.paramGroups) zeroGrads(g.params, options.setToNone ?? true);
  }

  /** A tensor shaped like p filled with `value` (0 by default), owned by this optimizer's state (pinned). */
  protected filledLike(p: Tensor, value = 0): Tensor {
    const t = full(p.shape, value);
    t.pinned = true;
    return t;
  }

  /** The state tensor `key`, created at first use shaped like p and filled with `value` (0). */
  protected buffer(st: ParamState, key: string, p: Tensor, value = 0): Tensor {
    if (!st[key]) st[key] = this.filledLike(p, value);
    return st[key] as Tensor;
  }

  /** Counts one more step in `st.step` (a missing step counts as 0) and returns it: 1 at the first step. */
  protected countStep(st: ParamState): number {
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    return step;
  }

  /**
   * The state by parameter index and the groups' options, in PyTorch's layout with PyTorch's
   * snake_case keys (`{ state: { 0: { step, exp_avg, ... } }, param_groups: [{ lr, betas,
   * weight_decay, ..., params: [0, 1] }] }`); tensors are copies. PyTorch: `Optimizer.state_dict`.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const param_groups = this.paramGroups.map((g) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params' && v !== undefined) out[snakeCase(k)] = Array.isArray(v) ? [...v] : v;
      out.params = g.params.map((p) => { if (!index.has(p)) index.set(p, index.size); return index.get(p)!; });
      return out;
    });
    const state: Record<number, ParamState> = {};
    for (const [p, st] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      state[i] = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, v instanceof Tensor ? noGrad(() => clone(v)) : v]));
    }
    return { state, param_groups };
  }

  /**
   * Replaces the state and the groups' options with a `stateDict()`'s (PyTorch's layout). Every
   * group, parameter count, key, type, shape and option value is checked before anything is
   * written; tensors are copied. PyTorch: `Optimizer.load_state_dict`.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const op = `${this.constructor.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object') throw new TypeError(`${op}: expected { state, param_groups }, got ${describe(dict)}`);
    for (const k of Object.keys(dict)) if (k !== 'state' && k !== 'param_groups') throw new TypeError(`${op}: unknown key '${k}'; expected state, param_groups`);
    const { state, param_groups: groups } = dict;
    if (!Array.isArray(groups)) throw new TypeError(`${op}: 'param_groups' must be an array, got ${describe(groups)}`);
    if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new TypeError(`${op}: 'state' must be an object keyed by parameter index, got ${describe(state)}`);
    if (groups.length !== this.paramGroups.length) {
      throw new RangeError(`${op}: the state dict has ${groups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    // each saved id names the parameter at the same place in our groups (PyTorch's id_map)
    const byId = new Map<number, Tensor>();
    const newOptions: Record<string, unknown>[] = [];
    groups.forEach((g, gi) => {
      if (g === null || typeof g !== 'object') throw new TypeError(`${op}: param_groups[${gi}] must be an object, got ${describe(g)}`);
      const ours = this.paramGroups[gi];
      if (!Array.isArray(g.params)) throw new TypeError(`${op}: param_groups[${gi}].params must be an array of parameter indices`);
      if (g.params.length !== ours.params.length) {
        throw new RangeError(`${op}: param_groups[${gi}] has ${g.params.length} parameters, the optimizer's group ${gi} has ${ours.params.length}`);
      }
      g.params.forEach((id: unknown, j: number) => {
        if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new TypeError(`${op}: param_groups[${gi}].params[${j}] must be a parameter index, got ${describe(id)}`);
        if (byId.has(id)) throw new RangeError(`${op}: parameter index ${id} appears twice in param_groups`);
        byId.set(id, ours.params[j]);
      });
      const opts: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) {
        if (k === 'params') continue;
        if (k in PYTORCH_FLAGS) {
          if (!PYTORCH_FLAGS[k].includes(v)) throw new TypeError(`${op}: param_groups[${gi}].${k} = ${describe(v)} is not supported (only ${PYTORCH_FLAGS[k].map(String).join(' or ')})`);
          continue;
        }
        if (snakeCase(camelCase(k)) !== k) throw new TypeError(`${op}: param_groups[${gi}] key '${k}' is not PyTorch's name; a state dict spells it '${snakeCase(k)}'`);
        opts[camelCase(k)] = v;
      }
      let checked: Record<string, unknown>;
      try {
        checked = this.checkKeys(opts, this.defaults, true, `${op}: param_groups[${gi}]`);
      } catch (e) {
        if (e instanceof TypeError) throw new TypeError(e.message.replace(/'(\w+)'/, (_m, k: string) => `'${snakeCase(k)}'`).replace(/expected one of (.*)$/, (_m, l: string) => `expected one of ${l.split(', ').map(snakeCase).join(', ')}`));
        throw e;
      }
      this.validate({ ...ours, ...checked } as O);
      newOptions.push(checked);
    });
    const newState = new Map<Tensor, [string, Tensor | number][]>();
    for (const [id, st] of Object.entries(state)) {
      const p = byId.get(Number(id));
      if (!p) throw new RangeError(`${op}: state for parameter ${id}, but param_groups list ${byId.size} parameters (indices ${[...byId.keys()].join(', ')})`);
      if (st === null || typeof st !== 'object') throw new TypeError(`${op}: state[${id}] must be an object, got ${describe(st)}`);
      const entries: [string, Tensor | number][] = [];
      for (const [k, v] of Object.entries(st)) {
        if (!this.stateKeys.includes(k)) throw new TypeError(`${op}: unknown state key '${k}' for parameter ${id}; ${this.constructor.name} keeps ${this.stateKeys.join(', ')}`);
        if (this.scalarStateKeys.includes(k)) {
          // a number, or the 0-dim float32 tensor PyTorch keeps `step` (and NAdam's mu_product) in
          let n: unknown = v;
          if (v instanceof Tensor) {
            v.ptr(op); // throws on a disposed tensor
            if (v.shape.length !== 0 || v.dtype !== 'float32') throw new TypeError(`${op}: state[${id}].${k} must be a Tensor or a number: a number or a 0-dim float32 tensor, got a tensor of dtype ${v.dtype} and shape ${fmt(v.shape)}`);
            n = v.item();
          }
          if (typeof n !== 'number' || !Number.isFinite(n) || (k === 'step' && n < 0)) {
            throw new TypeError(`${op}: state[${id}].${k} must be a Tensor or a number: a ${k === 'step' ? 'non-negative ' : ''}finite number or a 0-dim float32 tensor, got ${describe(n)}`);
          }
          entries.push([k, n]);
          continue;
        }
        if (v === null || v === undefined) continue; // PyTorch writes momentum_buffer: None
        if (!(v instanceof Tensor)) throw new TypeError(`${op}: state[${id}].${k} must be a Tensor shaped like parameter ${id} (${fmt(p.shape)}), got ${describe(v)}`);
        v.ptr(op); // throws on a disposed tensor
        if (v.dtype !== 'float32') throw new TypeError(`${op}: state[${id}].${k} must be float32, got ${v.dtype}`);
        if (v.shape.length !== p.shape.length || v.shape.some((s, d) => s !== p.shape[d])) {
          throw new RangeError(`${op}: state[${id}].${k} has shape ${fmt(v.shape)}, parameter ${id} has shape ${fmt(p.shape)}`);
        }
        entries.push([k, v]);
      }
      newState.set(p, entries);
    }
    // everything checked: write
    const copies = new Map<Tensor, ParamState>();
    for (const [p, entries] of newState) {
      const own: ParamState = {};
      for (const [k, v] of entries) {
        if (v instanceof Tensor) { const c = noGrad(() => clone(v)); c.pinned = true; own[k] = c; } else own[k] = v;
      }
      copies.set(p, own);
    }
    this.disposeState();
    for (const [p, own] of copies) this.state.set(p, own);
    newOptions.forEach((opts, i) => Object.assign(this.paramGroups[i], opts));
  }

  private disposeState(): void {
    for (const st of this.state.values()) for (const v of Object.values(st)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
  }

  /** Frees the optimizer's state (not the parameters). PyTorch: none. */
  dispose(): void { this.disposeState(); }
}

/** Throws `RangeError('<op>: invalid <name> value: <v>')` unless ok, PyTorch's wording. */
export function checkRange(op: string, name: string, v: number, ok: boolean): void {
  if (!ok) throw new RangeError(`${op}: invalid ${name} value: ${v}`);
}

/** Checks the options Adam's family shares (lr, eps, both betas, weight_decay), in PyTorch's order and words. */
export function checkAdamOptions(op: string, g: { lr: number; eps: number; betas: [number, number]; weightDecay: number }): void {
  checkRange(op, 'learning rate', g.lr, g.lr >= 0);
  checkRange(op, 'epsilon', g.eps, g.eps >= 0);
  checkRange(op, 'beta parameter at index 0', g.betas[0], g.betas[0] >= 0 && g.betas[0] < 1);
  checkRange(op, 'beta parameter at index 1', g.betas[1], g.betas[1] >= 0 && g.betas[1] < 1);
  checkRange(op, 'weight_decay', g.weightDecay, g.weightDecay >= 0);
}

// The optimizer frame: parameter groups with per-group options, lazily created state with
// PyTorch's names, zeroGrad, stateDict. Subclasses give defaults, validation and update(),
// which runs one fused kernel over a parameter's buffer.
import { Tensor } from '../tensor.js';
import { zeroGrads } from '../nn/module.js';
import { full } from '../ops/create.js';
import { fmt } from '../shape.js';
import { dense } from '../ops/movement.js';

/** A parameter group: its parameters and its own copy of every option. PyTorch: an entry of `param_groups`. */
export type ParamGroup<O> = O & { params: Tensor[] };
/** One parameter's state under PyTorch's names (`step`, `exp_avg`, `momentum_buffer`, ...). PyTorch: `optimizer.state[p]`. */
export type ParamState = Record<string, Tensor | number>;
/** Parameters (e.g. `model.parameters()`), or groups `{ params, ...options }` with their own options. */
type ParamsArg<O> = Iterable<Tensor> | Array<Partial<O> & { params: Iterable<Tensor> }>;

/** The optimizers' base: parameter groups with per-group options, lazily created state, zeroGrad and stateDict. PyTorch: `torch.optim.Optimizer`. */
export abstract class Optimizer<O extends object> {
  /** The parameter groups; change an option such as `lr` here between steps. PyTorch: `param_groups`. */
  readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state, created at a parameter's first step. PyTorch: `Optimizer.state`. */
  readonly state = new Map<Tensor, ParamState>();

  /** `defaults`: the options of groups that do not set their own. PyTorch: `Optimizer.defaults`. */
  constructor(params: ParamsArg<O>, readonly defaults: O) {
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error(`${new.target.name}: got an empty parameter list`);
    const groups = list[0] instanceof Tensor
      ? [{ params: list as Tensor[] }]
      : (list as Array<Partial<O> & { params: Iterable<Tensor> }>);
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, i) => {
      const group = { ...defaults, ...g, params: [...g.params] } as ParamGroup<O>;
      for (const p of group.params) {
        if (!(p instanceof Tensor)) throw new TypeError(`${new.target.name}: group ${i} holds something that is not a Tensor`);
        if (!p.isLeaf) throw new Error(`${new.target.name}: can't optimize a non-leaf Tensor (shape ${fmt(p.shape)})`);
        // the update kernels walk the buffer in order
        if (!p.isContiguous()) throw new TypeError(`${new.target.name}: parameters must be contiguous, got shape ${fmt(p.shape)} with strides ${fmt(p.strides)}; pass p.contiguous().detach() instead`);
        if (seen.has(p)) throw new Error(`${new.target.name}: some parameters appear in more than one parameter group (or twice in one)`);
        seen.add(p);
      }
      this.validate(group);
      return group;
    });
  }

  /** Throws on bad hyperparameters (run for every group at construction and each step). */
  protected abstract validate(group: O): void;
  /** One parameter's update; state is created on the first call. */
  protected abstract update(p: Tensor, grad: Tensor, state: ParamState, group: O): void;

  /** Updates every parameter that has a gradient, one fused kernel pass each. PyTorch: `Optimizer.step`. */
  step(): void {
    for (const g of this.paramGroups) this.validate(g);
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        if (p.grad.numel() !== p.numel()) throw new RangeError(`${this.constructor.name}.step: grad of shape ${fmt(p.grad.shape)} does not match parameter of shape ${fmt(p.shape)}`);
        let st = this.state.get(p);
        if (!st) { st = {}; this.state.set(p, st); }
        const g = dense(p.grad); // a user-assigned grad may be a strided view
        this.update(p, g, st, group);
        if (g !== p.grad) g.dispose();
      }
    }
  }

  /** Clears the parameters' gradients (frees them when setToNone, the default). PyTorch: `Optimizer.zero_grad`. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    for (const g of this.paramGroups) zeroGrads(g.params, options.setToNone ?? true);
  }

  /** A zero tensor shaped like p, owned by this optimizer's state (pinned). */
  protected zerosLike(p: Tensor): Tensor {
    const t = full(p.shape, 0);
    t.pinned = true;
    return t;
  }

  /** The state by parameter index and the groups' options, in PyTorch's layout (tensors cloned). PyTorch: `Optimizer.state_dict`. */
  stateDict(): { state: Record<number, ParamState>; paramGroups: Array<Record<string, unknown>> } {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...opts } = g as ParamGroup<O>;
      return { ...opts, params: params.map((p) => { if (!index.has(p)) index.set(p, index.size); return index.get(p)!; }) };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, st] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      state[i] = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, v instanceof Tensor ? v.clone() : v]));
    }
    return { state, paramGroups };
  }

  /** Replaces the state and the groups' options with a `stateDict()`'s (shapes checked first). PyTorch: `Optimizer.load_state_dict`. */
  loadStateDict(dict: { state: Record<number, ParamState>; paramGroups: Array<Record<string, unknown>> }): void {
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`loadStateDict: the state has ${dict.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    for (const [i, st] of Object.entries(dict.state)) {
      const p = params[Number(i)];
      if (!p) throw new RangeError(`loadStateDict: state for parameter ${i}, but the optimizer has ${params.length}`);
      for (const v of Object.values(st)) {
        if (v instanceof Tensor && v.numel() !== p.numel()) throw new RangeError(`loadStateDict: state of shape ${fmt(v.shape)} for parameter ${i} of shape ${fmt(p.shape)}`);
      }
    }
    this.disposeState();
    for (const [i, st] of Object.entries(dict.state)) {
      const own: ParamState = {};
      for (const [k, v] of Object.entries(st)) {
        if (v instanceof Tensor) { const c = v.clone(); c.pinned = true; own[k] = c; } else own[k] = v;
      }
      this.state.set(params[Number(i)], own);
    }
    dict.paramGroups.forEach((g, i) => {
      const { params: _ignored, ...opts } = g;
      Object.assign(this.paramGroups[i], opts);
    });
  }

  private disposeState(): void {
    for (const st of this.state.values()) for (const v of Object.values(st)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
  }

  /** Frees the optimizer's state (not the parameters). PyTorch: none. */
  dispose(): void { this.disposeState(); }
}

export function checkRange(op: string, name: string, v: number, ok: boolean): void {
  if (!ok) throw new RangeError(`${op}: invalid ${name} value: ${v}`);
}

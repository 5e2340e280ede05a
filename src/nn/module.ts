// nn.Module: parameters and sub-modules assigned to fields are found by walking the fields in
// assignment order, so no registration is needed; names are PyTorch's dotted paths.
import { Tensor } from '../tensor.js';
import { noGrad } from '../autograd/grad_mode.js';
import { fmt } from '../shape.js';
import { checkOptions, describeValue as describe } from '../options.js';

/**
 * The base of layers and models: parameters and sub-modules assigned to fields are found without
 * registration and named by dotted paths. PyTorch: `torch.nn.Module`.
 */
export abstract class Module {
  /** Whether the module is in training mode (Dropout drops only then). PyTorch: `nn.Module.training`. */
  training = true;
  private readonly _buffers = new Map<string, Tensor>();

  /** The module's computation; subclasses define it and callers invoke it directly. PyTorch: `nn.Module.forward`. */
  abstract forward(...args: never[]): unknown;

  /**
   * @internal Every sub-module slot in order, a module held twice (tied) given at each name: what
   * PyTorch's `_modules` holds. Fields by default; ModuleList and ModuleDict override it.
   */
  *_slots(): Generator<[string, Module]> {
    for (const [k, v] of Object.entries(this)) if (v instanceof Module) yield [k, v];
  }
  /** Direct sub-modules with their field names (Sequential's are "0", "1", ...), each module once. PyTorch: `nn.Module.named_children`. */
  *namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [k, m] of this._slots()) if (!seen.has(m)) { seen.add(m); yield [k, m]; }
  }
  /** Direct sub-modules. PyTorch: `nn.Module.children`. */
  *children(): Generator<Module> { for (const [, m] of this.namedChildren()) yield m; }

  /**
   * This module and every descendant, depth first (self first), with dotted names after `prefix`;
   * a module reached twice is given once unless `removeDuplicate` is false. PyTorch: `nn.Module.named_modules`.
   */
  *namedModules(options: NamedModulesOptions = {}): Generator<[string, Module]> {
    const o = checkOptions('Module.namedModules', options, {
      memo: (v: unknown) => (v instanceof Set ? null : 'a Set of modules'), prefix: 'string', removeDuplicate: 'boolean',
    });
    yield* this.walkModules(o.memo ?? new Set<Module>(), o.prefix ?? '', o.removeDuplicate ?? true);
  }
  private *walkModules(memo: Set<Module>, prefix: string, removeDuplicate: boolean): Generator<[string, Module]> {
    if (memo.has(this)) return;
    if (removeDuplicate) memo.add(this);
    yield [prefix, this];
    for (const [k, m] of this._slots()) yield* m.walkModules(memo, prefix ? `${prefix}.${k}` : k, removeDuplicate);
  }
  /** This module and every descendant, depth first. PyTorch: `nn.Module.modules`. */
  *modules(): Generator<Module> { for (const [, m] of this.namedModules()) yield m; }

  /** Calls `fn` on every sub-module (children first, recursively) and then on this module; returns this. PyTorch: `nn.Module.apply`. */
  apply(fn: (module: Module) => void): this {
    if (typeof fn !== 'function') throw new TypeError(`Module.apply: expected a function, got ${describe(fn)}`);
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /** Sets `requiresGrad` on every parameter (default true; false freezes the module); returns this. PyTorch: `nn.Module.requires_grad_`. */
  requiresGrad_(requiresGrad = true): this {
    if (typeof requiresGrad !== 'boolean') throw new TypeError(`Module.requiresGrad_: expected a boolean, got ${describe(requiresGrad)}`);
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** @internal The module's own parameters with their local names (fields; ParameterList overrides). */
  *_ownParameters(): Generator<[string, Tensor]> {
    for (const [k, v] of Object.entries(this)) if (v instanceof Tensor && v.isParameter) yield [k, v];
  }

  /** Every parameter of the tree once, with dotted names such as `0.weight`. PyTorch: `nn.Module.named_parameters`. */
  *namedParameters(): Generator<[string, Tensor]> {
    noArgs('Module.namedParameters', arguments, 'prefix, recurse and removeDuplicate are not supported');
    const seen = new Set<Tensor>();
    for (const [name, m] of this.namedModules()) {
      for (const [k, v] of m._ownParameters()) {
        if (!seen.has(v)) {
          seen.add(v);
          yield [name ? `${name}.${k}` : k, v];
        }
      }
    }
  }
  /** Every parameter of the tree once, in field order (for an optimizer). PyTorch: `nn.Module.parameters`. */
  parameters(): Tensor[] {
    noArgs('Module.parameters', arguments, "recurse is not supported; every parameter of the tree is given");
    return [...this.namedParameters()].map(([, p]) => p);
  }

  /** Adds state that is saved but not trained (BatchNorm's running statistics). PyTorch: `nn.Module.register_buffer`. */
  registerBuffer(name: string, t: Tensor): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) throw new TypeError(`Module.registerBuffer: name must be a non-empty string without '.', got ${describe(name)}`);
    if (!(t instanceof Tensor)) throw new TypeError(`Module.registerBuffer: buffer '${name}' must be a Tensor, got ${describe(t)}`);
    t.ptr(`Module.registerBuffer ('${name}')`); // a disposed tensor
    t.pinned = true;
    this._buffers.set(name, t);
  }
  /** Every buffer of the tree, with dotted names. PyTorch: `nn.Module.named_buffers`. */
  *namedBuffers(): Generator<[string, Tensor]> {
    for (const [name, m] of this.namedModules()) for (const [k, b] of m._buffers) yield [name ? `${name}.${k}` : k, b];
  }
  /** Every buffer of the tree. PyTorch: `nn.Module.buffers`. */
  buffers(): Tensor[] { return [...this.namedBuffers()].map(([, b]) => b); }

  /** Sets training mode on this module and its descendants. PyTorch: `nn.Module.train`. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`Module.train: mode must be a boolean, got ${describe(mode)} (PyTorch: training mode is expected to be boolean)`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  /** Sets evaluation mode (`train(false)`). PyTorch: `nn.Module.eval`. */
  eval(): this {
    noArgs('Module.eval', arguments, 'for a mode use train(mode)');
    return this.train(false);
  }

  /** Clears every parameter's gradient (frees it when setToNone, the default). PyTorch: `nn.Module.zero_grad`. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    checkOptions('zeroGrad', options, { setToNone: 'boolean' });
    zeroGrads(this.parameters(), options.setToNone ?? true);
  }

  /** Each module's own parameters then buffers, recursively, under every name (PyTorch's state_dict order). */
  private *stateEntries(prefix = ''): Generator<[string, Tensor]> {
    for (const [k, p] of this._ownParameters()) yield [prefix + k, p];
    for (const [k, b] of this._buffers) yield [prefix + k, b];
    for (const [k, m] of this._slots()) yield* m.stateEntries(`${prefix}${k}.`);
  }

  /**
   * Parameters and buffers by PyTorch's names (each module's parameters, then its buffers, then
   * its children's; a tied module under each of its names), as detached views sharing their
   * storage. PyTorch: `nn.Module.state_dict`.
   */
  stateDict(): Record<string, Tensor> {
    noArgs('Module.stateDict', arguments, 'destination, prefix and keepVars are not supported');
    const out: Record<string, Tensor> = {};
    const entries = [...this.stateEntries()];
    for (const [k, t] of entries) t.ptr(`stateDict (${k})`); // a disposed parameter, before any view is made
    for (const [k, t] of entries) out[k] = t.detach();
    return out;
  }

  /** Copies values in; checks every key and shape before writing anything. PyTorch: `nn.Module.load_state_dict`. */
  loadStateDict(dict: Record<string, Tensor>, options: { strict?: boolean } = {}): { missingKeys: string[]; unexpectedKeys: string[] } {
    checkOptions('loadStateDict', options, { strict: 'boolean' });
    if (dict === null || typeof dict !== 'object' || Array.isArray(dict) || (dict as { isTensor?: unknown }).isTensor === true) {
      throw new TypeError(`loadStateDict: expected a state dict (an object of named tensors, e.g. torch.load(bytes)), got ${describe(dict)}`);
    }
    const strict = options.strict ?? true;
    const own = new Map<string, Tensor>(this.stateEntries());
    const missingKeys = [...own.keys()].filter((k) => !(k in dict));
    const unexpectedKeys = Object.keys(dict).filter((k) => !own.has(k));
    if (strict && (missingKeys.length || unexpectedKeys.length)) {
      throw new Error(`loadStateDict: missing keys [${missingKeys.join(', ')}], unexpected keys [${unexpectedKeys.join(', ')}]`);
    }
    for (const [k, t] of own) {
      const src = dict[k];
      if (!src) continue;
      t.ptr(`loadStateDict (the module's ${k})`); // a disposed parameter of this module: before anything is copied
      if ((src as { isTensor?: unknown }).isTensor !== true) throw new TypeError(`loadStateDict: the value of ${k} is ${describe(src)}, not a Tensor`);
      src.ptr(`loadStateDict (${k})`); // a disposed tensor throws before anything is copied
      if (src.shape.length !== t.shape.length || src.shape.some((s, i) => s !== t.shape[i])) {
        throw new RangeError(`loadStateDict: size mismatch for ${k}: got ${fmt(src.shape)}, the module has ${fmt(t.shape)}`);
      }
      if (src.dtype !== t.dtype) throw new TypeError(`loadStateDict: dtype mismatch for ${k}: got ${src.dtype}, the module has ${t.dtype}`);
    }
    noGrad(() => { for (const [k, t] of own) if (dict[k]) t.copy_(dict[k]); });
    return { missingKeys, unexpectedKeys };
  }

  /** Frees the parameters and buffers. PyTorch: none. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
    for (const b of this.buffers()) b.dispose();
  }

  /** The part inside the parentheses of this module's line in `toString()`. PyTorch: `nn.Module.extra_repr`. */
  extraRepr(): string { return ''; }

  /** The module tree as PyTorch prints it, e.g. `Linear(in_features=10, out_features=20, bias=True)`. PyTorch: `repr(module)`. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = [...this._slots()].map(([k, m]) => `(${k}): ${addIndent(m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let s = `${this.constructor.name}(`;
    if (lines.length > 0) {
      if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
      else s += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${s})`;
  }
}

/** Refuses arguments a method takes none of (PyTorch's optional ones it does not support), instead of ignoring them. */
function noArgs(op: string, args: IArguments, hint: string): void {
  if (args.length > 0) throw new TypeError(`${op}: takes no arguments, got ${args.length} (${describe(args[0])}${args.length > 1 ? ', ...' : ''}); ${hint}`);
}

/** Options of `Module.namedModules`. PyTorch: `memo`, `prefix`, `remove_duplicate`. */
export interface NamedModulesOptions {
  /** Modules already given, skipped (and filled in as the walk goes). PyTorch: `memo`. */
  memo?: Set<Module>;
  /** Put before every name, with a dot (default ''). PyTorch: `prefix`. */
  prefix?: string;
  /** Give a module reached twice only once (default true). PyTorch: `remove_duplicate`. */
  removeDuplicate?: boolean;
}

/** PyTorch's `_addindent`: indents every line but the first by `n` spaces. */
export function addIndent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const pad = ' '.repeat(n);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

export function zeroGrads(params: Iterable<Tensor>, setToNone: boolean): void {
  for (const p of params) {
    if (!p.grad) continue;
    if (setToNone) { p.grad.dispose(); p.grad = null; } else noGrad(() => p.grad!.zero_());
  }
}

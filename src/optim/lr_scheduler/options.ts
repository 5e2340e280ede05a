// Checks of a scheduler's arguments: the optimizer, the options object, per-group values, step()'s
// arguments. An unknown key, a missing required one or a wrong type is a TypeError, a bad value a
// RangeError.
import { Optimizer } from '../optimizer.js';
import { describe, isInt } from './util.js';

/** @internal Any optimizer, whatever its options type. */
export type AnyOptimizer = Optimizer<object>;
/** The kinds of option values readOptions checks by name. */
export type Kind = 'number' | 'int' | 'boolean' | 'string' | 'numbers' | 'ints' | 'fns';
/** A check of its own for an option value, and what it expects (for the error message). */
export type KindTest = [(v: unknown) => boolean, string];

const KIND_TEST: Record<Kind, KindTest> = {
  number: [(v) => typeof v === 'number', 'a number'],
  int: [isInt, 'an integer'],
  boolean: [(v) => typeof v === 'boolean', 'a boolean'],
  string: [(v) => typeof v === 'string', 'a string'],
  numbers: [(v) => typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'number')), 'a number or an array of numbers (one per parameter group)'],
  ints: [(v) => Array.isArray(v) && v.every(isInt), 'an array of integers'],
  fns: [(v) => typeof v === 'function' || (Array.isArray(v) && v.every((x) => typeof x === 'function')), 'a function or an array of functions (one per parameter group)'],
};

/** Checks an options object against `spec`: unknown keys, missing required ones and wrong types are TypeErrors. */
export function readOptions(op: string, options: unknown, spec: Record<string, Kind | KindTest>, required: string[] = []): Record<string, any> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${op}: options must be an object, got ${describe(options)}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (!(k in spec)) throw new TypeError(`${op}: unknown option '${k}'; expected one of ${Object.keys(spec).join(', ')}`);
    if (v === undefined) continue;
    const kind = spec[k];
    const [ok, what] = typeof kind === 'string' ? KIND_TEST[kind] : kind;
    if (!ok(v)) throw new TypeError(`${op}: option '${k}' must be ${what}, got ${describe(v)}`);
    out[k] = v;
  }
  for (const k of required) if (out[k] === undefined) throw new TypeError(`${op}: option '${k}' is required`);
  return out;
}

/** Throws a TypeError unless `optimizer` is an Optimizer. */
export function checkOptimizer(op: string, optimizer: unknown): AnyOptimizer {
  if (!(optimizer instanceof Optimizer)) throw new TypeError(`${op}: ${describe(optimizer)} is not an Optimizer`);
  return optimizer as AnyOptimizer;
}

/** PyTorch's `_format_param`: one value per group from a number or a list of the groups' length. */
export function perGroup(op: string, name: string, optimizer: AnyOptimizer, v: number | number[] | unknown): unknown[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(v)) {
    if (v.length !== n) throw new RangeError(`${op}: expected ${n} values for ${name} (one per parameter group), got ${v.length}`);
    return [...v];
  }
  return Array(n).fill(v);
}

/** Throws a TypeError if a scheduler's step() got an argument (PyTorch's deprecated `step(epoch)`). */
export function noStepArgs(op: string, args: IArguments): void {
  if (args.length > 0) {
    throw new TypeError(`${op}: step() takes no argument, got ${describe(args[0])} (PyTorch's deprecated step(epoch) is not supported; call step() once per epoch)`);
  }
}

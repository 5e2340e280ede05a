// A scheduler's state dict: its fields saved under PyTorch's attribute names, and loaded back with
// every key, type and per-group length checked, all or nothing.
import { snakeCase } from '../optimizer.js';
import { describe } from './util.js';

// Keys PyTorch writes into a scheduler's state dict that this library has no use for: accepted
// with the value PyTorch writes there by default, refused otherwise. PyTorch 2.x's `_is_initial`
// only tells get_lr() it runs inside the constructor's first step, which a loaded scheduler has
// taken already, so either boolean loads.
const PYTORCH_EXTRAS: Record<string, unknown[]> = { verbose: [false], _get_lr_called_within_step: [false], _is_initial: [false, true] };

// state-dict names that are not the snake_case of the field
const SPECIAL_NAMES: Record<string, string> = { stepCount: '_step_count', lastLr: '_last_lr', schedulePhases: '_schedule_phases', lrLambdaState: 'lr_lambdas', seqMilestones: '_milestones', annealStrategy: '_anneal_func_type' };

/** A state dict of a scheduler: PyTorch's attribute names and values. PyTorch: `LRScheduler.state_dict()`'s value. */
export type SchedulerStateDict = Record<string, unknown>;

/** Saves the fields named in `fields` under PyTorch's names (arrays and objects copied). */
export function saveFields(owner: object, fields: string[]): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const f of fields) out[SPECIAL_NAMES[f] ?? snakeCase(f)] = structuredClone((owner as Record<string, unknown>)[f]);
  return out;
}

/**
 * Loads a state dict into `owner`'s fields: every key known and of the current value's type,
 * arrays of per-group values of the groups' length; then `check()` runs, and on any error every
 * field is restored, so a failed load changes nothing.
 */
export function loadFields(op: string, owner: object, fields: string[], dict: unknown, groups: number, check: () => void, skip: string[] = []): void {
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw new TypeError(`${op}: expected a state dict object, got ${describe(dict)}`);
  const o = owner as Record<string, unknown>;
  const byName = new Map(fields.map((f) => [SPECIAL_NAMES[f] ?? snakeCase(f), f]));
  const updates: [string, unknown][] = [];
  for (const [k, v] of Object.entries(dict)) {
    if (skip.includes(k)) continue;
    if (k in PYTORCH_EXTRAS) {
      if (!PYTORCH_EXTRAS[k].includes(v)) throw new TypeError(`${op}: ${k} = ${describe(v)} is not supported`);
      continue;
    }
    const f = byName.get(k);
    if (!f) throw new TypeError(`${op}: unknown key '${k}'; expected one of ${[...byName.keys(), ...skip].join(', ')}`);
    const cur = o[f];
    const sameType = cur === null || v === null ? typeof cur === 'number' || typeof v === 'number' || cur === v
      : Array.isArray(cur) ? Array.isArray(v) : typeof v === typeof cur && !Array.isArray(v);
    if (!sameType) throw new TypeError(`${op}: '${k}' must be ${Array.isArray(cur) ? 'an array' : cur === null ? 'a number or null' : `a ${typeof cur}`}, got ${describe(v)}`);
    if ((f === 'baseLrs' || f === 'lastLr' || f === 'minLrs') && ((v as unknown[]).length !== groups || !(v as unknown[]).every((x) => typeof x === 'number'))) {
      throw new RangeError(`${op}: '${k}' must hold ${groups} numbers (one per parameter group), got ${describe(v)}`);
    }
    updates.push([f, v]);
  }
  const before = fields.map((f) => o[f]);
  for (const [f, v] of updates) o[f] = structuredClone(v);
  try {
    check();
  } catch (e) {
    fields.forEach((f, i) => { o[f] = before[i]; });
    throw e;
  }
}

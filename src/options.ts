// Options objects are checked in one place: an unknown key (a typo such as `{ weight_decay }` for
// `{ weightDecay }`) or a value of the wrong type is a TypeError naming the key and what is known,
// so no option is ever accepted and ignored. Imports nothing: the bottom layer, usable from
// every file under src/.

/**
 * What an option may hold: a type name (`'integer'` is a whole number, `'object'` a plain object,
 * `'tensor'` a wasmtorch Tensor), a list of the allowed values, or a predicate returning null when
 * the value is fine and else a description of what was expected.
 */
export type OptionType =
  | 'boolean' | 'number' | 'integer' | 'string' | 'function' | 'object' | 'tensor'
  | readonly (string | number | boolean | null)[]
  | ((value: unknown) => string | null);

/** The known keys, each with its type, or just their names (no type check). */
export type OptionSpec = readonly string[] | Readonly<Record<string, OptionType>>;

/** `snake_case` as `camelCase`, for the hint after an unknown key. */
function camel(key: string): string {
  return key.replace(/_+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/** A short description of a value for an error message: `number 1`, `string 'x'`, `null`, `Array`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  switch (typeof v) {
    case 'string': return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
    case 'number': case 'boolean': case 'bigint': return `${typeof v} ${String(v)}`;
    case 'undefined': return 'undefined';
    case 'function': return 'a function';
    default: {
      if ((v as { isTensor?: unknown }).isTensor === true) return 'a Tensor';
      const name = Object.getPrototypeOf(v)?.constructor?.name;
      return name && name !== 'Object' ? `a ${name}` : 'an object';
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** null when `v` fits `type`, else what was expected. */
function mismatch(v: unknown, type: OptionType): string | null {
  if (typeof type === 'function') return type(v);
  if (Array.isArray(type)) return type.includes(v as never) ? null : `one of ${type.map((t) => JSON.stringify(t)).join(', ')}`;
  switch (type) {
    case 'boolean': return typeof v === 'boolean' ? null : 'a boolean';
    case 'number': return typeof v === 'number' ? null : 'a number';
    case 'integer': return Number.isInteger(v) ? null : 'an integer';
    case 'string': return typeof v === 'string' ? null : 'a string';
    case 'function': return typeof v === 'function' ? null : 'a function';
    case 'object': return isPlainObject(v) ? null : 'a plain object';
    case 'tensor': return v !== null && typeof v === 'object' && (v as { isTensor?: unknown }).isTensor === true ? null : 'a Tensor';
    default: return null;
  }
}

/**
 * Checks an options object: `undefined` passes (all defaults); anything but a plain object, a key
 * not in `known`, or (when `known` gives types) a value of the wrong type throws a TypeError that
 * names `op`, the key and the known keys. A key set to `undefined` counts as absent. Returns the
 * options (`{}` for undefined). PyTorch: none (Python rejects unknown keyword arguments itself).
 */
export function checkOptions<T extends object>(op: string, options: T | undefined, known: OptionSpec): T {
  if (options === undefined) return {} as T;
  if (!isPlainObject(options)) {
    throw new TypeError(`${op}: options must be a plain object { ${namesOf(known).join(', ')} }, got ${describeValue(options)}`);
  }
  // runs on every op call: no arrays or strings are built unless something is wrong
  const typed = !Array.isArray(known);
  const keys = Object.keys(options); // own keys only: a key inherited from a polluted Object.prototype is no option
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typed ? !Object.hasOwn(known, key) : !(known as readonly string[]).includes(key)) unknownOption(op, key, namesOf(known));
    if (!typed) continue;
    const v = (options as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const expected = mismatch(v, (known as Record<string, OptionType>)[key]);
    if (expected !== null) throw new TypeError(`${op}: option '${key}' must be ${expected}, got ${describeValue(v)}`);
  }
  return options;
}

function namesOf(known: OptionSpec): readonly string[] {
  return Array.isArray(known) ? (known as readonly string[]) : Object.keys(known);
}

function unknownOption(op: string, key: string, names: readonly string[]): never {
  const c = camel(key);
  const near = names.find((n) => n === c || n.toLowerCase() === key.toLowerCase() || n.toLowerCase() === c.toLowerCase());
  throw new TypeError(`${op}: unknown option '${key}'${near ? ` (did you mean '${near}'?)` : ''}; known options: ${names.length ? names.join(', ') : 'none'}`);
}

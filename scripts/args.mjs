// The one argument parser of the examples, scripts and bench: node:util parseArgs in strict
// mode, so a typo is refused instead of silently ignored (exit code 2 and the usage line on
// stderr, as Unix tools do), and --help / -h prints the usage.
import { parseArgs } from 'node:util';

/**
 * Parses process.argv (or `args`) against `spec`: { name: { type: 'boolean' | 'string' |
 * 'integer' | 'choice', default?, min?, max?, choices?, short? } }. 'integer' values come back as
 * numbers, checked against min/max; 'choice' values must be one of `choices`. Exits the process on
 * --help (0) and on anything not in the spec (2).
 * @param {string} usage the usage line, without the leading "usage: "
 * @param {Record<string, { type: 'boolean' | 'string' | 'integer' | 'choice', default?: unknown, min?: number, max?: number, choices?: string[], short?: string }>} [spec]
 * @param {string[]} [args]
 * @returns {Record<string, unknown>}
 */
export function parseCli(usage, spec = {}, args = process.argv.slice(2)) {
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec)) {
    options[name] = { type: o.type === 'boolean' ? 'boolean' : 'string', ...(o.short ? { short: o.short } : {}) };
  }
  let values;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (e) {
    // Node's message goes on to suggest `--` for positionals, which are refused here anyway
    refuse(usage, String(e instanceof Error ? e.message : e).split('. To specify')[0]);
  }
  if (values.help) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  const out = {};
  for (const [name, o] of Object.entries(spec)) {
    const v = values[name];
    out[name] = v === undefined ? o.default : o.type === 'integer' ? integer(usage, name, v, o.min, o.max)
      : o.type === 'choice' ? choice(usage, name, v, o.choices) : v;
  }
  return out;
}

/** Prints why and the usage line on stderr and exits with code 2 (a usage error). */
export function refuse(usage, why) {
  process.stderr.write(`${why}\nusage: ${usage}\n`);
  process.exit(2);
}

function integer(usage, name, text, min = -Infinity, max = Infinity) {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` ≥ ${min}` : '';
    refuse(usage, `--${name} needs an integer${range}, not '${text}'`);
  }
  return n;
}

function choice(usage, name, text, choices = []) {
  if (!choices.includes(text)) refuse(usage, `--${name} needs one of ${choices.join(', ')}, not '${text}'`);
  return text;
}

// Running the chosen cases one after the other, shared by bench/run.ts (Node) and the browser
// suite (bench/web/entry.ts): each case's row, its ratios to the peers and its wall time.
import type { Case, Row } from './lib.js';

/** One case's outcome, as the table and the JSON file show it. */
export interface CaseResult { family: string; case: string; row: Row; ratios: Record<string, number | null>; seconds: number }
export interface Suite { results: CaseResult[]; failed: string[]; seconds: number }
export interface Family { family: string; c: Case }

/** The command line both runners take (scripts/args.mjs parseCli's spec) and what it gives. */
export const SUITE_OPTIONS = {
  filter: { type: 'string', default: '' },
  json: { type: 'string' },
  quick: { type: 'boolean', default: false },
  threads: { type: 'integer', default: 1, min: 1 },
} as const;
export interface SuiteArgs { filter: string; json?: string; quick: boolean; threads: number }
export const suiteUsage = (script: string): string => `npx tsx ${script} [--filter SUBSTR] [--json FILE] [--quick] [--threads N]`;

/** The cases whose name contains `filter`; throws if two cases share a name. */
export function choose(all: Family[], filter: string): Family[] {
  const names = new Set<string>();
  for (const { c } of all) { if (names.has(c.name)) throw new Error(`two cases are named '${c.name}'`); names.add(c.name); }
  return all.filter(({ c }) => c.name.includes(filter));
}

/** Runs `chosen` in order; a case that throws is reported through `log` and listed as failed. */
export async function runCases(chosen: Family[], quick: boolean, log: (line: string) => void): Promise<Suite> {
  const failed: string[] = [];
  const t0 = performance.now();
  const results: CaseResult[] = [];
  for (const { family, c } of chosen) {
    log(`${family}: ${c.name}`);
    // each case's wall time (set-up, checks, warm-up, sampling): the suite has a budget of 3 minutes
    const tc = performance.now();
    let row: Row;
    try {
      row = await c.run({ quick, log });
    } catch (e) {
      // reported here: TensorFlow.js's wasm module rethrows uncaught errors with its whole source
      log(`FAILED ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
      failed.push(c.name);
      continue;
    }
    const ratio = (lib: 'tfjs' | 'jax'): number | null => (row[lib] && row.wasmtorch ? row[lib]!.seconds / row.wasmtorch.seconds : null);
    const caseSeconds = (performance.now() - tc) / 1000;
    log(`  (${caseSeconds.toFixed(1)} s)`);
    results.push({ family, case: c.name, row, ratios: { 'tfjs/ours': ratio('tfjs'), 'jax/ours': ratio('jax') }, seconds: Number(caseSeconds.toFixed(2)) });
  }
  return { results, failed, seconds: (performance.now() - t0) / 1000 };
}

// The embedded copy of the kernels, for runtimes that compile bytes but have no file beside the
// bundle (browsers, Deno, Bun, edge functions). A module of its own, imported on demand by init():
// Node reads the .wasm file instead and never parses the 200 KB of base64 (about 15 ms of import).
// scripts/build.mjs keeps wasm_bytes.js a separate file of the package; the workerd build replaces
// this module with one that embeds nothing (its kernels arrive as a compiled module).

/** Whether this build carries embedded kernels (false in the workerd build). */
export const EMBEDDED = true;

/** The base64 of the SIMD and relaxed-SIMD builds (scripts/embed-wasm.mjs). */
export async function embeddedBase64(): Promise<{ simd: string; relaxed: string }> {
  const m = await import('./wasm_bytes.js');
  return { simd: m.WASM_BASE64, relaxed: m.WASM_RELAXED_BASE64 };
}

// A `.wasm` import as workerd, wrangler and Vite's `?module` give it: a compiled module.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

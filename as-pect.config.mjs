export default {
  entries: ['tests/kernels/**/*.spec.ts'],
  include: ['tests/kernels/**/*.include.ts'],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};

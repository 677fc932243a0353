/** Import rules checked by `npm run lint`: no import cycle anywhere in src/, type-only imports included. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must form layers (see DESIGN.md, Layers); a cycle, even through `import type`, means two folders depend on each other.',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // count `import type` and type-only re-exports, which tsc erases before a bundler would see them
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
}

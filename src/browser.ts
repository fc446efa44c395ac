/**
 * nabla's browser entry point: everything of the package root (src/index.ts) that works without
 * Node.js, from the same sources (src/core-exports.ts, which both re-export).
 * scripts/build-playground.mjs bundles it with esbuild for the platform 'browser' into one ES
 * module (`nabla.js`) and fails when any Node-only module (node:fs, node:zlib, ...) would reach
 * the bundle.
 *
 * Left out, because they read or write files: the data file loaders (loadMnist, loadIris, readCsv,
 * ...), saveModel / saveCheckpoint / loadCheckpoint and the modelCheckpoint callback. `loadModel`
 * is here: in a browser it takes an http(s) URL of a model directory (fetched) or the two files'
 * bytes `{ modelJson, weights }`.
 *
 * Backends: 'wasm' is the default where it loads, as in Node. Its memory is a shared
 * WebAssembly.Memory, which a browser grants only to cross-origin isolated pages (served with
 * COOP/COEP headers); elsewhere the 'js' backend is used. In a browser the wasm backend runs on one
 * thread (the calling one: run training in a Web Worker so the page never blocks). As the Node
 * entry, importing this module loads nothing: call `await ready()` (or `await setBackend(...)`)
 * before building a model; a browser cannot compile the WebAssembly module synchronously, so a
 * synchronous use before that throws an Error saying so (never a silent switch to 'js').
 */

export * from './core-exports.js';

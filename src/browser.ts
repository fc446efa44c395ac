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
 * thread (the calling one: run training in a Web Worker so the page never blocks). This module
 * finishes loading (top-level await) once the WebAssembly module has compiled, so an import of it
 * is ready to train at once; hence it is for `import`, not `require`.
 */
import { defaultBackendReady } from './kernels/index.js';

export * from './core-exports.js';

await defaultBackendReady();

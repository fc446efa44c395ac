/**
 * Node's built-in modules, synchronously, from code that also runs in browsers (no static
 * `node:` import may reach the browser bundle). It lets the kernels choose and load the default
 * backend while their module loads, without a top-level await, so `require('nabla')` works
 * (Node's require() of an ES module refuses a graph with top-level await).
 */

/**
 * The built-in module `id` (e.g. 'node:os') through process.getBuiltinModule (Node >= 20.16 and
 * >= 22.3), or null where there is none (browsers, older Node).
 */
export function nodeBuiltin<T>(id: string): T | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof p?.getBuiltinModule !== 'function') return null;
  return (p.getBuiltinModule(id) as T | undefined) ?? null;
}

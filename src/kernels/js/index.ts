/**
 * The 'js' backend: the TypeScript reference kernels. Simple and obviously right; the oracle the
 * WebAssembly kernels are tested against. Buffers are plain typed arrays on the JavaScript heap.
 *
 * Its kernels are the functions of the modules below named as the kernel table's rows
 * (KERNEL_NAMES, generated from the table): a kernel whose reference is missing, or whose
 * signature differs from its row's, does not compile (`satisfies BackendKernels`), and a new
 * kernel's reference in one of these modules needs no line here.
 */
import { allocArray } from '../../tensor/tensor.js';
import type { Backend, BackendKernels } from '../backend.js';
import { KERNEL_NAMES } from '../backend-kernels.generated.js';
import * as activations from './activations.js';
import * as batchnorm from './batchnorm.js';
import * as conv from './conv.js';
import * as elementwise from './elementwise.js';
import * as gemm from './gemm.js';
import * as losses from './losses.js';
import * as opsElementwise from './ops-elementwise.js';
import * as opsReduce from './ops-reduce.js';
import * as opsShape from './ops-shape.js';
import * as pool from './pool.js';
import * as recurrent from './recurrent.js';

/** Every reference kernel (and whatever else the modules export), checked against the interface. */
const references = {
  ...activations, ...batchnorm, ...conv, ...elementwise, ...gemm, ...losses,
  ...opsElementwise, ...opsReduce, ...opsShape, ...pool, ...recurrent,
} satisfies BackendKernels;

/**
 * The kernels of `references` named by the table, and nothing else. (The cast only forgets which
 * names: `references` satisfies BackendKernels and KERNEL_NAMES lists exactly its keys, both
 * generated from the same rows; test/kernels/backend-kernels.test.ts checks the result.)
 */
const kernels = Object.fromEntries(KERNEL_NAMES.map((name) => [name, references[name]])) as unknown as BackendKernels;

/** The 'js' backend: the TypeScript reference kernels, the fallback where WebAssembly is missing and the oracle of the wasm kernels' tests. */
export const jsBackend: Backend = {
  name: 'js',
  alloc: (dtype, length) => allocArray(dtype, length),
  free: () => { /* the garbage collector owns JavaScript heap buffers */ },
  ...kernels,
};

/**
 * io/: the files a user keeps (docs/design.md, "Files a user keeps").
 *
 * - safetensors: {@link encodeSafetensors} / {@link decodeSafetensors}, the weights format.
 * - files (Node.js only): {@link writeFileAtomic}, {@link writeModelDir}, {@link recoverModelDir}:
 *   writes that never leave a half-written file or model; {@link readFileBytes},
 *   {@link readSafetensorsFile}, {@link writeSafetensorsFile}.
 * - validate: {@link ModelFileError} and the `expect*` checks for model.json / training.json.
 */
export {
  encodeSafetensors,
  decodeSafetensors,
  SAFETENSORS_MAX_HEADER_BYTES,
} from './safetensors.js';
export type { SafetensorsDtype, SafetensorsEntry, DecodedSafetensors } from './safetensors.js';
export {
  writeFileAtomic,
  writeModelDir,
  recoverModelDir,
  readFileBytes,
  readSafetensorsFile,
  writeSafetensorsFile,
  FileWriteError,
} from './files.js';
export type { WriteFileAtomicOptions, WriteModelDirOptions, RecoverModelDirResult } from './files.js';
export {
  ModelFileError,
  fileLabel,
  fieldPath,
  describeValue,
  failField,
  expectObject,
  expectKeys,
  expectArray,
  expectString,
  expectOneOf,
  expectBoolean,
  expectNumber,
  expectInteger,
  expectPositiveInteger,
  expectNonNegativeInteger,
  expectNumberArray,
  expectIntegerArray,
  expectShape,
  expectStringArray,
  expectStringRecord,
  parseJsonFile,
} from './validate.js';
export type { NumberBounds } from './validate.js';

/**
 * The option checks of the layers: the shared ones of src/validate.ts (one error vocabulary:
 * an unknown key or a wrong type is a TypeError, a value out of range a RangeError).
 */
export { checkKeys, positiveInt, numberIn } from '../validate.js';

/**
 * The option checks of the optimisers and the learning-rate schedules: the shared ones of
 * src/validate.ts (one error vocabulary: an unknown key or a wrong type is a TypeError, a value
 * out of range a RangeError).
 */
export {
  describe, checkOptionKeys, positiveFinite, nonNegativeFinite, unitInterval, closedUnitInterval, boolean, withDefault,
} from '../validate.js';

/**
 * Raised when a training step's loss is NaN or infinite. The step's update was not applied: the
 * weights are those from before the batch. epoch and batch count from 1 in the message and from 0
 * in the properties (as callbacks see them).
 */
export class NonFiniteLossError extends Error {
  /** Always 'E_NON_FINITE_LOSS' (src/errors.ts lists the codes). */
  readonly code = 'E_NON_FINITE_LOSS' as const;
  constructor(readonly loss: number, readonly epoch = -1, readonly batch = -1) {
    super(epoch >= 0
      ? `loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1} (counting from 1); training stopped and the weights from before that batch are kept. Try a smaller learningRate, clipnorm, or check the data for extreme values.`
      : `loss became ${loss}; the update was not applied and the weights from before this batch are kept`);
    this.name = 'NonFiniteLossError';
  }
}

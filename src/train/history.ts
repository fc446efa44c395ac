/** The record fit() returns (Keras History): epoch indices and one list per logged quantity. */
export class History {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> & { loss: number[]; accuracy?: number[]; val_loss?: number[]; val_accuracy?: number[] } = { loss: [] };

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }

  /** A plain JSON object, as saved in model.json. */
  toJSON(): { epoch: number[]; history: Record<string, number[]> } {
    return { epoch: [...this.epoch], history: Object.fromEntries(Object.entries(this.history).map(([k, v]) => [k, [...v]])) };
  }
}

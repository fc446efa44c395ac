/** The record fit() returns (Keras History): epoch indices and one list per logged quantity. */
export class History {
  readonly epoch: number[] = [];
  /**
   * One list per logged quantity. A prototype-free object, so a key such as `constructor` or
   * `__proto__` (a metric or log named so) is an ordinary entry, not an inherited property.
   */
  readonly history: Record<string, number[]> & { loss: number[]; accuracy?: number[]; val_loss?: number[]; val_accuracy?: number[] } =
    Object.assign(Object.create(null) as Record<string, number[]>, { loss: [] as number[] });

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      if (!Object.hasOwn(this.history, key)) Object.defineProperty(this.history, key, { value: [], enumerable: true, writable: true, configurable: true });
      this.history[key]!.push(value);
    }
  }

  /** A plain JSON object, as saved in model.json. */
  toJSON(): { epoch: number[]; history: Record<string, number[]> } {
    const history = Object.create(null) as Record<string, number[]>;
    for (const [k, v] of Object.entries(this.history)) Object.defineProperty(history, k, { value: [...v], enumerable: true, writable: true, configurable: true });
    return { epoch: [...this.epoch], history };
  }
}

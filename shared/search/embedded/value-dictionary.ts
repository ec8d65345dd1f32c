/** Numbers distinct strings in the order first seen, so columns can hold them as small integers. */
export class ValueDictionary {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];

  get size(): number {
    return this.values.length;
  }

  idOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** The id of a value already seen; -1 for one never seen. */
  find(value: string): number {
    return this.ids.get(value) ?? -1;
  }

  forEach(visit: (value: string, id: number) => void): void {
    this.values.forEach(visit);
  }

  value(id: number): string {
    const value = this.values[id];
    if (value === undefined) throw new RangeError(`No value has id ${id}.`);
    return value;
  }
}

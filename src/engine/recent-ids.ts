/**
 * The last `capacity` ids added, for "have I seen this one?" checks that
 * forget the oldest first. A `Set` alone evicting through
 * `values().next()` would be quadratic: V8 leaves deleted entries at the
 * front of its table until it rehashes, and each lookup of the oldest
 * steps over all of them (≈5 µs per eviction at 10,000 ids). Here the
 * insertion order lives in a ring, so an eviction costs one `delete`.
 */
export class RecentIds {
  readonly #capacity: number;
  readonly #members = new Set<string>();
  readonly #ring: string[] = [];
  /** Where the oldest id sits once the ring is full. */
  #oldest = 0;

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`RecentIds capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  has(id: string): boolean {
    return this.#members.has(id);
  }

  get size(): number {
    return this.#members.size;
  }

  /** Adds `id` unless it is already there; past capacity, the oldest id is forgotten. */
  add(id: string): void {
    if (this.#members.has(id)) return;
    this.#members.add(id);
    if (this.#ring.length < this.#capacity) {
      this.#ring.push(id);
      return;
    }
    this.#members.delete(this.#ring[this.#oldest]);
    this.#ring[this.#oldest] = id;
    this.#oldest = (this.#oldest + 1) % this.#capacity;
  }

  clear(): void {
    this.#members.clear();
    this.#ring.length = 0;
    this.#oldest = 0;
  }
}

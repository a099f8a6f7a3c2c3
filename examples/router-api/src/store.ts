/**
 * The API's data: an in-memory store of items (a real function would use DynamoDB or a database).
 * @module
 */

/** One item of the API. */
export interface Item {
  readonly id: string
  readonly name: string
}

/** Items in memory, with ids `1`, `2`, … in creation order. */
export class ItemStore {
  readonly #items = new Map<string, Item>()
  #next = 1

  /** Every item, oldest first. */
  list(): Item[] {
    return [...this.#items.values()]
  }

  /** The item with this id, or `undefined`. */
  get(id: string): Item | undefined {
    return this.#items.get(id)
  }

  /** Stores a new item and returns it. */
  create(name: string): Item {
    const item = { id: String(this.#next++), name }
    this.#items.set(item.id, item)
    return item
  }

  /** Removes an item; whether it was there. */
  delete(id: string): boolean {
    return this.#items.delete(id)
  }
}

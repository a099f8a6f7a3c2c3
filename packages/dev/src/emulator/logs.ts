/** How much runtime output an emulator keeps for `EmulatorInvokeResult.logs` and `LogType: Tail`. */
const LOG_LIMIT = 256 * 1024

/**
 * The runtime's output as one text (START/END/REPORT lines included), trimmed to the last ~256 KB. Offsets
 * are absolute (`mark()`), so an invocation's slice stays right after older text is dropped.
 */
export class LogBuffer {
  #text = ''
  #base = 0

  /** Appends output. */
  append(text: string): void {
    this.#text += text
    if (this.#text.length > LOG_LIMIT) {
      const drop = this.#text.length - LOG_LIMIT / 2
      this.#text = this.#text.slice(drop)
      this.#base += drop
    }
  }

  /** The absolute offset of the next character appended. */
  mark(): number {
    return this.#base + this.#text.length
  }

  /** What was appended since `mark` (what is still kept of it). */
  since(mark: number): string {
    return this.#text.slice(Math.max(0, mark - this.#base))
  }
}

import type { CoreObserver } from '../observe/index'

/**
 * The installed observer, or `undefined` (the usual case). Event sites check it with one branch,
 * so an unobserved stack pays nothing; set through `setObserver`.
 */
export let observer: CoreObserver | undefined

/** Replaces the observer; returns the previous one. */
export function installObserver(next: CoreObserver | undefined): CoreObserver | undefined {
  const previous = observer
  observer = next
  return previous
}

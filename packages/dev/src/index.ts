/**
 * `@turret/dev`: the `turret` command and the programmatic API tests use (invoke, dev server,
 * Lambda emulator).
 * @module
 */
export const version = '0.1.0'

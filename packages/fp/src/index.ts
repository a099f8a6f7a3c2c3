/**
 * `@turret/fp`: fp-ts interop for turret services and layers.
 * @module
 */
export {}

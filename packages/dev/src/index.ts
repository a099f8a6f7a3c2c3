/**
 * `@turret/dev`: the `turret` command and the programmatic API tests use (invoke, dev server,
 * Lambda emulator).
 * @module index
 */
/** The version of `@turret/dev` (and of the `turret` command). */
export const version = '0.1.0'
export { type CliIo, main } from './cli/index'
export { type DevOptions, type DevServer, dev, EVENT_SOURCES, type EventSource } from './dev-server/index'
export {
  type Emulator,
  type EmulatorOptions,
  type FunctionErrorPayload,
  type InvokeOptions,
  type InvokeResult,
  MAX_ASYNC_PAYLOAD,
  MAX_STREAMED_RESPONSE,
  MAX_SYNC_PAYLOAD,
  startEmulator,
} from './emulator/index'
export { type ErrorDocument, type InvokeModuleOptions, type InvokeModuleResult, invoke } from './invoke/index'

/**
 * `@turret/dev`: the `turret` command and the programmatic API tests use (invoke, dev server,
 * Lambda emulator).
 * @module index
 */
export { type DevEventSource, type DevOptions, type DevServer, dev } from './dev-server/index'
export {
  type Emulator,
  type EmulatorInvokeOptions,
  type EmulatorInvokeResult,
  type EmulatorOptions,
  type FunctionErrorPayload,
  MAX_ASYNC_PAYLOAD,
  MAX_STREAMED_RESPONSE,
  MAX_SYNC_PAYLOAD,
  startEmulator,
} from './emulator/index'
export { type ErrorDocument, type InvokeModuleOptions, type InvokeModuleResult, invoke } from './invoke/index'

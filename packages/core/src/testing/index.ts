/**
 * `@turret/core/testing`: tower-test for TypeScript — a mock service driven by a handle, and a
 * controllable clock.
 * @module
 */
export { flush, TestClock } from './clock'
export { type MockHandle, type MockRequest, mockService, type Responder } from './mock'

/** Shared by the emulator's test files: start an emulator (closed after each test). */
import { afterEach } from 'vitest'
import { type Emulator, startEmulator } from './index'

const emulators: Emulator[] = []
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})

/** Starts an emulator for function `fn` with `options`, closed after the test. */
export async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  const emu = await startEmulator({ functionName: 'fn', ...options })
  emulators.push(emu)
  return emu
}

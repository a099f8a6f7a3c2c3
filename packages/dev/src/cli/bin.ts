#!/usr/bin/env node
import { main } from './index'

/** Exits once what was written to stdout and stderr has been flushed (pipes are asynchronous). */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}

main(process.argv.slice(2)).then(exit, (error: unknown) => {
  console.error(error)
  exit(1)
})

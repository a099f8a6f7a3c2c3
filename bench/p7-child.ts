/**
 * Measures one P7 contender on one route set in this fresh process (so no contender's lookups share JIT feedback
 * with another's): `p7-child.ts <all|classic> <contender> [--smoke]`. Prints lookups per second, or `null` when
 * the router refuses the route set.
 */
import { lookupsPerSecondOf } from './p7-router'

const [set, name] = process.argv.slice(2)
if (set !== 'all' && set !== 'classic') {
  console.error(`unknown route set ${set}`)
  process.exit(2)
}
const result = await lookupsPerSecondOf(set, name ?? '', { smoke: process.argv.includes('--smoke') })
process.stdout.write(`${JSON.stringify(result ?? null)}\n`)

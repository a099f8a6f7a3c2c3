/** Measures P2's adapter own cost for one event source in this fresh process: `p2-own-cost.ts <v2|v1|alb> [--smoke]`. */
import { ownCost } from './p2-adapter'

const source = process.argv[2]
if (source !== 'v2' && source !== 'v1' && source !== 'alb') {
  console.error(`unknown event source ${source}`)
  process.exit(2)
}
const result = await ownCost(source, { smoke: process.argv.includes('--smoke') })
process.stdout.write(`${JSON.stringify(result)}\n`)

/**
 * tower's `util`: the combinators every service can take, and call-all.
 * @module
 */
export { andThen } from './and-then'
export { callAll, callAllUnordered } from './call-all'
export { either } from './either'
export { type AsyncPredicate, filter, filterAsync, type Predicate } from './filter'
export { mapErr } from './map-err'
export { mapRequest } from './map-request'
export { mapResponse } from './map-response'
export { mapResult, mapResultAsync } from './map-result'
export { optionLayer } from './option-layer'

import type { AttributeValue, DynamoDBRecord } from 'aws-lambda'
import { InvalidEventError } from './batch'

/** How DynamoDB numbers (`N`, `NS`) are unmarshalled. */
export type NumberMode = 'number' | 'bigint' | 'string'

/** Options of {@link unmarshall}. */
export interface UnmarshallOptions {
  /**
   * `'number'`: a JS number (an integer outside the safe range throws rather than lose digits);
   * `'bigint'`: integers as `bigint`, decimals as numbers; `'string'`: the exact text.
   * Defaults to `'number'`.
   */
  readonly numbers?: NumberMode | undefined
}

/** A plain JS value unmarshalled from DynamoDB JSON. */
export type DynamoValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | DynamoValue[]
  | { [key: string]: DynamoValue }
  | Set<string>
  | Set<number | bigint | string>
  | Set<Uint8Array>

function toNumber(text: string, mode: NumberMode): number | bigint | string {
  if (mode === 'string') return text
  const isInteger = /^-?\d+$/.test(text)
  if (mode === 'bigint' && isInteger) return BigInt(text)
  const n = Number(text)
  if (!Number.isFinite(n)) throw new InvalidEventError(`invalid DynamoDB number: ${text}`)
  if (mode === 'number' && isInteger && !Number.isSafeInteger(n)) {
    throw new InvalidEventError(`DynamoDB number ${text} does not fit a JS number; use { numbers: 'bigint' }`)
  }
  return n
}

function bytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'))
}

/**
 * Converts one DynamoDB `AttributeValue` (`{"S": "x"}`, `{"N": "1"}`, `{"M": {...}}`, …) to a plain value,
 * without an SDK: S, N, B (bytes), BOOL, NULL, M, L, SS / NS / BS (as `Set`s).
 *
 * @example
 * ```ts
 * unmarshallValue({ L: [{ N: '1' }, { S: 'a' }] }) // [1, 'a']
 * ```
 */
export function unmarshallValue(value: AttributeValue, options: UnmarshallOptions = {}): DynamoValue {
  const mode = options.numbers ?? 'number'
  const v = value as Partial<Record<string, unknown>>
  if (v.S !== undefined) return v.S as string
  if (v.N !== undefined) return toNumber(v.N as string, mode)
  if (v.BOOL !== undefined) return v.BOOL as boolean
  if (v.NULL !== undefined) return null
  if (v.B !== undefined) return bytes(v.B as string)
  if (v.M !== undefined) return unmarshall(v.M as Record<string, AttributeValue>, options)
  if (v.L !== undefined) return (v.L as AttributeValue[]).map((item) => unmarshallValue(item, options))
  if (v.SS !== undefined) return new Set(v.SS as string[])
  if (v.NS !== undefined) return new Set((v.NS as string[]).map((n) => toNumber(n, mode)))
  if (v.BS !== undefined) return new Set((v.BS as string[]).map(bytes))
  throw new InvalidEventError(`unknown DynamoDB attribute value: ${Object.keys(v).join(',') || '{}'}`)
}

/**
 * Converts a DynamoDB image (a map of attribute values) to a plain object.
 *
 * @example
 * ```ts
 * unmarshall({ id: { S: 'a' }, n: { N: '2' } }) // { id: 'a', n: 2 }
 * ```
 */
export function unmarshall<T = Record<string, DynamoValue>>(
  image: Readonly<Record<string, AttributeValue>>,
  options: UnmarshallOptions = {},
): T {
  const out: Record<string, DynamoValue> = {}
  for (const [key, value] of Object.entries(image)) out[key] = unmarshallValue(value, options)
  return out as T
}

/** The images of a DynamoDB Streams record, unmarshalled. */
export interface DynamoImages<T> {
  /** `INSERT`, `MODIFY` or `REMOVE`. */
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE' | undefined
  /** The item's key attributes. */
  readonly keys: Partial<T> | undefined
  /** The item after the change (INSERT, MODIFY with NEW_IMAGE). */
  readonly newImage: T | undefined
  /** The item before the change (MODIFY, REMOVE with OLD_IMAGE). */
  readonly oldImage: T | undefined
}

/**
 * Unmarshals the keys and images of a DynamoDB Streams record.
 *
 * @example
 * ```ts
 * const { eventName, newImage } = dynamodbImages<User>(record)
 * ```
 */
export function dynamodbImages<T = Record<string, DynamoValue>>(
  record: DynamoDBRecord,
  options: UnmarshallOptions = {},
): DynamoImages<T> {
  const d = record.dynamodb
  return {
    eventName: record.eventName,
    keys: d?.Keys ? unmarshall<Partial<T>>(d.Keys, options) : undefined,
    newImage: d?.NewImage ? unmarshall<T>(d.NewImage, options) : undefined,
    oldImage: d?.OldImage ? unmarshall<T>(d.OldImage, options) : undefined,
  }
}

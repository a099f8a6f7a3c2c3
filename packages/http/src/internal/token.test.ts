import { expect, it } from 'vitest'
import { isHeaderValue, isToken } from './token'

const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

it('isToken accepts exactly the RFC 9110 tchar, one or more', () => {
  for (let code = 0; code < 0x180; code++) {
    const c = String.fromCharCode(code)
    expect([c, isToken(c)]).toEqual([c, TCHAR.includes(c)])
    expect(isToken(`x${c}y`)).toBe(TCHAR.includes(c))
  }
  expect(isToken('')).toBe(false)
  expect(isToken(TCHAR)).toBe(true)
  expect(isToken('content-type')).toBe(true)
  expect(isToken('GET ')).toBe(false)
  expect(isToken('x\ny')).toBe(false)
})

it("isToken agrees with fetch's Headers on every Latin-1 header name", () => {
  for (let code = 0; code < 0x100; code++) {
    const name = `a${String.fromCharCode(code)}`
    let accepted = true
    try {
      new Headers([[name, 'v']])
    } catch {
      accepted = false
    }
    expect([code, isToken(name)]).toEqual([code, accepted])
  }
})

it('isHeaderValue refuses NUL, CR and LF only', () => {
  for (let code = 0; code < 0x180; code++) {
    const c = String.fromCharCode(code)
    expect([code, isHeaderValue(`a${c}b`)]).toEqual([code, code !== 0 && code !== 10 && code !== 13])
  }
  expect(isHeaderValue('')).toBe(true)
  expect(isHeaderValue('a\r\nset-cookie: x')).toBe(false)
  expect(isHeaderValue('€')).toBe(true)
})

it("isHeaderValue agrees with fetch's Headers on trimmed Latin-1 values", () => {
  for (let code = 0; code < 0x100; code++) {
    const value = `a${String.fromCharCode(code)}b`
    let accepted = true
    try {
      new Headers([['x', value]])
    } catch {
      accepted = false
    }
    expect([code, isHeaderValue(value)]).toEqual([code, accepted])
  }
})

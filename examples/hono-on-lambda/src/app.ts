/**
 * An ordinary Hono app: it knows nothing of turret or Lambda. turret wraps it from the outside.
 * @module
 */
import { Hono } from 'hono'

/** The app: a greeting, a JSON echo, a large payload (compressible), a slow route (for the timeout). */
export const app = new Hono()
  .get('/', (c) => c.text('Hello from Hono, wrapped by turret!'))
  .get('/hello/:name', (c) => c.json({ hello: c.req.param('name'), requestId: c.req.header('x-request-id') ?? null }))
  .post('/echo', async (c) => c.json({ received: await c.req.json() }, 201))
  .get('/big', (c) => c.json({ items: Array.from({ length: 500 }, (_, i) => ({ i, text: `item number ${i}` })) }))
  .get('/slow', async (c) => {
    const ms = Number(c.req.query('ms') ?? '50')
    await new Promise((resolve) => setTimeout(resolve, ms))
    return c.text(`slept ${ms} ms`)
  })

import 'dotenv/config'
import * as fs from 'node:fs'
import sourceMapSupport from 'source-map-support'

if (process.env.MOCKS === 'true') {
	await import('./tests/mocks/index.ts')
}

await import('./server/index.ts')

import express from 'express'
import getPort, { portNumbers } from 'get-port'

const MODE = process.env.NODE_ENV ?? 'development'
const IS_PROD = MODE === 'production'
const IS_DEV = MODE === 'development'
const BUILD_PATH = '../build/server/index.js'

const app = express()

if (IS_DEV) {
	console.log('Starting development server')
	const viteDevServer = await import('vite').then((vite) =>
		vite.createServer({
			server: { middlewareMode: true },
			// We tell Vite we are running a custom app instead of
			// the SPA default so it doesn't run HTML middleware
			appType: 'custom',
		}),
	)
	app.use(viteDevServer.middlewares)
} else {
	console.log('Starting production server')
	app.use(await import(BUILD_PATH).then((mod) => mod.app))
}

const desiredPort = Number(process.env.PORT || 3000)
const portToUse = await getPort({
	port: portNumbers(desiredPort, desiredPort + 100),
})
const server = app.listen(portToUse, () => {
})

import Fastify from 'fastify'
import fp from 'fastify-plugin'
import closeWithGrace from 'close-with-grace'
import serviceApp from './app.js'

const app = Fastify({
  logger: getLoggerOptions(),
})

async function init () {
  app.register(fp(serviceApp))
  await app.ready()

  try {
    // Start listening.
    await app.listen({ port: process.env.PORT ?? 3000 })
  } catch (err) {
    app.log.error(err)
    process.exit(1)
  }
}

init()

import { swaggerUI } from '@hono/swagger-ui'
import { honoApp } from './config/hono'
import { api } from './route'
import errorUtil from './util/error-util'

const app = honoApp()

app.route('/api/v1', api)

export default app

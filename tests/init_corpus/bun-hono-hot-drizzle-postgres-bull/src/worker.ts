import { logger } from './config/logging'
import { transporter } from './config/mail'
import { emailQueue } from './config/queue'

emailQueue.process(async (job) => {
})

import mysql, { FieldPacket } from 'mysql2/promise'
import Postgrator from 'postgrator'

async function doMigration (): Promise<void> {
  const connection = await mysql.createConnection({
    multipleStatements: true,
    host: process.env.MYSQL_HOST,
    port: Number(process.env.MYSQL_PORT),
    database: process.env.MYSQL_DATABASE,
    user: process.env.MYSQL_USER,
    password: process.env.MYSQL_PASSWORD
  })
    await postgrator.migrate()
}

doMigration()

const http = require("http");
const { Pool } = require("pg");

const GREETING = "hello";
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

// Each request inserts a row in Postgres, then counts the rows.
async function visit() {
  await pool.query("CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY)");
  await pool.query("INSERT INTO visits DEFAULT VALUES");
  const { rows } = await pool.query("SELECT count(*) AS n FROM visits");
  return rows[0].n;
}

http.createServer((req, res) => {
  visit().then(
    (n) => { res.writeHead(200, { "Content-Type": "text/plain" }); res.end(`${GREETING} from node: visits=${n}`); },
    (err) => { res.writeHead(500); res.end(String(err)); },
  );
}).listen(Number(process.env.PORT), "0.0.0.0");

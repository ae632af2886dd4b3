import { Pool } from "pg";

const GREETING = "hello";

// Rendered on the server at each request: insert a row in Postgres, then count the rows.
export async function getServerSideProps() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  try {
    await pool.query("CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY)");
    await pool.query("INSERT INTO visits DEFAULT VALUES");
    const { rows } = await pool.query("SELECT count(*) AS n FROM visits");
    return { props: { visits: Number(rows[0].n) } };
  } finally {
    await pool.end();
  }
}

export default function Home({ visits }) {
  return <p id="visits">{`${GREETING} from nextjs: visits=${visits}`}</p>;
}

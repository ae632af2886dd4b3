const express = require("express");
const { createClient } = require("redis");

const GREETING = "hello";
const store = createClient({ url: process.env.REDIS_URL });
const app = express();

// Each request appends to a Redis list, then reads its length back.
app.get("/", async (req, res) => {
  await store.rPush("visits", "1");
  const visits = await store.lLen("visits");
  res.type("text/plain").send(`${GREETING} from express: visits=${visits}`);
});

store.connect().then(() => app.listen(Number(process.env.PORT), "0.0.0.0"));

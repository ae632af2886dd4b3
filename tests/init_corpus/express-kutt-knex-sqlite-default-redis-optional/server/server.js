const env = require("./env");

const cookieParser = require("cookie-parser");
const passport = require("passport");
const express = require("express");
const session = require("cookie-session");
const helmet = require("helmet");
const path = require("node:path");
const hbs = require("hbs");

const app = express();

app.listen(env.PORT, () => {
  console.log(`> Ready on http://localhost:${env.PORT}`);
});

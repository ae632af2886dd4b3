// Installs npm from the npm registry into /usr/local, checking the pinned integrity: as the
// official image does (it bundles npm with node). Debian's npm package would pull in ~700
// node-* packages and triple the build time of this image.
const crypto = require("crypto");
const fs = require("fs");
const https = require("https");
const { execFileSync } = require("child_process");

const [version, integrity] = process.argv.slice(2);
https.get(`https://registry.npmjs.org/npm/-/npm-${version}.tgz`, (response) => {
  if (response.statusCode !== 200) throw new Error(`npm ${version}: HTTP ${response.statusCode}`);
  const chunks = [];
  response.on("data", (chunk) => chunks.push(chunk));
  response.on("end", () => {
    const tarball = Buffer.concat(chunks);
    const got = "sha512-" + crypto.createHash("sha512").update(tarball).digest("base64");
    if (got !== integrity) throw new Error(`npm ${version}: integrity ${got}, expected ${integrity}`);
    fs.mkdirSync("/usr/local/lib/node_modules/npm", { recursive: true });
    execFileSync("tar", ["-xz", "-C", "/usr/local/lib/node_modules/npm", "--strip-components=1"], { input: tarball });
    for (const tool of ["npm", "npx"]) {
      fs.symlinkSync(`../lib/node_modules/npm/bin/${tool}-cli.js`, `/usr/local/bin/${tool}`);
    }
  });
}).on("error", (error) => { throw error; });

const isProduction = process.env.NODE_ENV === "production";
  isDevelopment && process.env.HOT_RELOAD === "true";
const redashBackend = process.env.REDASH_BACKEND || "http://localhost:5001";
  process.env.EXTENSIONS_DIRECTORY || path.join("client", "app", "extensions");
    process.env.REDASH_WEBPACK_OVERRIDES || "./scripts/webpack/overrides";
    app: [
    server: ["./client/app/assets/less/server.less"]
      url: require.resolve("url/"),
      release: process.env.BUILD_VERSION || "dev",
if (process.env.DEV_SERVER_HOST) {
  config.devServer.host = process.env.DEV_SERVER_HOST;
if (process.env.BUNDLE_ANALYZER) {

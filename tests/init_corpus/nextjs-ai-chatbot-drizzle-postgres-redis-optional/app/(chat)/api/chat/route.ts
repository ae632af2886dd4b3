import { createResumableStreamContext } from "resumable-stream";

function getStreamContext() {
  try {
    return createResumableStreamContext({ waitUntil: after });
  } catch (_) {
    return null;
  }
}

export { getStreamContext };

if (!process.env.REDIS_URL) {
  return;
}

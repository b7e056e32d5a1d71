// A stand-in for `haul serve` for the browser tests: the built UI over HTTP with the
// server's Content-Security-Policy, and the HTTP contract the UI's transport speaks —
// the session API (password, TOTP, lockout, CSRF), `POST /api/rpc/<cmd>`, events as SSE
// from `/api/events`, media from `/api/media/…` — all over the same fake core the other
// tests install in the page (fake-*.js), run here in a Node VM instead. What the real
// server does is tested by serve.test.mjs; this checks the UI's half of the contract.

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createContext, runInContext } from "node:vm";
import { mediaImage } from "./media.mjs";
import { DIST } from "./support.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));

/** The policy `haul serve` sends with every page. */
export const SERVE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png" };

/** Every event the core sends (bindings.ts `events`). */
const EVENTS = [
  "clipboard-offer-event",
  "history-changed-event",
  "launch-rejected-event",
  "library-changed-event",
  "library-progress-event",
  "people-changed-event",
  "progress-snapshot-event",
  "sources-changed-event",
  "update-available-event",
  "update-progress-event",
];

/** What only the desktop shell answers: `haul serve` says NotFound. */
const DESKTOP_ONLY = new Set(["clipboard_suggestion", "open_quick_add", "close_quick_add", "check_for_update", "pending_update", "download_update", "install_update"]);

/** The fake core (fake-*.js) in a VM of its own, as if it were the server's core. */
function coreInVm(options) {
  const window = {};
  const context = createContext({ window, setTimeout, clearTimeout, URL, URLSearchParams, console });
  for (const file of ["fake-library.js", "fake-faces.js", "fake-sources.js", "fake-stats.js", "fake-core.js"]) {
    runInContext(readFileSync(join(here, file), "utf8"), context, { filename: file });
  }
  context.options = JSON.parse(JSON.stringify(options));
  runInContext("installFakeCore(options)", context);
  return window;
}

const coreError = (code, message) => ({ code, message });

/**
 * Starts the fake server on 127.0.0.1 at a free port. `password` (and `totp`, a 6-digit
 * code, or none) log in; `lockAfter` wrong passwords in a row lock logins for `lockSeconds`.
 */
export async function startFakeServe({ core = {}, password = "correct horse", totp = null, lockAfter = 3, lockSeconds = 30 } = {}) {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/ is missing: run `npm run build` first.");
  const window = coreInVm(core);
  const internals = window.__TAURI_INTERNALS__;
  const sessions = new Map(); // id → { csrf }
  const streams = new Set();
  const log = [];
  let failures = 0;
  let lockedUntil = 0;

  for (const event of EVENTS) {
    const handler = internals.transformCallback(({ payload }) => {
      for (const stream of streams) stream.write(`event: ${event}\ndata: ${JSON.stringify(payload ?? null)}\n\n`);
    });
    void internals.invoke("plugin:event|listen", { event, target: { kind: "Any" }, handler });
  }

  function sessionOf(req) {
    const match = /(?:^|;\s*)haul_session=([^;]+)/.exec(req.headers.cookie ?? "");
    return match ? { id: match[1], ...sessions.get(match[1]) } : null;
  }

  const json = (res, status, body, headers = {}) => {
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  };

  async function bodyOf(req) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString("utf8");
    return text === "" ? {} : JSON.parse(text);
  }

  async function api(req, res, path) {
    const session = sessionOf(req);
    const known = session !== null && session.csrf !== undefined;
    const csrfOk = known && req.headers["x-csrf-token"] === session.csrf;

    if (path === "/api/session" && req.method === "GET") {
      if (!known) return json(res, 401, coreError("NotAuthenticated", "Log in first."));
      return json(res, 200, { user: "admin", csrf: session.csrf, expiresAt: Date.now() + 86_400_000, totpEnabled: totp !== null });
    }
    if (path === "/api/session" && req.method === "POST") {
      const body = await bodyOf(req);
      log.push({ login: body });
      if (Date.now() < lockedUntil) {
        const wait = Math.ceil((lockedUntil - Date.now()) / 1000);
        return json(res, 429, coreError("LockedOut", "Too many wrong passwords."), { "Retry-After": String(wait) });
      }
      if (body.password !== password) {
        failures += 1;
        if (failures >= lockAfter) lockedUntil = Date.now() + lockSeconds * 1000;
        return json(res, 401, coreError("NotAuthenticated", "Wrong password."));
      }
      if (totp !== null && body.totp !== totp) {
        return json(res, 401, coreError("TotpRequired", body.totp ? "That code is not right: try the current one." : "Enter the code from your authenticator app."));
      }
      failures = 0;
      const id = randomBytes(16).toString("hex");
      sessions.set(id, { csrf: randomBytes(16).toString("hex") });
      res.writeHead(204, { "Set-Cookie": `haul_session=${id}; HttpOnly; SameSite=Strict; Path=/` });
      return res.end();
    }
    if (path === "/api/session" && req.method === "DELETE") {
      if (!known) return json(res, 401, coreError("NotAuthenticated", "Log in first."));
      if (!csrfOk) return json(res, 403, coreError("CsrfRejected", "The request lacks its CSRF token."));
      sessions.delete(session.id);
      res.writeHead(204, { "Set-Cookie": "haul_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0" });
      return res.end();
    }
    if (!known) return json(res, 401, coreError("NotAuthenticated", "The session has expired."));

    if (path === "/api/events" && req.method === "GET") {
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
      res.write(": hello\n\n");
      const stream = Object.assign(res, { sessionId: session.id });
      streams.add(stream);
      req.on("close", () => streams.delete(stream));
      return undefined;
    }
    const media = /^\/api\/media\/(thumb|file|face)\/(\d+)$/.exec(path);
    if (media && req.method === "GET") {
      res.writeHead(200, { "Content-Type": "image/png", "Cache-Control": "private, max-age=600" });
      return res.end(mediaImage(media[1], Number(media[2])));
    }
    const rpc = /^\/api\/rpc\/([a-z_]+)$/.exec(path);
    if (rpc && req.method === "POST") {
      if (!csrfOk) return json(res, 403, coreError("CsrfRejected", "The request lacks its CSRF token."));
      const cmd = rpc[1];
      const args = await bodyOf(req);
      log.push({ cmd, args });
      if (DESKTOP_ONLY.has(cmd)) return json(res, 404, coreError("NotFound", `${cmd} is only in the desktop app.`));
      try {
        const value = await internals.invoke(cmd, args);
        if (value === null || value === undefined) {
          res.writeHead(204);
          return res.end();
        }
        return json(res, 200, value);
      } catch (error) {
        const refusal = error && typeof error.code === "string" ? { code: error.code, message: error.message } : coreError("Internal", String(error));
        return json(res, refusal.code === "NotFound" ? 404 : 400, refusal);
      }
    }
    return json(res, 404, coreError("NotFound", `No route ${req.method} ${path}.`));
  }

  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      if (path.startsWith("/api/")) return await api(req, res, path);
      let file = normalize(join(DIST, path));
      if (!file.startsWith(DIST + sep) || !existsSync(file) || path === "/") file = join(DIST, "index.html");
      res.writeHead(200, {
        "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
        "Content-Security-Policy": SERVE_CSP,
        "X-Content-Type-Options": "nosniff",
      });
      res.end(await readFile(file));
    } catch (error) {
      if (!res.headersSent) json(res, 500, coreError("Internal", String(error)));
      else res.end();
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}/`,
    /** What the browser sent: logins and commands, in order. */
    log: () => structuredClone(log),
    /** Calls a method of the fake core's test handle (window.__haulFake). */
    fake: (method, ...args) => window.__haulFake[method](...structuredClone(args)),
    /** Ends every session, as an expiry or a revocation does (open event streams close). */
    expireSessions() {
      sessions.clear();
      for (const stream of streams) stream.end();
      streams.clear();
    },
    openStreams: () => streams.size,
    close: () =>
      new Promise((ok) => {
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        server.close(() => ok(undefined));
      }),
  };
}

// Serves web/out statically and proxies /api, /v1, /ws (with WebSocket upgrades) to the engine,
// so the UI runs on the same origin as the API, as it will when the engine serves it.
// Test hooks (e2e only):
//   POST /__e2e/cut-ws      destroys every proxied WebSocket (a network cut mid-answer)
//   POST /__e2e/block-ws?on=1|0  refuses (or allows again) WebSocket upgrades
//   POST /__e2e/outage?on=1|0    an engine outage: every proxied request (API, /health) answers
//                                503 with no body, as a load balancer would, open sockets are cut
//                                and upgrades refused (or everything goes through again)
//
// Usage: node e2e/serve.mjs <engine-url> [port]   (or import { startServer })

import http from "node:http";
import net from "node:net";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, "..", "out");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

const PROXIED = /^\/(api|v1|ws|health)(\/|$)/;

export function startServer(engineUrl, port = 0) {
  const engine = new URL(engineUrl);
  const sockets = new Set();
  let blockWs = false;
  let outage = false;
  /** Proxied requests still open (event streams, long-polls): an outage cuts them too. */
  const open = new Set();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/__e2e/cut-ws") {
      for (const s of sockets) s.destroy();
      const n = sockets.size;
      sockets.clear();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ cut: n }));
      return;
    }
    if (url.pathname === "/__e2e/block-ws") {
      blockWs = url.searchParams.get("on") !== "0";
      res.writeHead(200).end(String(blockWs));
      return;
    }
    if (url.pathname === "/__e2e/outage") {
      outage = url.searchParams.get("on") !== "0";
      if (outage) {
        for (const s of sockets) s.destroy();
        sockets.clear();
        for (const r of open) r.destroy();
        open.clear();
      }
      res.writeHead(200).end(String(outage));
      return;
    }
    if (outage && PROXIED.test(url.pathname)) {
      req.resume();
      res.writeHead(503, { "content-type": "text/plain" }).end("Service Unavailable");
      return;
    }
    if (PROXIED.test(url.pathname)) {
      const upstream = http.request(
        {
          host: engine.hostname,
          port: engine.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: engine.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", () => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "upstream_unavailable", message: "engine unreachable" } }));
      });
      open.add(res);
      // The browser went away (e.g. an EventSource or long-poll closed): drop the upstream too.
      res.on("close", () => {
        open.delete(res);
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
      return;
    }
    // Static files; unknown paths fall back to index.html (the app routes by query string).
    let file = path.join(OUT, decodeURIComponent(url.pathname));
    if (!file.startsWith(OUT)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) file = path.join(OUT, "index.html");
    res.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
    });
    fs.createReadStream(file).pipe(res);
  });

  server.on("upgrade", (req, client, head) => {
    if (blockWs || outage || !PROXIED.test(req.url ?? "")) {
      client.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    const upstream = net.connect(Number(engine.port), engine.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i];
        const value = name.toLowerCase() === "host" ? engine.host : req.rawHeaders[i + 1];
        lines.push(`${name}: ${value}`);
      }
      upstream.write(lines.join("\r\n") + "\r\n\r\n");
      if (head?.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const pair = {
      destroy() {
        client.destroy();
        upstream.destroy();
      },
    };
    sockets.add(pair);
    const done = () => {
      sockets.delete(pair);
      pair.destroy();
    };
    upstream.on("error", done);
    client.on("error", done);
    upstream.on("close", done);
    client.on("close", done);
  });

  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${address.port}` });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const engineUrl = process.argv[2] ?? process.env.GRIZZ_E2E_URL ?? "http://127.0.0.1:18400";
  const port = Number(process.argv[3] ?? 3400);
  startServer(engineUrl, port).then(({ url }) => console.log(`serving web/out at ${url} → ${engineUrl}`));
}

/**
 * The official suite's client credential: a loopback forwarder in front of the local gateway that adds
 * `Authorization: Bearer <token>` to every request that carries none. The suite's server scenarios speak
 * to an MCP endpoint without authorization and have no option to send a header, while the gateway
 * refuses every request without a valid token (docs/conformance.md, "The official suite"). Everything
 * else passes through untouched, both ways and streamed (SSE answers are never buffered), except the
 * hop-by-hop headers and `Host`, which names the gateway as any reverse proxy's does: the gateway is
 * reached by its own hostname in a deployment, so only the `Origin` the client sent can be judged.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer } from "../gateway-local/issuer";

export interface CredentialForwarderOptions {
  /** The gateway's plain-HTTP loopback origin, `http://127.0.0.1:<port>`. */
  readonly target: string;
  /** The bearer token added to requests that carry no `Authorization` header. */
  readonly token: string;
}

export interface ForwardedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Whether the forwarder added the credential (false: the client sent its own). */
  readonly credentialAdded: boolean;
}

export interface CredentialForwarder {
  /** `http://127.0.0.1:<port>`: the origin to give the suite instead of the gateway's. */
  readonly url: string;
  readonly requests: readonly ForwardedRequest[];
  stop(): Promise<void>;
}

// RFC 9110 section 7.6.1: connection-specific, never forwarded; Host is the gateway's own.
const NOT_FORWARDED = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "host",
]);

function forwardedHeaders(raw: readonly string[], skip: ReadonlySet<string>): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? "";
    if (!skip.has(name.toLowerCase())) pairs.push([name, raw[i + 1] ?? ""]);
  }
  return pairs;
}

export async function startCredentialForwarder(
  options: CredentialForwarderOptions,
): Promise<CredentialForwarder> {
  const target = new URL(options.target);
  if (target.protocol !== "http:" || target.hostname !== "127.0.0.1") {
    throw new Error(`the forwarder only forwards to a plain-HTTP loopback gateway, not ${options.target}`);
  }
  const requests: ForwardedRequest[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const server = http.createServer((req, res) => {
    const credentialAdded = req.headers.authorization === undefined;
    const headers = forwardedHeaders(req.rawHeaders, NOT_FORWARDED);
    if (credentialAdded) headers.push(["Authorization", `Bearer ${options.token}`]);
    headers.push(["Host", target.host]);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: headers.flat(),
        agent,
      },
      (answer) => {
        requests.push({
          method: req.method ?? "",
          path: req.url ?? "",
          status: answer.statusCode ?? 0,
          credentialAdded,
        });
        const answerHeaders = forwardedHeaders(answer.rawHeaders, NOT_FORWARDED);
        res.writeHead(answer.statusCode ?? 502, answerHeaders.flat());
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`forwarder: ${error.message}`);
      } else res.destroy(error);
    });
    // A client that goes away (the suite closing an SSE stream) ends the upstream request too.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    async stop() {
      agent.destroy();
      await closeServer(server);
    },
  };
}

import * as http from "node:http";
import * as https from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import * as tls from "node:tls";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";

/**
 * HTTPS for the suite. Everything goes through node:https rather than the global fetch so that an
 * extra trust anchor (`--ca`) can be added without turning certificate validation off, and so that
 * negative checks see exact status codes, headers and chunk arrival times.
 */

export interface HttpRequest {
  readonly method: "GET" | "POST" | "DELETE";
  readonly url: URL | string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly timeoutMs?: number;
}

export interface HttpChunk {
  /** performance.now() when the chunk arrived. */
  readonly at: number;
  readonly text: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body, truncated to MAX_BODY_CHARS. */
  readonly body: string;
  readonly chunks: readonly HttpChunk[];
}

/** Bodies beyond this are drained but not kept: checks only look at error bodies and small results. */
const MAX_BODY_CHARS = 1 << 20;

/** A header's value, repeated headers joined as RFC 9110 allows. */
export function header(res: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

export interface HttpClientOptions {
  /** PEM trust anchors added to Node's bundled roots (never replacing validation). */
  readonly ca?: string;
  readonly timeoutMs: number;
  /**
   * Public origin -> plain-HTTP loopback origin that serves it (like curl's `--connect-to`): the local
   * gateway (`conformance:local`) serves `https://<gateway hostname>` on `http://127.0.0.1:<port>`, so the
   * suite keeps the URLs the policy advertises. Only loopback targets are accepted.
   */
  readonly connectTo?: Readonly<Record<string, string>>;
}

/** Whether `origin` is `http://127.0.0.1:<port>` or `http://[::1]:<port>`. */
function isLoopbackHttp(origin: string): boolean {
  try {
    const u = new URL(origin);
    return (
      u.protocol === "http:" && (u.hostname === "127.0.0.1" || u.hostname === "[::1]") && u.pathname === "/"
    );
  } catch {
    return false;
  }
}

export class HttpClient {
  /** The trust store every connection of the suite uses, TLS probes included. */
  readonly trust: readonly string[];
  private readonly agent: https.Agent;
  private readonly plainAgent: http.Agent;
  private readonly timeoutMs: number;
  private readonly connectTo: Readonly<Record<string, string>>;

  constructor(options: HttpClientOptions) {
    this.trust = options.ca === undefined ? [...tls.rootCertificates] : [...tls.rootCertificates, options.ca];
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca: [...this.trust] });
    this.plainAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    this.timeoutMs = options.timeoutMs;
    this.connectTo = options.connectTo ?? {};
    for (const [from, to] of Object.entries(this.connectTo)) {
      if (!isLoopbackHttp(to))
        throw new Error(`connectTo ${from}: ${to} is not a plain-HTTP loopback origin`);
    }
  }

  /** The loopback origin serving `url` instead of its own host, when there is one (no TLS then). */
  connectionFor(url: URL | string): string | undefined {
    return this.connectTo[new URL(url).origin];
  }

  /** The request function, target URL and agent for `url`, after `connectTo`. */
  private route(url: URL | string): {
    send: typeof https.request;
    target: URL;
    agent: http.Agent;
  } {
    const original = new URL(url);
    const local = this.connectionFor(original);
    if (local === undefined) return { send: https.request, target: original, agent: this.agent };
    const target = new URL(`${original.pathname}${original.search}`, local);
    return { send: http.request as typeof https.request, target, agent: this.plainAgent };
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      const chunks: HttpChunk[] = [];
      let body = "";
      const { send, target, agent } = this.route(req.url);
      const request = send(target, { method: req.method, headers: { ...req.headers }, agent }, (res) => {
        res.setEncoding("utf8");
        res.on("data", (text: string) => {
          chunks.push({ at: performance.now(), text: text.slice(0, 4096) });
          if (body.length < MAX_BODY_CHARS) body += text.slice(0, MAX_BODY_CHARS - body.length);
        });
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, chunks });
        });
        res.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      const timer = setTimeout(() => {
        request.destroy(new Error(`${req.method} ${String(req.url)} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      request.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(req.body);
    });
  }

  /** A fetch for the MCP SDK's transport, over the same agent and trust store. */
  readonly fetch: FetchLike = (input, init) => {
    const url = typeof input === "string" ? input : input.href;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const method = init?.method ?? "GET";
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== "string") {
      return Promise.reject(new Error("conformance fetch: only string bodies are supported"));
    }
    const signal = init?.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new DOMException("aborted", "AbortError"));
        return;
      }
      const { send, target, agent } = this.route(url);
      const request = send(target, { method, headers, agent }, (res) => {
        const status = res.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          responseHeaders.append(res.rawHeaders[i] ?? "", res.rawHeaders[i + 1] ?? "");
        }
        const noBody = [101, 204, 205, 304].includes(status) || method === "HEAD";
        if (noBody) res.resume();
        // Readable.toWeb yields node:stream/web's ReadableStream, the same class as the global one.
        const stream = noBody ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
        resolve(new Response(stream, { status, headers: responseHeaders }));
      });
      const onAbort = (): void => {
        request.destroy(new DOMException("aborted", "AbortError"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      request.on("close", () => signal?.removeEventListener("abort", onAbort));
      request.on("error", reject);
      request.end(body ?? undefined);
    });
  };

  close(): void {
    this.agent.destroy();
    this.plainAgent.destroy();
  }
}

/**
 * MCP 2026-07-28 beside 2025-11-25 on the dev stack's real policy, run by the local gateway: the audit trace
 * records the revision the client declared, a server narrowed to the legacy revisions refuses 2026-07-28
 * with -32022 naming what it supports, and an unauthenticated 2026-07-28 request gets the same RFC 9728
 * challenge as a legacy one (docs/gateway.md, "Protocol revisions").
 */
import { HttpClient, type HttpResponse } from "../../../tools/conformance/http";
import { initializeMessage, rawPost } from "../../../tools/conformance/mcp";
import { modernMessage, modernPost } from "../../../tools/conformance/checks/revisions";
import type { CheckContext, SuiteOptions } from "../../../tools/conformance/types";
import { allRoles, probedServer } from "../../../tools/conformance/local";
import { type LocalGateway, startLocalGateway } from "../../../tools/gateway-local/local";
import { stackPlan } from "../../support/plans";
import { describeWithMono } from "./support";

interface AuditEvent {
  readonly event: string;
  readonly reason: string;
  readonly method: string;
  readonly protocolVersion: string;
}

describeWithMono("local gateway: MCP protocol revisions on the dev stack", () => {
  let gateway: LocalGateway;
  let http: HttpClient;
  beforeAll(async () => {
    gateway = await startLocalGateway({ stack: "dev", plan: stackPlan("dev") });
    http = new HttpClient({ timeoutMs: 8000, connectTo: { [gateway.publicOrigin]: gateway.url } });
  });
  afterAll(async () => {
    http.close();
    await gateway?.stop();
  });

  const context = (server: string): CheckContext => {
    const resource = gateway.servers.find((s) => s.name === server)?.resource ?? "";
    return { options: { url: new URL(resource), timeoutMs: 8000 } as SuiteOptions, http };
  };
  const tokenFor = (server: string) => {
    const local = probedServer(gateway, server);
    return gateway.token({ server, user: "alice", roles: allRoles(local) });
  };
  /** The audit events written while `send` ran. */
  async function eventsOf(send: () => Promise<HttpResponse>): Promise<[HttpResponse, AuditEvent[]]> {
    const before = gateway.runtime.traces.length;
    const res = await send();
    // The runtime reports traces from its own process: wait (bounded) for the request's event to arrive.
    const ours = () => gateway.runtime.traces.slice(before).filter((t) => t.source === "mcp-gateway");
    for (let waited = 0; ours().length === 0 && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return [res, ours().map((t) => JSON.parse(t.message) as AuditEvent)];
  }
  const rpcError = (res: HttpResponse) =>
    (JSON.parse(res.body) as { error?: { code: number; data?: Record<string, unknown> } }).error;

  it("records the declared revision on forwarded and refused requests", async () => {
    const ctx = context("docs");
    const token = tokenFor("docs");
    const [ok, forwarded] = await eventsOf(() =>
      modernPost(ctx, token, modernMessage("tools/call", { name: "search_docs", arguments: {} })),
    );
    expect(ok.status).toBe(200);
    expect(forwarded).toEqual([
      expect.objectContaining({ event: "mcp.request", method: "tools/call", protocolVersion: "2026-07-28" }),
    ]);
    const [refused, denied] = await eventsOf(() =>
      modernPost(ctx, token, modernMessage("tools/list"), { "mcp-method": "tools/call" }),
    );
    expect(refused.status).toBe(400);
    expect(denied).toEqual([
      expect.objectContaining({
        event: "mcp.denied",
        reason: "header_mismatch",
        protocolVersion: "2026-07-28",
      }),
    ]);
    const [legacy, initialized] = await eventsOf(() =>
      rawPost(ctx, { token, message: initializeMessage(), protocolVersion: "2025-11-25" }),
    );
    expect(legacy.status).toBe(200);
    expect(initialized).toEqual([
      expect.objectContaining({ event: "mcp.request", method: "initialize", protocolVersion: "2025-11-25" }),
    ]);
  });

  it("refuses 2026-07-28 for a server narrowed to the legacy revisions, naming them; legacy still served", async () => {
    const ctx = context("weather");
    const token = tokenFor("weather");
    const [res, events] = await eventsOf(() => modernPost(ctx, token, modernMessage("server/discover")));
    expect(res.status).toBe(400);
    expect(rpcError(res)).toEqual(
      expect.objectContaining({
        code: -32022,
        data: expect.objectContaining({ supported: ["2025-11-25", "2025-06-18"], requested: "2026-07-28" }),
      }),
    );
    expect(events).toEqual([expect.objectContaining({ reason: "protocol_version" })]);
    const legacy = await rawPost(ctx, { token, message: initializeMessage() });
    expect(legacy.status).toBe(200);
  });

  it("answers an unauthenticated 2026-07-28 request with the RFC 9728 challenge", async () => {
    const res = await rawPost(context("docs"), {
      message: { jsonrpc: "2.0", ...modernMessage("tools/list") },
      headers: { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" },
    });
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(
      /resource_metadata="https:\/\/[^"]+\/\.well-known\/oauth-protected-resource\/docs\/mcp"/,
    );
  });
});

import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CallToolResult,
  createMcpHandler,
  fromJsonSchema,
  type GetPromptResult,
  McpServer,
  type ReadResourceResult,
  ResourceTemplate,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { type BackendRequestRecord, type BackendSpec, classify, type RunningBackend } from "./backends";
import { closeServer, type LocalIssuer } from "./issuer";

/**
 * The conformance fixture server: an MCP backend built with the official TypeScript SDK (v2, which serves
 * 2026-07-28) that offers the tools, prompts and resources the official conformance suite's 2026-07-28
 * server scenarios call, with the results those scenarios expect. It stands behind the local gateway only
 * in the conformance overlay (tools/conformance/official-overlay.ts), never in a shipped stack, so that the
 * suite exercises the gateway's pass-through of conformant traffic (content types, prompts, resources,
 * completion, progress streaming, base64 `Mcp-Name`, `Mcp-Param-*` headers) instead of its refusals.
 * It refuses any request without the gateway's managed-identity token, like the other local backends.
 */

/** A 1x1 PNG and a minimal WAV, base64: what the suite's content scenarios check for. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const WAV_BASE64 = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

/** The fixture tools, in the order `tools/list` gives them: the names the conformance overlay grants. */
export const FIXTURE_TOOLS = [
  "test_simple_text",
  "test_image_content",
  "test_audio_content",
  "test_embedded_resource",
  "test_multiple_content_types",
  "test_tool_with_logging",
  "test_tool_with_progress",
  "test_error_handling",
  "json_schema_2020_12_tool",
  "test_custom_headers",
  "test_logging_tool",
] as const;

/** The methods beyond tools/* the fixtures answer (the overlay's `methods`). */
export const FIXTURE_METHODS = [
  "tools/list",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/read",
  "resources/templates/list",
  "completion/complete",
  // The 2026-07-28 change-notification stream (server-stateless checks its acknowledgement and filtering).
  "subscriptions/listen",
] as const;

const text = (value: string) => ({ type: "text" as const, text: value });

function fixtureServer(): McpServer {
  const server = new McpServer(
    { name: "conformance-fixtures", version: "1.0.0" },
    { capabilities: { tools: {}, resources: {}, prompts: {}, logging: {}, completions: {} } },
  );
  const tool = (name: string, description: string, result: () => CallToolResult) =>
    server.registerTool(name, { description }, async () => result());
  tool("test_simple_text", "Simple text content", () => ({
    content: [text("This is a simple text response for testing.")],
  }));
  tool("test_image_content", "Image content", () => ({
    content: [{ type: "image", data: PNG_BASE64, mimeType: "image/png" }],
  }));
  tool("test_audio_content", "Audio content", () => ({
    content: [{ type: "audio", data: WAV_BASE64, mimeType: "audio/wav" }],
  }));
  tool("test_embedded_resource", "Embedded resource content", () => ({
    content: [
      {
        type: "resource",
        resource: {
          uri: "test://embedded-resource",
          mimeType: "text/plain",
          text: "This is an embedded resource content.",
        },
      },
    ],
  }));
  tool("test_multiple_content_types", "Text, image and resource content", () => ({
    content: [
      text("Multiple content types test:"),
      { type: "image", data: PNG_BASE64, mimeType: "image/png" },
      {
        type: "resource",
        resource: {
          uri: "test://mixed-content-resource",
          mimeType: "application/json",
          text: JSON.stringify({ test: "data", value: 123 }),
        },
      },
    ],
  }));
  server.registerTool(
    "test_tool_with_logging",
    { description: "Log messages during execution", inputSchema: z.object({}) },
    async (_args, ctx) => {
      for (const data of ["Tool execution started", "Tool processing data", "Tool execution completed"]) {
        await ctx.mcpReq.notify({ method: "notifications/message", params: { level: "info", data } });
      }
      return { content: [text("Tool with logging executed successfully")] };
    },
  );
  server.registerTool(
    "test_tool_with_progress",
    { description: "Progress notifications during execution", inputSchema: z.object({}) },
    async (_args, ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken ?? 0;
      for (const progress of [0, 50, 100]) {
        await ctx.mcpReq.notify({
          method: "notifications/progress",
          params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
        });
        if (progress < 100) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { content: [text(String(progressToken))] };
    },
  );
  server.registerTool("test_error_handling", { description: "A tool execution error" }, async () => {
    throw new Error("This tool intentionally returns an error for testing");
  });
  server.registerTool(
    "json_schema_2020_12_tool",
    {
      description: "JSON Schema 2020-12 input schema",
      // The 2020-12 keywords the suite checks survive tools/list (SEP-1613, SEP-2106): $schema, $defs with
      // $anchor, $ref, composition (allOf/anyOf), conditionals (if/then/else), additionalProperties.
      inputSchema: fromJsonSchema({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        $defs: {
          address: {
            $anchor: "addressDef",
            type: "object",
            properties: { street: { type: "string" }, city: { type: "string" } },
          },
        },
        properties: {
          name: { type: "string" },
          address: { $ref: "#/$defs/address" },
          contactMethod: { type: "string", enum: ["phone", "email"] },
          phone: { type: "string" },
          email: { type: "string" },
        },
        allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
        if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
        then: { required: ["phone"] },
        else: { required: ["email"] },
        additionalProperties: false,
      }),
    },
    async (args) => ({ content: [text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`)] }),
  );
  // SEP-2243: a parameter mirrored into `Mcp-Param-Region`, which the SDK checks against the body.
  server.registerTool(
    "test_custom_headers",
    {
      description: "A parameter mirrored into an Mcp-Param header",
      inputSchema: z.object({ region: z.string().meta({ "x-mcp-header": "Region" }) }),
    },
    async (args) => ({ content: [text(`region ${args.region}`)] }),
  );

  // Logs through the SDK, which sends nothing unless the request's _meta asked for a log level (SEP-2577).
  server.registerTool("test_logging_tool", { description: "Logs at info level" }, async (ctx) => {
    await ctx.mcpReq.log("info", "test_logging_tool ran");
    return { content: [text("logged")] };
  });

  const resource = (name: string, uri: string, mimeType: string, contents: ReadResourceResult) =>
    server.registerResource(name, uri, { title: name, mimeType }, async () => contents);
  resource("static-text", "test://static-text", "text/plain", {
    contents: [
      {
        uri: "test://static-text",
        mimeType: "text/plain",
        text: "This is the content of the static text resource.",
      },
    ],
  });
  resource("static-binary", "test://static-binary", "image/png", {
    contents: [{ uri: "test://static-binary", mimeType: "image/png", blob: PNG_BASE64 }],
  });
  resource("watched-resource", "test://watched-resource", "text/plain", {
    contents: [{ uri: "test://watched-resource", mimeType: "text/plain", text: "Watched resource content" }],
  });
  server.registerResource(
    "template",
    new ResourceTemplate("test://template/{id}/data", { list: undefined }),
    { title: "Resource template", mimeType: "application/json" },
    async (uri, variables) => ({
      contents: [
        {
          uri: uri.toString(),
          mimeType: "application/json",
          text: JSON.stringify({
            id: variables["id"],
            templateTest: true,
            data: `Data for ID: ${String(variables["id"])}`,
          }),
        },
      ],
    }),
  );

  const prompt = (name: string, result: () => GetPromptResult) =>
    server.registerPrompt(name, { title: name, description: `Fixture prompt ${name}` }, async () => result());
  prompt("test_simple_prompt", () => ({
    messages: [{ role: "user", content: text("This is a simple prompt for testing.") }],
  }));
  prompt("test_prompt_with_image", () => ({
    messages: [
      { role: "user", content: { type: "image", data: PNG_BASE64, mimeType: "image/png" } },
      { role: "user", content: text("Please analyze the image above.") },
    ],
  }));
  server.registerPrompt(
    "test_prompt_with_arguments",
    {
      title: "Prompt with arguments",
      description: "A prompt with two required arguments",
      argsSchema: z.object({ arg1: z.string(), arg2: z.string() }),
    },
    async (args) => ({
      messages: [
        { role: "user", content: text(`Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'`) },
      ],
    }),
  );
  server.registerPrompt(
    "test_prompt_with_embedded_resource",
    {
      title: "Prompt with an embedded resource",
      description: "A prompt embedding the given resource",
      argsSchema: z.object({ resourceUri: z.string() }),
    },
    async (args) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "resource",
            resource: {
              uri: args.resourceUri,
              mimeType: "text/plain",
              text: "Embedded resource content for testing.",
            },
          },
        },
        { role: "user", content: text("Please process the embedded resource above.") },
      ],
    }),
  );
  server.server.setRequestHandler("completion/complete", async () => ({
    completion: { values: [], total: 0, hasMore: false },
  }));
  return server;
}

async function readRaw(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the fixture server: the SDK's web-standard handler behind a Node HTTP server on loopback. */
export async function startFixtureBackend(spec: BackendSpec, issuer: LocalIssuer): Promise<RunningBackend> {
  const requests: BackendRequestRecord[] = [];
  const handler = createMcpHandler(() => fixtureServer(), { legacy: "reject" });
  const server = http.createServer((req, res) => {
    const record = { server: spec.name, method: req.method ?? "", ...classify(spec, req, issuer) };
    requests.push(record);
    if (record.credential !== (spec.auth.kind === "managedIdentity" ? "managed-identity" : "none")) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_token", detail: record.detail }));
      return;
    }
    void (async () => {
      const body = await readRaw(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const response = await handler.fetch(
        new Request(`http://127.0.0.1${req.url ?? "/"}`, {
          method: req.method ?? "GET",
          headers,
          ...(req.method === "POST" ? { body } : {}),
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body !== null) {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
      }
      res.end();
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    spec,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async stop() {
      await handler.close();
      await closeServer(server);
    },
  };
}

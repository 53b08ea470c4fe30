import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CallToolResult,
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  createMcpHandler,
  createRequestStateCodec,
  fromJsonSchema,
  inputRequired,
  type InputRequest,
  type ServerContext,
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
  // Multi-round-trip requests (SEP-2322 InputRequiredResult).
  "test_input_required_result_elicitation",
  "test_input_required_result_sampling",
  "test_input_required_result_list_roots",
  "test_input_required_result_multiple_inputs",
  "test_input_required_result_multi_round",
  "test_input_required_result_request_state",
  "test_input_required_result_tampered_state",
  "test_input_required_result_capabilities",
  "test_streaming_elicitation",
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

/** Signs multi-round-trip state (HMAC, a key per process): the fixture server's integrity check. */
const STATE_CODEC = createRequestStateCodec<RoundState>({ key: randomBytes(32) });

const text = (value: string) => ({ type: "text" as const, text: value });

/** A string-valued elicitation form with one required field. */
const askFor = (message: string, field: string, type: "string" | "boolean" = "string"): InputRequest =>
  inputRequired.elicit({
    message,
    requestedSchema: {
      type: "object",
      properties: { [field]: type === "string" ? { type: "string" } : { type: "boolean" } },
      required: [field],
    },
  });

const sample = (prompt: string, maxTokens: number): InputRequest =>
  inputRequired.createMessage({
    messages: [{ role: "user", content: { type: "text", text: prompt } }],
    maxTokens,
  });

function responses(ctx: ServerContext): Record<string, unknown> {
  return ctx.mcpReq.inputResponses ?? {};
}

/** What a sampling response said (its text content), for the complete result. */
function sampledText(response: unknown): string {
  const content = (response as { content?: { text?: unknown } } | undefined)?.content;
  return typeof content?.text === "string" ? content.text : "";
}

interface RoundState {
  readonly round: number;
  readonly name?: string;
}

/**
 * The multi-round-trip fixtures (SEP-2322): each returns an InputRequiredResult until the client retries
 * with the responses, then a complete result. `requestState` is minted and verified by the SDK's HMAC codec
 * with a per-process key, so tampered state is refused (-32602) before a handler runs.
 */
function registerMultiRoundFixtures(server: McpServer, mint: (state: RoundState) => Promise<string>): void {
  server.registerTool(
    "test_input_required_result_elicitation",
    { description: "Asks for a name" },
    async (ctx) => {
      const answer = acceptedContent(responses(ctx), "user_name");
      if (answer === undefined) {
        return inputRequired({ inputRequests: { user_name: askFor("What is your name?", "name") } });
      }
      return { content: [text(`Hello, ${String(answer["name"])}!`)] };
    },
  );
  server.registerTool(
    "test_input_required_result_sampling",
    { description: "Asks the client's model" },
    async (ctx) => {
      const answer = responses(ctx)["capital_question"];
      if (answer === undefined) {
        return inputRequired({
          inputRequests: { capital_question: sample("What is the capital of France?", 100) },
        });
      }
      return { content: [text(`The model said: ${sampledText(answer)}`)] };
    },
  );
  server.registerTool(
    "test_input_required_result_list_roots",
    { description: "Lists the client's roots" },
    async (ctx) => {
      const answer = responses(ctx)["client_roots"] as { roots?: { uri?: unknown }[] } | undefined;
      if (answer === undefined) {
        return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
      }
      const uris = (answer.roots ?? []).map((root) => String(root.uri));
      return { content: [text(`Roots: ${uris.join(", ")}`)] };
    },
  );
  server.registerTool(
    "test_input_required_result_multiple_inputs",
    { description: "Three inputs at once" },
    async (ctx) => {
      const given = responses(ctx);
      if (!["user_name", "greeting", "client_roots"].every((key) => given[key] !== undefined)) {
        return inputRequired({
          inputRequests: {
            user_name: askFor("What is your name?", "name"),
            greeting: sample("Generate a greeting", 50),
            client_roots: inputRequired.listRoots(),
          },
          requestState: await mint({ round: 1 }),
        });
      }
      return { content: [text("All three inputs received")] };
    },
  );
  server.registerTool(
    "test_input_required_result_multi_round",
    { description: "Two rounds of input" },
    async (ctx) => {
      const state = ctx.mcpReq.requestState<RoundState>();
      const step1 = acceptedContent(responses(ctx), "step1");
      const step2 = acceptedContent(responses(ctx), "step2");
      if (state?.round === 2 && step2 !== undefined) {
        return { content: [text(`${String(state.name)} likes ${String(step2["color"])}`)] };
      }
      if (state?.round === 1 && step1 !== undefined) {
        return inputRequired({
          inputRequests: { step2: askFor("Step 2: What is your favorite color?", "color") },
          requestState: await mint({ round: 2, name: String(step1["name"]) }),
        });
      }
      return inputRequired({
        inputRequests: { step1: askFor("Step 1: What is your name?", "name") },
        requestState: await mint({ round: 1 }),
      });
    },
  );
  for (const name of [
    "test_input_required_result_request_state",
    "test_input_required_result_tampered_state",
  ]) {
    server.registerTool(
      name,
      { description: "Round-trips integrity-protected requestState" },
      async (ctx) => {
        const state = ctx.mcpReq.requestState<RoundState>();
        if (state?.round === 1 && responses(ctx)["confirm"] !== undefined) {
          return { content: [text("state-ok: the request state came back intact")] };
        }
        return inputRequired({
          inputRequests: { confirm: askFor("Please confirm", "ok", "boolean") },
          requestState: await mint({ round: 1 }),
        });
      },
    );
  }
  server.registerTool(
    "test_input_required_result_capabilities",
    { description: "Asks only for what the client declared" },
    async (ctx) => {
      const envelope = ctx.mcpReq.envelope as Record<string, Record<string, unknown> | undefined> | undefined;
      const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? {};
      const requests: Record<string, InputRequest> = {};
      if (declared["elicitation"] !== undefined) requests["user_name"] = askFor("What is your name?", "name");
      if (declared["sampling"] !== undefined) requests["greeting"] = sample("Generate a greeting", 50);
      if (declared["roots"] !== undefined) requests["client_roots"] = inputRequired.listRoots();
      if (Object.keys(requests).length === 0 || Object.keys(responses(ctx)).length > 0) {
        return { content: [text("done")] };
      }
      return inputRequired({ inputRequests: requests });
    },
  );
  // 2026-07-28 has no server-to-client requests on the response stream: an elicitation is an InputRequiredResult.
  server.registerTool("test_streaming_elicitation", { description: "Needs an elicitation" }, async (ctx) => {
    if (acceptedContent(responses(ctx), "user_name") === undefined) {
      return inputRequired({ inputRequests: { user_name: askFor("What is your name?", "name") } });
    }
    return { content: [text("elicited")] };
  });
  server.registerPrompt(
    "test_input_required_result_prompt",
    { title: "Prompt needing input", description: "A prompt that asks for context first" },
    async (ctx) => {
      const answer = acceptedContent(responses(ctx), "user_context");
      if (answer === undefined) {
        return inputRequired({
          inputRequests: { user_context: askFor("What context should the prompt use?", "context") },
        }) as unknown as GetPromptResult;
      }
      return { messages: [{ role: "user", content: text(`Context: ${String(answer["context"])}`) }] };
    },
  );
}

function fixtureServer(): McpServer {
  const server = new McpServer(
    { name: "conformance-fixtures", version: "1.0.0" },
    {
      capabilities: { tools: {}, resources: {}, prompts: {}, logging: {}, completions: {} },
      requestState: { verify: (state, ctx) => STATE_CODEC.verify(state, ctx) },
    },
  );
  registerMultiRoundFixtures(server, (state) => STATE_CODEC.mint(state));
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

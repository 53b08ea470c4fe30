/**
 * What the runtime refuses to load: an element or attribute it does not implement, XML that is not
 * well-formed, an expression that does not compile, an unknown named value or backend. Each is a
 * `GatewayLoadError` carrying the runtime's `LOAD-ERROR` message (exit code 2), never a silent skip.
 */
import { GatewayLoadError, startGatewayRuntime } from "../../../tools/gateway-local/runtime";
import { singleApiConfig, describeWithMono } from "./support";

const inbound = (xml: string) =>
  `<policies><inbound><base />${xml}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

async function loadError(policy: string, namedValues: Record<string, string> = {}): Promise<string> {
  try {
    const gateway = await startGatewayRuntime(singleApiConfig(policy, { namedValues }));
    await gateway.stop();
  } catch (error) {
    if (error instanceof GatewayLoadError) return error.message;
    throw error;
  }
  throw new Error("the runtime loaded the document");
}

describeWithMono("local gateway runtime: load errors", () => {
  it("names an element it does not implement", async () => {
    expect(await loadError(inbound('<mock-response status-code="200" />'))).toMatch(
      /policy of API t: <mock-response> at \\mock-response\[1\]: element is not implemented/,
    );
  });

  it("names an element nested where it is not allowed", async () => {
    expect(
      await loadError(inbound('<return-response><set-variable name="a" value="b" /></return-response>')),
    ).toMatch(/<return-response> .*element <set-variable> is not implemented by the local gateway here/);
  });

  it("names an attribute it does not implement", async () => {
    expect(
      await loadError(
        inbound('<set-header name="a" exists-action="override" bogus="1"><value>x</value></set-header>'),
      ),
    ).toMatch(/<set-header> at \\set-header\[1\]: attribute bogus is not implemented/);
    expect(
      await loadError(
        inbound(
          '<rate-limit-by-key calls="1" renewal-period="1" counter-key="k" retry-after-variable-name="v" total-calls-header-name="t" bandwidth="5" />',
        ),
      ),
    ).toMatch(/attribute bandwidth is not implemented/);
  });

  it("refuses a value outside an attribute's set", async () => {
    expect(
      await loadError(inbound('<set-header name="a" exists-action="replace"><value>x</value></set-header>')),
    ).toMatch(/exists-action="replace" is not one of override, skip, append, delete/);
  });

  it("refuses XML that is not well-formed", async () => {
    expect(await loadError("<policies><inbound></policies>")).toMatch(/not well-formed XML/);
  });

  it("refuses an expression that does not compile, naming the compiler error", async () => {
    expect(await loadError(inbound('<set-variable name="a" value="@(context.NoSuchMember)" />'))).toMatch(
      /an expression does not compile: expr-0001\(1,\d+\): error CS1061: .* in @\(context\.NoSuchMember\)/,
    );
  });

  it("refuses an unknown named value and an unknown backend-id", async () => {
    expect(
      await loadError(
        inbound('<set-header name="a" exists-action="override"><value>{{missing}}</value></set-header>'),
        { other: "x" },
      ),
    ).toMatch(/named value \{\{missing\}\} is not configured \(configured: other\)/);
    expect(await loadError(inbound('<set-backend-service backend-id="nope" />'))).toMatch(
      /backend-id "nope" is not a backend of the configuration/,
    );
  });

  it("refuses forward-request outside the backend section", async () => {
    expect(await loadError(inbound('<forward-request timeout="5" />'))).toMatch(
      /forward-request is allowed in the backend section only/,
    );
  });
});

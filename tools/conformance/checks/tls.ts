import { isIP } from "node:net";
import * as tls from "node:tls";
import { type Check, type CheckContext, skip, verdict } from "../types";

export interface HandshakeOutcome {
  readonly ok: boolean;
  readonly protocol?: string;
  readonly error?: string;
  readonly code?: string;
}

/** One TLS handshake with certificate validation on (Node's roots plus --ca). */
export function handshake(
  ctx: CheckContext,
  versions: Pick<tls.ConnectionOptions, "minVersion" | "maxVersion">,
): Promise<HandshakeOutcome> {
  const url = ctx.options.url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port: Number(url.port || 443),
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ca: [...ctx.http.trust],
      rejectUnauthorized: true,
      ALPNProtocols: ["http/1.1"],
      ...versions,
    });
    const timer = setTimeout(() => socket.destroy(new Error("handshake timed out")), ctx.options.timeoutMs);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const protocol = socket.getProtocol() ?? undefined;
      socket.end();
      resolve({ ok: true, protocol });
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: false, error: error.message.split("\n")[0], code: error.code });
    });
  });
}

/** Errors that mean the server negotiated the protocol and the failure came later (trust, name). */
const CERTIFICATE_ERROR =
  /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH|DEPTH_ZERO/;

export const tlsVersionsCheck: Check = {
  id: "tls.versions",
  title: "TLS: a TLS 1.2-only handshake is refused, TLS 1.3 is accepted (certificate validated)",
  seedControls: ["3"],
  needs: [],
  async run(ctx) {
    const local = ctx.http.connectionFor(ctx.options.url);
    if (local !== undefined) {
      // Never a pass: the local gateway speaks plain HTTP on loopback, so there is no TLS to probe.
      return skip(`cannot apply: ${ctx.options.url.origin} is served by ${local} (plain HTTP on loopback)`);
    }
    const [v13, v12] = await Promise.all([
      handshake(ctx, { minVersion: "TLSv1.3" }),
      handshake(ctx, { minVersion: "TLSv1.2", maxVersion: "TLSv1.2" }),
    ]);
    const problems: string[] = [];
    if (!v13.ok) problems.push(`TLS 1.3 handshake failed: ${v13.code ?? ""} ${v13.error ?? ""}`.trim());
    else if (v13.protocol !== "TLSv1.3") problems.push(`TLS 1.3 requested, ${v13.protocol} negotiated`);
    if (v12.ok) problems.push(`a TLS 1.2-only handshake succeeded (${v12.protocol})`);
    else if (CERTIFICATE_ERROR.test(v12.code ?? "")) {
      problems.push(`TLS 1.2 was negotiated; the handshake only failed on the certificate (${v12.code})`);
    }
    return verdict(
      problems,
      `TLS 1.3 accepted, certificate valid; TLS 1.2 refused (${v12.code ?? v12.error})`,
    );
  },
};

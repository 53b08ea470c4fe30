import { generate } from "selfsigned";

export interface TestCertificate {
  readonly key: string;
  /** PEM; also the trust anchor the suite gets through --ca. */
  readonly cert: string;
}

/** A P-256 certificate for 127.0.0.1 and localhost, valid for a day. */
export async function makeTestCertificate(): Promise<TestCertificate> {
  const now = new Date();
  const pems = await generate([{ name: "commonName", value: "mcp-conformance-reference" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

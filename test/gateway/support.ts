import { child, type XmlNode } from "../support/xml";

export { child, childNames, descendants, findAll, orderOf, parseXml, type XmlNode } from "../support/xml";

export function section(policy: XmlNode, name: "inbound" | "backend" | "outbound" | "on-error"): XmlNode {
  return child(policy, name);
}

export {
  docsInput,
  SAMPLE_API_CLIENT_ID as API_CLIENT_ID,
  SAMPLE_TENANT_ID as TENANT_ID,
  VS_CODE_CLIENT_ID,
} from "../../tools/expressions/sample-input";

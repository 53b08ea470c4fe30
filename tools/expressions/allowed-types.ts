/**
 * The .NET Framework types (and, where restricted, members) allowed in API Management policy
 * expressions, as data. Source: the table "NET Framework types allowed in policy expressions" of
 * https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#CLRTypes
 * (MicrosoftDocs/azure-docs, articles/api-management/api-management-policy-expressions.md, revision of
 * 2023-03-07). Keep the entries in the page's order and spelling so a diff against the page is easy.
 *
 * `IMPLIED_TYPES` are not in the table but cannot be avoided by code the table allows: what the C#
 * compiler emits for lambdas, foreach, array initializers and typeof, the base classes through which
 * inherited members of listed types are called, and the result types of listed members. Each has its
 * reason; keep that list short.
 */

export const POLICY_EXPRESSIONS_REFERENCE =
  "https://learn.microsoft.com/azure/api-management/api-management-policy-expressions";
export const ALLOWED_TYPES_REFERENCE = `${POLICY_EXPRESSIONS_REFERENCE}#CLRTypes`;

/** `"all"`, or the member names the table lists (`(Constructor)` for constructors, property names as written). */
export type AllowedMembers = "all" | readonly string[];

export interface AllowedType {
  /** Full name as the table writes it (`System.Collections.Generic.Dictionary<TKey, TValue>`). */
  readonly type: string;
  readonly members: AllowedMembers;
  /** Members the table excludes from "All" (`name/parameterCount` when only one overload is excluded). */
  readonly except?: readonly string[];
}

export interface ImpliedType extends AllowedType {
  readonly reason: string;
}

const ALL = "all" as const;

export const ALLOWED_TYPES: readonly AllowedType[] = [
  { type: "Newtonsoft.Json.Formatting", members: ALL },
  { type: "Newtonsoft.Json.JsonConvert", members: ["SerializeObject", "DeserializeObject"] },
  { type: "Newtonsoft.Json.Linq.Extensions", members: ALL },
  { type: "Newtonsoft.Json.Linq.JArray", members: ALL },
  { type: "Newtonsoft.Json.Linq.JConstructor", members: ALL },
  { type: "Newtonsoft.Json.Linq.JContainer", members: ALL },
  { type: "Newtonsoft.Json.Linq.JObject", members: ALL },
  { type: "Newtonsoft.Json.Linq.JProperty", members: ALL },
  { type: "Newtonsoft.Json.Linq.JRaw", members: ALL },
  { type: "Newtonsoft.Json.Linq.JToken", members: ALL },
  { type: "Newtonsoft.Json.Linq.JTokenType", members: ALL },
  { type: "Newtonsoft.Json.Linq.JValue", members: ALL },
  { type: "System.Array", members: ALL },
  { type: "System.BitConverter", members: ALL },
  { type: "System.Boolean", members: ALL },
  { type: "System.Byte", members: ALL },
  { type: "System.Char", members: ALL },
  { type: "System.Collections.Generic.Dictionary<TKey, TValue>", members: ALL },
  { type: "System.Collections.Generic.HashSet<T>", members: ALL },
  { type: "System.Collections.Generic.ICollection<T>", members: ALL },
  { type: "System.Collections.Generic.IDictionary<TKey, TValue>", members: ALL },
  { type: "System.Collections.Generic.IEnumerable<T>", members: ALL },
  { type: "System.Collections.Generic.IEnumerator<T>", members: ALL },
  { type: "System.Collections.Generic.IList<T>", members: ALL },
  { type: "System.Collections.Generic.IReadOnlyCollection<T>", members: ALL },
  { type: "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>", members: ALL },
  { type: "System.Collections.Generic.ISet<T>", members: ALL },
  { type: "System.Collections.Generic.KeyValuePair<TKey, TValue>", members: ALL },
  { type: "System.Collections.Generic.List<T>", members: ALL },
  { type: "System.Collections.Generic.Queue<T>", members: ALL },
  { type: "System.Collections.Generic.Stack<T>", members: ALL },
  { type: "System.Convert", members: ALL },
  {
    type: "System.DateTime",
    members: [
      "(Constructor)",
      "Add",
      "AddDays",
      "AddHours",
      "AddMilliseconds",
      "AddMinutes",
      "AddMonths",
      "AddSeconds",
      "AddTicks",
      "AddYears",
      "Date",
      "Day",
      "DayOfWeek",
      "DayOfYear",
      "DaysInMonth",
      "Hour",
      "IsDaylightSavingTime",
      "IsLeapYear",
      "MaxValue",
      "Millisecond",
      "Minute",
      "MinValue",
      "Month",
      "Now",
      "Parse",
      "Second",
      "Subtract",
      "Ticks",
      "TimeOfDay",
      "Today",
      "ToString",
      "UtcNow",
      "Year",
    ],
  },
  { type: "System.DateTimeKind", members: ["Utc"] },
  { type: "System.DateTimeOffset", members: ALL },
  { type: "System.Decimal", members: ALL },
  { type: "System.Double", members: ALL },
  { type: "System.Enum", members: ["Parse", "TryParse", "ToString"] },
  { type: "System.Exception", members: ALL },
  { type: "System.Guid", members: ALL },
  { type: "System.Int16", members: ALL },
  { type: "System.Int32", members: ALL },
  { type: "System.Int64", members: ALL },
  { type: "System.IO.StringReader", members: ALL },
  { type: "System.IO.StringWriter", members: ALL },
  { type: "System.Linq.Enumerable", members: ALL },
  { type: "System.Math", members: ALL },
  { type: "System.MidpointRounding", members: ALL },
  {
    type: "System.Net.IPAddress",
    members: ["AddressFamily", "Equals", "GetAddressBytes", "IsLoopback", "Parse", "TryParse", "ToString"],
  },
  { type: "System.Net.WebUtility", members: ALL },
  { type: "System.Nullable", members: ALL },
  { type: "System.Random", members: ALL },
  { type: "System.SByte", members: ALL },
  { type: "System.Security.Cryptography.AsymmetricAlgorithm", members: ALL },
  { type: "System.Security.Cryptography.CipherMode", members: ALL },
  { type: "System.Security.Cryptography.HashAlgorithm", members: ALL },
  { type: "System.Security.Cryptography.HashAlgorithmName", members: ALL },
  { type: "System.Security.Cryptography.HMAC", members: ALL },
  { type: "System.Security.Cryptography.HMACMD5", members: ALL },
  { type: "System.Security.Cryptography.HMACSHA1", members: ALL },
  { type: "System.Security.Cryptography.HMACSHA256", members: ALL },
  { type: "System.Security.Cryptography.HMACSHA384", members: ALL },
  { type: "System.Security.Cryptography.HMACSHA512", members: ALL },
  { type: "System.Security.Cryptography.KeyedHashAlgorithm", members: ALL },
  { type: "System.Security.Cryptography.MD5", members: ALL },
  { type: "System.Security.Cryptography.Oid", members: ALL },
  { type: "System.Security.Cryptography.PaddingMode", members: ALL },
  { type: "System.Security.Cryptography.RNGCryptoServiceProvider", members: ALL },
  { type: "System.Security.Cryptography.RSA", members: ALL },
  { type: "System.Security.Cryptography.RSAEncryptionPadding", members: ALL },
  { type: "System.Security.Cryptography.RSASignaturePadding", members: ALL },
  { type: "System.Security.Cryptography.SHA1", members: ALL },
  { type: "System.Security.Cryptography.SHA1Managed", members: ALL },
  { type: "System.Security.Cryptography.SHA256", members: ALL },
  { type: "System.Security.Cryptography.SHA256Managed", members: ALL },
  { type: "System.Security.Cryptography.SHA384", members: ALL },
  { type: "System.Security.Cryptography.SHA384Managed", members: ALL },
  { type: "System.Security.Cryptography.SHA512", members: ALL },
  { type: "System.Security.Cryptography.SHA512Managed", members: ALL },
  // "All except parameterless Create()".
  { type: "System.Security.Cryptography.SymmetricAlgorithm", members: ALL, except: ["Create/0"] },
  { type: "System.Security.Cryptography.X509Certificates.PublicKey", members: ALL },
  { type: "System.Security.Cryptography.X509Certificates.RSACertificateExtensions", members: ALL },
  { type: "System.Security.Cryptography.X509Certificates.X500DistinguishedName", members: ["Name"] },
  { type: "System.Security.Cryptography.X509Certificates.X509Certificate", members: ALL },
  { type: "System.Security.Cryptography.X509Certificates.X509Certificate2", members: ALL },
  { type: "System.Security.Cryptography.X509Certificates.X509ContentType", members: ALL },
  { type: "System.Security.Cryptography.X509Certificates.X509NameType", members: ALL },
  { type: "System.Single", members: ALL },
  { type: "System.String", members: ALL },
  { type: "System.StringComparer", members: ALL },
  { type: "System.StringComparison", members: ALL },
  { type: "System.StringSplitOptions", members: ALL },
  { type: "System.Text.Encoding", members: ALL },
  { type: "System.Text.RegularExpressions.Capture", members: ["Index", "Length", "Value"] },
  { type: "System.Text.RegularExpressions.CaptureCollection", members: ["Count", "Item"] },
  { type: "System.Text.RegularExpressions.Group", members: ["Captures", "Success"] },
  { type: "System.Text.RegularExpressions.GroupCollection", members: ["Count", "Item"] },
  { type: "System.Text.RegularExpressions.Match", members: ["Empty", "Groups", "Result"] },
  {
    type: "System.Text.RegularExpressions.Regex",
    members: ["(Constructor)", "IsMatch", "Match", "Matches", "Replace", "Unescape", "Split"],
  },
  { type: "System.Text.RegularExpressions.RegexOptions", members: ALL },
  { type: "System.Text.StringBuilder", members: ALL },
  { type: "System.TimeSpan", members: ALL },
  { type: "System.TimeZone", members: ALL },
  { type: "System.TimeZoneInfo.AdjustmentRule", members: ALL },
  { type: "System.TimeZoneInfo.TransitionTime", members: ALL },
  { type: "System.TimeZoneInfo", members: ALL },
  { type: "System.Tuple", members: ALL },
  { type: "System.UInt16", members: ALL },
  { type: "System.UInt32", members: ALL },
  { type: "System.UInt64", members: ALL },
  { type: "System.Uri", members: ALL },
  { type: "System.UriPartial", members: ALL },
  { type: "System.Xml.Linq.Extensions", members: ALL },
  { type: "System.Xml.Linq.XAttribute", members: ALL },
  { type: "System.Xml.Linq.XCData", members: ALL },
  { type: "System.Xml.Linq.XComment", members: ALL },
  { type: "System.Xml.Linq.XContainer", members: ALL },
  { type: "System.Xml.Linq.XDeclaration", members: ALL },
  { type: "System.Xml.Linq.XDocument", members: ALL, except: ["Load"] },
  { type: "System.Xml.Linq.XDocumentType", members: ALL },
  { type: "System.Xml.Linq.XElement", members: ALL },
  { type: "System.Xml.Linq.XName", members: ALL },
  { type: "System.Xml.Linq.XNamespace", members: ALL },
  { type: "System.Xml.Linq.XNode", members: ALL },
  { type: "System.Xml.Linq.XNodeDocumentOrderComparer", members: ALL },
  { type: "System.Xml.Linq.XNodeEqualityComparer", members: ALL },
  { type: "System.Xml.Linq.XObject", members: ALL },
  { type: "System.Xml.Linq.XProcessingInstruction", members: ALL },
  { type: "System.Xml.Linq.XText", members: ALL },
  { type: "System.Xml.XmlNodeType", members: ALL },
];

const DELEGATE_CONSTRUCTOR =
  "a lambda converted to a delegate compiles to the delegate's constructor (Enumerable's members take Func<...>)";

export const IMPLIED_TYPES: readonly ImpliedType[] = [
  {
    type: "System.Object",
    members: ["(Constructor)", "ToString", "Equals", "GetHashCode"],
    reason:
      "members every allowed type inherits; closures call the base constructor (GetType stays out: reflection)",
  },
  {
    type: "System.ValueType",
    members: ["ToString", "Equals", "GetHashCode"],
    reason: "the same members, inherited by every allowed struct",
  },
  {
    type: "System.Collections.IEnumerable",
    members: ["GetEnumerator"],
    reason: "foreach over a collection of an allowed type",
  },
  {
    type: "System.Collections.IEnumerator",
    members: ["MoveNext", "Current", "Reset"],
    reason: "foreach over a collection of an allowed type",
  },
  { type: "System.IDisposable", members: ["Dispose"], reason: "foreach and using over allowed types" },
  ...["System.Func", "System.Action", "System.Predicate", "System.Comparison", "System.Converter"].map(
    (type): ImpliedType => ({ type, members: ["(Constructor)"], reason: DELEGATE_CONSTRUCTOR }),
  ),
  {
    type: "System.Runtime.CompilerServices.RuntimeHelpers",
    members: ["InitializeArray"],
    reason: "array initializers of constants (new int[] { 1, 2, 3 })",
  },
  {
    type: "System.Type",
    members: ["GetTypeFromHandle"],
    reason: "typeof(T), for Enum.Parse(typeof(T), ...); no other member of System.Type",
  },
  {
    type: "System.Linq.IOrderedEnumerable<TElement>",
    members: ALL,
    reason: "the result of Enumerable.OrderBy/ThenBy",
  },
  { type: "System.Linq.IGrouping<TKey, TElement>", members: ALL, reason: "the result of Enumerable.GroupBy" },
  { type: "System.Linq.ILookup<TKey, TElement>", members: ALL, reason: "the result of Enumerable.ToLookup" },
  {
    type: "System.Text.RegularExpressions.MatchCollection",
    members: ["Count", "Item", "GetEnumerator"],
    reason: "the result of Regex.Matches",
  },
  {
    type: "System.Net.Sockets.AddressFamily",
    members: ALL,
    reason: "the type of IPAddress.AddressFamily",
  },
  {
    type: "System.IO.TextReader",
    members: ALL,
    reason: "StringReader's inherited members compile to references to its base class",
  },
  {
    type: "System.IO.TextWriter",
    members: ALL,
    reason: "StringWriter's inherited members compile to references to its base class",
  },
];

/**
 * `IMessageBody.As<T>`: "Where T: string, byte[], JObject, JToken, JArray, XNode, XElement, XDocument"
 * (https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-imessagebody).
 */
export const BODY_AS_TYPES: readonly string[] = [
  "System.String",
  "System.Byte[]",
  "Newtonsoft.Json.Linq.JObject",
  "Newtonsoft.Json.Linq.JToken",
  "Newtonsoft.Json.Linq.JArray",
  "System.Xml.Linq.XNode",
  "System.Xml.Linq.XElement",
  "System.Xml.Linq.XDocument",
];

/**
 * Namespaces an expression may use without qualification. The reference does not list API Management's
 * implicit imports; these are the namespaces its own examples use unqualified (Regex, Encoding, Convert,
 * Dictionary, LINQ, JObject, JsonConvert, XElement). Types of other allowed namespaces
 * (System.Security.Cryptography, System.Net, System.IO) must be written fully qualified.
 */
export const IMPLICIT_NAMESPACES: readonly string[] = [
  "System",
  "System.Collections.Generic",
  "System.Linq",
  "System.Text",
  "System.Text.RegularExpressions",
  "System.Xml.Linq",
  "Newtonsoft.Json",
  "Newtonsoft.Json.Linq",
];

/** `System.Collections.Generic.Dictionary<TKey, TValue>` -> `System.Collections.Generic.Dictionary`. */
export function bareTypeName(name: string): string {
  return name.replace(/<[^<>]*>$/, "").replace(/`\d+/g, "");
}

export interface TypeRule {
  readonly type: string;
  readonly members: AllowedMembers;
  readonly except: readonly string[];
  /** Present for implied types. */
  readonly reason?: string;
}

/** Rules by bare full name (generic arity dropped: `System.Tuple` covers `Tuple\`2`). */
export const TYPE_RULES: ReadonlyMap<string, TypeRule> = new Map<string, TypeRule>([
  ...ALLOWED_TYPES.map((entry): [string, TypeRule] => [
    bareTypeName(entry.type),
    { type: entry.type, members: entry.members, except: entry.except ?? [] },
  ]),
  ...IMPLIED_TYPES.map((entry): [string, TypeRule] => [
    bareTypeName(entry.type),
    { type: entry.type, members: entry.members, except: entry.except ?? [], reason: entry.reason },
  ]),
]);

/** Every namespace that holds an allowed type, and each of its parents (`System`, `System.Collections`, ...). */
export const ALLOWED_NAMESPACES: ReadonlySet<string> = new Set(
  [...TYPE_RULES.keys()].flatMap((name) => {
    const parts = name.split(".");
    return parts.slice(1).map((_part, i) => parts.slice(0, i + 1).join("."));
  }),
);

/**
 * The metadata name of a member -> the name the table uses: `get_UtcNow` -> `UtcNow`, `.ctor` ->
 * `(Constructor)`, `get_Item` -> `Item`.
 */
export function referenceMemberName(metadataName: string): string {
  if (metadataName === ".ctor" || metadataName === ".cctor") return "(Constructor)";
  const accessor = /^(?:get_|set_|add_|remove_)(.+)$/.exec(metadataName);
  return accessor?.[1] ?? metadataName;
}

export type MemberVerdict = { readonly allowed: true } | { readonly allowed: false; readonly why: string };

/** Whether a member of an allowed type may be used (`parameterCount` distinguishes excluded overloads). */
export function memberAllowed(rule: TypeRule, metadataName: string, parameterCount?: number): MemberVerdict {
  const name = referenceMemberName(metadataName);
  if (
    rule.except.includes(name) ||
    (parameterCount !== undefined && rule.except.includes(`${name}/${parameterCount}`))
  ) {
    return { allowed: false, why: `${rule.type}.${name} is excluded by the reference` };
  }
  if (rule.members === "all" || rule.members.includes(name)) return { allowed: true };
  return {
    allowed: false,
    why: `${rule.type} allows only ${rule.members.join(", ")}; ${name} is not on the list`,
  };
}

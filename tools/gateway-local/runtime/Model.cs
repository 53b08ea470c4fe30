// Working implementations of API Management's policy-expression object model: the interfaces of
// tools/expressions/stub/ApiManagement.Model.cs (shared with the compile check), plus the classes and
// extension methods the reference documents (Jwt, BasicAuthCredentials, GetValueOrDefault, AsJwt, ...).
// Reference: https://learn.microsoft.com/azure/api-management/api-management-policy-expressions
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Newtonsoft.Json.Linq;

namespace Apim.PolicyExpressions
{
    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ContextVariables (row "Jwt")
    public sealed class Jwt
    {
        internal Jwt(string algorithm, string type, JObject payload)
        {
            Algorithm = algorithm;
            Type = type;
            var claims = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var property in payload.Properties())
            {
                var value = property.Value;
                claims[property.Name] = value.Type == JTokenType.Array
                    ? value.Children().Select(ClaimText).ToArray()
                    : new[] { ClaimText(value) };
            }
            Claims = claims;
            string[] aud;
            Audiences = claims.TryGetValue("aud", out aud) ? aud : new string[0];
            Id = First("jti");
            Issuer = First("iss");
            Subject = First("sub");
            ExpirationTime = Time("exp");
            IssuedAt = Time("iat");
            NotBefore = Time("nbf");
        }

        private static string ClaimText(JToken token)
        {
            return token.Type == JTokenType.String ? (string)token : token.ToString(Newtonsoft.Json.Formatting.None);
        }

        private string First(string name)
        {
            string[] values;
            return Claims.TryGetValue(name, out values) && values.Length > 0 ? values[0] : null;
        }

        private DateTime? Time(string name)
        {
            long seconds;
            var text = First(name);
            if (text == null || !long.TryParse(text, out seconds)) return null;
            return new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(seconds);
        }

        public string Algorithm { get; private set; }
        public IEnumerable<string> Audiences { get; private set; }
        public IReadOnlyDictionary<string, string[]> Claims { get; private set; }
        public DateTime? ExpirationTime { get; private set; }
        public string Id { get; private set; }
        public string Issuer { get; private set; }
        public DateTime? IssuedAt { get; private set; }
        public DateTime? NotBefore { get; private set; }
        public string Subject { get; private set; }
        public string Type { get; private set; }

        /// <summary>Parses the header and payload of a compact JWS (no signature check: AsJwt does none).</summary>
        internal static Jwt Parse(string input)
        {
            if (input == null) return null;
            var parts = input.Split('.');
            if (parts.Length != 3) return null;
            try
            {
                var header = JObject.Parse(Encoding.UTF8.GetString(Base64Url.Decode(parts[0])));
                var payload = JObject.Parse(Encoding.UTF8.GetString(Base64Url.Decode(parts[1])));
                return new Jwt((string)header["alg"], (string)header["typ"], payload);
            }
            catch (Exception)
            {
                return null;
            }
        }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ContextVariables
    // (row "BasicAuthCredentials")
    public sealed class BasicAuthCredentials
    {
        internal BasicAuthCredentials(string userId, string password)
        {
            UserId = userId;
            Password = password;
        }

        public string Password { get; private set; }
        public string UserId { get; private set; }
    }

    internal static class Base64Url
    {
        internal static byte[] Decode(string text)
        {
            var s = text.Replace('-', '+').Replace('_', '/');
            switch (s.Length % 4)
            {
                case 2: s += "=="; break;
                case 3: s += "="; break;
                case 1: throw new FormatException("not base64url");
            }
            return Convert.FromBase64String(s);
        }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ContextVariables
    public static class PolicyExpressionExtensions
    {
        // "Returns comma-separated request header values or defaultValue if the header is not found."
        public static string GetValueOrDefault(
            this IReadOnlyDictionary<string, string[]> values, string name, string defaultValue = null)
        {
            string[] found;
            if (values == null || name == null || !values.TryGetValue(name, out found) || found == null || found.Length == 0)
                return defaultValue;
            return string.Join(",", found);
        }

        // "Returns variable value cast to type T or defaultValue if the variable is not found."
        public static T GetValueOrDefault<T>(
            this IReadOnlyDictionary<string, object> variables, string variableName, T defaultValue = default(T))
        {
            object value;
            if (variables == null || !variables.TryGetValue(variableName, out value)) return defaultValue;
            return (T)value;
        }

        public static BasicAuthCredentials AsBasic(this string input)
        {
            BasicAuthCredentials result;
            return TryParseBasic(input, out result) ? result : null;
        }

        public static bool TryParseBasic(this string input, out BasicAuthCredentials result)
        {
            result = null;
            if (input == null) return false;
            var text = input.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? input.Substring(6) : input;
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(text.Trim()));
                var colon = decoded.IndexOf(':');
                if (colon < 0) return false;
                result = new BasicAuthCredentials(decoded.Substring(0, colon), decoded.Substring(colon + 1));
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        public static Jwt AsJwt(this string input)
        {
            Jwt result;
            return TryParseJwt(input, out result) ? result : null;
        }

        public static bool TryParseJwt(this string input, out Jwt result)
        {
            var text = input;
            if (text != null && text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) text = text.Substring(7);
            result = Jwt.Parse(text == null ? null : text.Trim());
            return result != null;
        }

        public static byte[] Encrypt(this byte[] input, string alg, byte[] key, byte[] iv)
        {
            using (var algorithm = SymmetricAlgorithm.Create(alg)) return Encrypt(input, algorithm, key, iv);
        }

        public static byte[] Encrypt(this byte[] input, SymmetricAlgorithm alg)
        {
            return Encrypt(input, alg, alg.Key, alg.IV);
        }

        public static byte[] Encrypt(this byte[] input, SymmetricAlgorithm alg, byte[] key, byte[] iv)
        {
            using (var transform = alg.CreateEncryptor(key, iv)) return transform.TransformFinalBlock(input, 0, input.Length);
        }

        public static byte[] Decrypt(this byte[] input, string alg, byte[] key, byte[] iv)
        {
            using (var algorithm = SymmetricAlgorithm.Create(alg)) return Decrypt(input, algorithm, key, iv);
        }

        public static byte[] Decrypt(this byte[] input, SymmetricAlgorithm alg)
        {
            return Decrypt(input, alg, alg.Key, alg.IV);
        }

        public static byte[] Decrypt(this byte[] input, SymmetricAlgorithm alg, byte[] key, byte[] iv)
        {
            using (var transform = alg.CreateDecryptor(key, iv)) return transform.TransformFinalBlock(input, 0, input.Length);
        }

        // The runtime has no revocation source: it says so rather than answering "not revoked".
        public static bool VerifyNoRevocation(this X509Certificate2 input)
        {
            throw new NotSupportedException("VerifyNoRevocation: the local gateway has no revocation source");
        }

        public static string ToQueryString(this IDictionary<string, IList<string>> form)
        {
            return string.Join("&", form.SelectMany(pair => pair.Value.Select(v =>
                Uri.EscapeDataString(pair.Key) + "=" + Uri.EscapeDataString(v ?? ""))));
        }

        public static string ToFormUrlEncodedContent(this IDictionary<string, IList<string>> form)
        {
            return ToQueryString(form);
        }
    }
}

namespace Apim.Local
{
    using Apim.PolicyExpressions;

    /// <summary>Headers: case-insensitive names, each with its values (API Management's model).</summary>
    public sealed class HeaderMap : IReadOnlyDictionary<string, string[]>
    {
        private readonly Dictionary<string, string[]> map = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> order = new List<string>();

        public string[] this[string key] { get { return map[key]; } }
        public IEnumerable<string> Keys { get { return order.ToArray(); } }
        public IEnumerable<string[]> Values { get { return order.Select(k => map[k]).ToArray(); } }
        public int Count { get { return map.Count; } }
        public bool ContainsKey(string key) { return map.ContainsKey(key); }
        public bool TryGetValue(string key, out string[] value) { return map.TryGetValue(key, out value); }

        public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator()
        {
            return order.Select(k => new KeyValuePair<string, string[]>(k, map[k])).ToList().GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() { return GetEnumerator(); }

        public void Set(string name, params string[] values)
        {
            if (!map.ContainsKey(name)) order.Add(name);
            else order[order.FindIndex(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))] = name;
            map[name] = values;
        }

        public void Append(string name, params string[] values)
        {
            string[] existing;
            if (map.TryGetValue(name, out existing)) map[name] = existing.Concat(values).ToArray();
            else Set(name, values);
        }

        public void Remove(string name)
        {
            if (map.Remove(name)) order.RemoveAll(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-imessagebody
    // "preserveContent: true" keeps the body for the next reader; otherwise reading consumes it (the
    // original stream is gone, and the forwarded body is then empty unless set-body sets one).
    public sealed class MessageBody : IMessageBody
    {
        private byte[] content;
        private Func<byte[]> pending;

        public MessageBody(byte[] content) { this.content = content; }

        /// <summary>A body still streaming from the backend: read (buffered) only when an expression asks.</summary>
        public MessageBody(Func<byte[]> pending) { this.pending = pending; }

        public bool Streaming { get { return pending != null; } }

        public byte[] Bytes
        {
            get
            {
                if (pending != null)
                {
                    content = pending();
                    pending = null;
                }
                return content ?? new byte[0];
            }
        }

        public T As<T>(bool preserveContent = false)
        {
            var bytes = Bytes;
            if (!preserveContent) content = new byte[0];
            var text = Encoding.UTF8.GetString(bytes);
            object result;
            var type = typeof(T);
            if (type == typeof(string)) result = text;
            else if (type == typeof(byte[])) result = bytes;
            else if (type == typeof(JObject)) result = JObject.Parse(text);
            else if (type == typeof(JArray)) result = JArray.Parse(text);
            else if (type == typeof(JToken)) result = JToken.Parse(text);
            else if (type == typeof(XDocument)) result = XDocument.Parse(text);
            else if (type == typeof(XElement) || type == typeof(XNode)) result = XElement.Parse(text);
            else throw new InvalidOperationException("Body.As<" + type.Name + ">: not a type the reference allows");
            return (T)result;
        }

        public IDictionary<string, IList<string>> AsFormUrlEncodedContent(bool preserveContent = false)
        {
            var text = As<string>(preserveContent);
            var form = new Dictionary<string, IList<string>>(StringComparer.Ordinal);
            foreach (var pair in text.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString((eq < 0 ? pair : pair.Substring(0, eq)).Replace('+', ' '));
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
                IList<string> list;
                if (!form.TryGetValue(key, out list)) form[key] = list = new List<string>();
                list.Add(value);
            }
            return form;
        }
    }

    public sealed class Url : IUrl
    {
        public Url(Uri uri)
        {
            Host = uri.Host;
            Path = uri.AbsolutePath;
            Port = uri.Port;
            Scheme = uri.Scheme;
            QueryString = uri.Query;
            var query = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in uri.Query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString(eq < 0 ? pair : pair.Substring(0, eq));
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair.Substring(eq + 1));
                string[] existing;
                query[key] = query.TryGetValue(key, out existing) ? existing.Concat(new[] { value }).ToArray() : new[] { value };
            }
            Query = query;
        }

        public string Host { get; private set; }
        public string Path { get; private set; }
        public int Port { get; private set; }
        public IReadOnlyDictionary<string, string[]> Query { get; private set; }
        public string QueryString { get; private set; }
        public string Scheme { get; private set; }

        public override string ToString()
        {
            return Scheme + "://" + Host + ":" + Port + Path + QueryString;
        }
    }

    public sealed class Request : IRequest
    {
        public MessageBody BodyContent;
        public IMessageBody Body { get { return BodyContent; } }
        public X509Certificate2 Certificate { get { return null; } }
        public readonly HeaderMap HeaderMap = new HeaderMap();
        public IReadOnlyDictionary<string, string[]> Headers { get { return HeaderMap; } }
        public string IpAddress { get; set; }
        public IReadOnlyDictionary<string, string> MatchedParameters { get; set; }
        public string Method { get; set; }
        public IUrl OriginalUrl { get; set; }
        public IUrl Url { get; set; }
        public IPrivateEndpointConnection PrivateEndpointConnection { get { return null; } }
    }

    public sealed class Response : IResponse
    {
        public MessageBody BodyContent;
        public IMessageBody Body { get { return BodyContent; } }
        public readonly HeaderMap HeaderMap = new HeaderMap();
        public IReadOnlyDictionary<string, string[]> Headers { get { return HeaderMap; } }
        public int StatusCode { get; set; }
        public string StatusReason { get; set; }
        /// <summary>The backend's body stream, when forward-request did not buffer it.</summary>
        public System.IO.Stream Stream;
        /// <summary>Disposes the backend response once the stream is copied.</summary>
        public IDisposable Owner;
        /// <summary>Built by return-response (the gateway's own answer), not received from a backend.</summary>
        public bool FromPolicy;

        public Response() { StatusCode = 200; StatusReason = "OK"; }
    }

    public sealed class LastError : ILastError
    {
        public string Source { get; set; }
        public string Reason { get; set; }
        public string Message { get; set; }
        public string Scope { get; set; }
        public string Section { get; set; }
        public string Path { get; set; }
        public string PolicyId { get; set; }
    }

    public sealed class ApiInfo : IApi
    {
        public string Id { get; set; }
        public bool IsCurrentRevision { get { return true; } }
        public string Name { get { return Id; } }
        public string Path { get; set; }
        public IEnumerable<string> Protocols { get { return new[] { "https" }; } }
        public string Revision { get { return "1"; } }
        public IUrl ServiceUrl { get; set; }
        public ISubscriptionKeyParameterNames SubscriptionKeyParameterNames { get { return null; } }
        public string Version { get { return null; } }
    }

    public sealed class OperationInfo : IOperation
    {
        public string Id { get; set; }
        public string Method { get; set; }
        public string Name { get { return Id; } }
        public string UrlTemplate { get; set; }
    }

    public sealed class Variables : IReadOnlyDictionary<string, object>
    {
        private readonly Dictionary<string, object> map = new Dictionary<string, object>(StringComparer.Ordinal);
        public object this[string key] { get { return map[key]; } }
        public IEnumerable<string> Keys { get { return map.Keys; } }
        public IEnumerable<object> Values { get { return map.Values; } }
        public int Count { get { return map.Count; } }
        public bool ContainsKey(string key) { return map.ContainsKey(key); }
        public bool TryGetValue(string key, out object value) { return map.TryGetValue(key, out value); }
        public IEnumerator<KeyValuePair<string, object>> GetEnumerator() { return map.GetEnumerator(); }
        IEnumerator IEnumerable.GetEnumerator() { return map.GetEnumerator(); }
        public void Set(string key, object value) { map[key] = value; }
    }

    public sealed class ProxyContext : IProxyContext
    {
        public ApiInfo ApiInfo;
        public IApi Api { get { return ApiInfo; } }
        public IDeployment Deployment { get { return null; } }
        public TimeSpan Elapsed { get { return DateTime.UtcNow - Timestamp; } }
        public IGraphQL GraphQL { get { return null; } }
        public LastError Error;
        public ILastError LastError { get { return Error; } }
        public OperationInfo OperationInfo;
        public IOperation Operation { get { return OperationInfo; } }
        public IProduct Product { get { return null; } }
        public readonly Request Req = new Request();
        public IRequest Request { get { return Req; } }
        public Guid RequestId { get; set; }
        public Response Resp = new Response();
        public IResponse Response { get { return Resp; } }
        public ISubscription Subscription { get { return null; } }
        public DateTime Timestamp { get; set; }
        public bool Tracing { get { return false; } }
        public IUser User { get { return null; } }
        public readonly Variables Vars = new Variables();
        public IReadOnlyDictionary<string, object> Variables { get { return Vars; } }
        public void Trace(string message) { }
        public IWorkspace Workspace { get { return null; } }
    }
}

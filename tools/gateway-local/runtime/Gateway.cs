// The local API Management gateway: loads the configuration (tools/gateway-local/contract.ts), serves on
// 127.0.0.1 with HttpListener, matches requests to APIs and operations, runs the composed pipeline and
// makes every outbound call through hostOverrides (nothing leaves loopback).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Apim.PolicyExpressions;
using Newtonsoft.Json.Linq;

namespace Apim.Local
{
    public sealed class Switches
    {
        public int CacheVisibilityDelayMs;
        public bool CacheEmptiedBetweenRequests;
        public string TokenValidationErrorSource = "validate-azure-ad-token";
        /// <summary>Whether `cors` headers also go on answers built by return-response (undocumented).</summary>
        public bool CorsOnGatewayAnswers = true;
    }

    public sealed class OperationEntry
    {
        public OperationInfo Info;
        public Regex Template;
        public PolicyDocument Policy;
    }

    public sealed class ApiEntry
    {
        public ApiInfo Info;
        public string PathPrefix;
        public PolicyDocument Policy;
        public List<OperationEntry> Operations = new List<OperationEntry>();
    }

    public sealed class TenantKeySet
    {
        public string Issuer;
        public List<JObject> Keys;
    }

    // https://learn.microsoft.com/azure/api-management/api-management-howto-cache#internal-cache
    // One internal cache for every caching-type (there is no external cache locally). The switches model
    // what Microsoft leaves open: a stored value visible only after a delay, and a cache emptied between
    // requests (as after a service update).
    public sealed class LocalCache
    {
        private sealed class Entry
        {
            public object Value;
            public DateTime VisibleAt;
            public DateTime Expires;
        }

        private readonly Dictionary<string, Entry> entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        private readonly Switches switches;
        public LocalCache(Switches switches) { this.switches = switches; }

        public bool TryGet(string key, out object value)
        {
            lock (entries)
            {
                Entry entry;
                var now = DateTime.UtcNow;
                if (entries.TryGetValue(key, out entry) && now >= entry.VisibleAt && now < entry.Expires)
                {
                    value = entry.Value;
                    return true;
                }
                value = null;
                return false;
            }
        }

        public void Store(string key, object value, TimeSpan duration)
        {
            lock (entries)
            {
                var now = DateTime.UtcNow;
                entries[key] = new Entry { Value = value, VisibleAt = now.AddMilliseconds(switches.CacheVisibilityDelayMs), Expires = now + duration };
            }
        }

        public void Remove(string key) { lock (entries) entries.Remove(key); }
        public void Clear() { lock (entries) entries.Clear(); }
    }

    public struct LimitResult
    {
        public bool Allowed;
        public int Remaining;
        public int RetryAfterSeconds;
    }

    // rate-limit-by-key: a window starts with the first call of a key and lasts renewal-period seconds.
    // quota-by-key: windows are aligned to first-period-start (default 0001-01-01T00:00:00Z).
    public sealed class Counters
    {
        private sealed class Window
        {
            public DateTime Start;
            public int Count;
        }

        private readonly Dictionary<string, Window> windows = new Dictionary<string, Window>(StringComparer.Ordinal);

        public LimitResult Hit(string kind, string key, int calls, int periodSeconds, bool aligned, int increment)
        {
            lock (windows)
            {
                var now = DateTime.UtcNow;
                var period = TimeSpan.FromSeconds(Math.Max(1, periodSeconds));
                var id = kind + "|" + periodSeconds + "|" + key;
                var start = aligned ? new DateTime(now.Ticks - (now.Ticks % period.Ticks), DateTimeKind.Utc) : now;
                Window window;
                if (!windows.TryGetValue(id, out window) || now >= window.Start + period || (aligned && window.Start != start))
                    windows[id] = window = new Window { Start = start, Count = 0 };
                var retry = (int)Math.Ceiling((window.Start + period - now).TotalSeconds);
                if (window.Count >= calls) return new LimitResult { Allowed = false, Remaining = 0, RetryAfterSeconds = Math.Max(1, retry) };
                window.Count += increment;
                return new LimitResult { Allowed = true, Remaining = Math.Max(0, calls - window.Count), RetryAfterSeconds = Math.Max(1, retry) };
            }
        }
    }

    public sealed class Gateway
    {
        public readonly Dictionary<string, string> Backends = new Dictionary<string, string>(StringComparer.Ordinal);
        public readonly Dictionary<string, string> HostOverrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public readonly Switches Switches = new Switches();
        public readonly LocalCache Cache;
        public readonly Counters Counters = new Counters();
        public readonly List<ApiEntry> Apis = new List<ApiEntry>();
        public PolicyDocument Global;
        public string ManagedIdentityEndpoint;
        public int Port;
        private readonly Dictionary<string, TenantKeySet> tenantKeys = new Dictionary<string, TenantKeySet>();
        private readonly Dictionary<string, KeyValuePair<string, DateTime>> identityTokens = new Dictionary<string, KeyValuePair<string, DateTime>>();
        private readonly object output = new object();

        public Gateway() { Cache = new LocalCache(Switches); }

        public void WriteLine(string line)
        {
            lock (output)
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
            }
        }

        public static Gateway Load(JObject config, IReadOnlyDictionary<string, Func<IProxyContext, object>> expressions)
        {
            var gateway = new Gateway();
            var switches = config["switches"] as JObject;
            if (switches == null) throw new LoadException("config: switches is required");
            gateway.Switches.CacheVisibilityDelayMs = (int)switches["cacheVisibilityDelayMs"];
            gateway.Switches.CacheEmptiedBetweenRequests = (bool)switches["cacheEmptiedBetweenRequests"];
            var source = (string)switches["tokenValidationErrorSource"];
            if (source != "validate-azure-ad-token" && source != "validate-jwt" && source != "")
                throw new LoadException("config: switches.tokenValidationErrorSource \"" + source + "\" is not one of validate-azure-ad-token, validate-jwt, \"\"");
            gateway.Switches.TokenValidationErrorSource = source;
            if (switches["corsOnGatewayAnswers"] != null) gateway.Switches.CorsOnGatewayAnswers = (bool)switches["corsOnGatewayAnswers"];
            foreach (var pair in (JObject)config["backends"] ?? new JObject()) gateway.Backends[pair.Key] = (string)pair.Value;
            foreach (var pair in (JObject)config["hostOverrides"] ?? new JObject()) gateway.HostOverrides[pair.Key.TrimEnd('/')] = ((string)pair.Value).TrimEnd('/');
            gateway.ManagedIdentityEndpoint = (string)config["managedIdentityEndpoint"];
            gateway.Port = (int)config["listen"]["port"];
            if ((string)config["listen"]["host"] != "127.0.0.1") throw new LoadException("config: listen.host must be 127.0.0.1");

            var loader = new Loader(expressions, gateway);
            gateway.Global = loader.Load("global policy", (string)config["globalPolicy"]);
            foreach (JObject api in (JArray)config["apis"])
            {
                var id = (string)api["id"];
                var serviceUrl = (string)api["serviceUrl"];
                var entry = new ApiEntry
                {
                    Info = new ApiInfo { Id = id, Path = (string)api["path"], ServiceUrl = serviceUrl == null ? null : new Url(new Uri(serviceUrl)) },
                    PathPrefix = ((string)api["path"] ?? "").Trim('/'),
                    Policy = api["policy"] == null ? null : loader.Load("policy of API " + id, (string)api["policy"]),
                };
                foreach (JObject operation in (JArray)api["operations"])
                {
                    var operationId = (string)operation["id"];
                    var template = (string)operation["urlTemplate"];
                    entry.Operations.Add(new OperationEntry
                    {
                        Info = new OperationInfo { Id = operationId, Method = ((string)operation["method"]).ToUpperInvariant(), UrlTemplate = template },
                        Template = TemplateRegex(template, "operation " + id + "/" + operationId),
                        Policy = operation["policy"] == null ? null : loader.Load("policy of operation " + id + "/" + operationId, (string)operation["policy"]),
                    });
                }
                gateway.Apis.Add(entry);
            }
            return gateway;
        }

        // https://learn.microsoft.com/azure/api-management/add-api-manually#add-and-test-a-parameterized-operation
        // `{name}` matches one path segment, `{*name}` the rest of the path; matching ignores case and a
        // trailing slash.
        public static Regex TemplateRegex(string template, string where)
        {
            var path = template.Split('?')[0];
            if (path.Contains("{") && !Regex.IsMatch(path, @"^([^{}]|\{\*?[A-Za-z0-9_-]+\})*$"))
                throw new LoadException(where + ": urlTemplate \"" + template + "\" is not a template the local gateway understands");
            var pattern = new StringBuilder("^");
            foreach (Match part in Regex.Matches(path.TrimEnd('/'), @"\{\*?[A-Za-z0-9_-]+\}|[^{]+"))
            {
                var text = part.Value;
                if (text.StartsWith("{*")) pattern.Append("(?<" + text.Substring(2, text.Length - 3).Replace("-", "_") + ">.*)");
                else if (text.StartsWith("{")) pattern.Append("(?<" + text.Substring(1, text.Length - 2).Replace("-", "_") + ">[^/]+)");
                else pattern.Append(Regex.Escape(text));
            }
            pattern.Append("/?$");
            return new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        /// <summary>The local origin for a URL, through hostOverrides; loopback URLs are used as they are.</summary>
        public Uri Route(string url, string source)
        {
            Uri uri;
            if (!Uri.TryCreate(url, UriKind.Absolute, out uri))
                throw new PolicyError(source, "BackendConnectionFailure", "Invalid URL: " + url);
            var origin = uri.GetLeftPart(UriPartial.Authority).TrimEnd('/');
            string local;
            if (HostOverrides.TryGetValue(origin, out local)) return new Uri(local + uri.PathAndQuery);
            if (uri.IsLoopback) return uri;
            throw new PolicyError(source, "BackendConnectionFailure", "Unable to connect to the remote server (" + origin + " has no local override).");
        }

        private static readonly HashSet<string> SkippedRequestHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Expect", "Proxy-Connection",
        };

        /// <summary>One outbound HTTP call; `timeoutSeconds` bounds the wait for the response headers.</summary>
        public Response Send(OutgoingRequest outgoing, int timeoutSeconds, string source, bool buffer)
        {
            var uri = Route(outgoing.Url, source);
            var request = (HttpWebRequest)WebRequest.Create(uri);
            request.Method = outgoing.Method;
            request.AllowAutoRedirect = false;
            request.Proxy = null;
            request.KeepAlive = true;
            request.AutomaticDecompression = DecompressionMethods.None;
            request.Timeout = Math.Max(1, timeoutSeconds) * 1000;
            request.ReadWriteTimeout = Timeout.Infinite;
            foreach (var header in outgoing.HeaderMap)
            {
                if (SkippedRequestHeaders.Contains(header.Key)) continue;
                var value = string.Join(",", header.Value);
                switch (header.Key.ToLowerInvariant())
                {
                    case "accept": request.Accept = value; break;
                    case "content-type": request.ContentType = value; break;
                    case "user-agent": request.UserAgent = value; break;
                    case "referer": request.Referer = value; break;
                    case "date": break;
                    case "if-modified-since": break;
                    case "range": break;
                    default: request.Headers.Add(header.Key, value); break;
                }
            }
            HttpWebResponse response;
            try
            {
                if (outgoing.Body != null && outgoing.Body.Length > 0)
                {
                    request.ContentLength = outgoing.Body.Length;
                    using (var stream = request.GetRequestStream()) stream.Write(outgoing.Body, 0, outgoing.Body.Length);
                }
                response = (HttpWebResponse)request.GetResponse();
            }
            catch (WebException e)
            {
                if (e.Status == WebExceptionStatus.ProtocolError && e.Response != null) response = (HttpWebResponse)e.Response;
                else if (e.Status == WebExceptionStatus.Timeout)
                    throw new PolicyError(source, "Timeout", "Request to the backend service timed out");
                else
                    throw new PolicyError(source, "BackendConnectionFailure", "The backend service could not be reached: " + e.Message);
            }
            var result = new Response { StatusCode = (int)response.StatusCode, StatusReason = response.StatusDescription };
            foreach (string name in response.Headers.AllKeys)
            {
                if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                result.HeaderMap.Set(name, response.Headers.GetValues(name) ?? new[] { response.Headers[name] });
            }
            var body = response.GetResponseStream();
            if (buffer)
            {
                using (response)
                using (var copy = new MemoryStream())
                {
                    body.CopyTo(copy);
                    result.BodyContent = new MessageBody(copy.ToArray());
                }
                return result;
            }
            // Not buffered: the stream goes to the client as it arrives, unless an expression reads the body
            // (reading it buffers it, as API Management does).
            result.Stream = body;
            result.Owner = response;
            result.BodyContent = new MessageBody(() =>
            {
                using (var copy = new MemoryStream())
                {
                    body.CopyTo(copy);
                    response.Dispose();
                    result.Stream = null;
                    result.Owner = null;
                    return copy.ToArray();
                }
            });
            return result;
        }

        private JObject GetJson(string url, string source)
        {
            var response = Send(new OutgoingRequest { Url = url, Method = "GET" }, 10, source, true);
            if (response.StatusCode != 200) throw new PolicyError(source, "BackendConnectionFailure", url + " answered " + response.StatusCode);
            return JObject.Parse(Encoding.UTF8.GetString(response.BodyContent.Bytes));
        }

        /// <summary>The tenant's issuer and signing keys, from its v2.0 OpenID metadata and JWKS (cached; refreshed on an unknown kid).</summary>
        public TenantKeySet TenantKeys(string tenant, string kid = null)
        {
            lock (tenantKeys)
            {
                TenantKeySet set;
                if (tenantKeys.TryGetValue(tenant, out set) && (kid == null || set.Keys.Any(k => (string)k["kid"] == kid))) return set;
            }
            var source = Switches.TokenValidationErrorSource;
            JObject metadata;
            JObject jwks;
            try
            {
                metadata = GetJson("https://login.microsoftonline.com/" + tenant + "/v2.0/.well-known/openid-configuration", source);
                jwks = GetJson((string)metadata["jwks_uri"], source);
            }
            catch (Exception e)
            {
                throw new PolicyError(source, "OpenIdConfigurationUnavailable", "OpenID configuration of tenant " + tenant + " could not be read: " + e.Message);
            }
            var fresh = new TenantKeySet { Issuer = (string)metadata["issuer"] ?? "", Keys = ((JArray)jwks["keys"]).OfType<JObject>().ToList() };
            lock (tenantKeys) tenantKeys[tenant] = fresh;
            return fresh;
        }

        public string ManagedIdentityToken(string resource, string clientId)
        {
            var cacheKey = resource + "|" + clientId;
            lock (identityTokens)
            {
                KeyValuePair<string, DateTime> cached;
                if (identityTokens.TryGetValue(cacheKey, out cached) && cached.Value > DateTime.UtcNow) return cached.Key;
            }
            if (string.IsNullOrEmpty(ManagedIdentityEndpoint)) throw new InvalidOperationException("no managedIdentityEndpoint is configured");
            var url = ManagedIdentityEndpoint + (ManagedIdentityEndpoint.Contains("?") ? "&" : "?") + "resource=" + Uri.EscapeDataString(resource)
                + (clientId == null ? "" : "&client_id=" + Uri.EscapeDataString(clientId));
            var answer = GetJson(url, "authentication-managed-identity");
            var token = (string)answer["access_token"];
            if (string.IsNullOrEmpty(token)) throw new InvalidOperationException("the identity endpoint returned no access_token");
            var expiresIn = answer["expires_in"] == null ? 3600 : (int)answer["expires_in"];
            lock (identityTokens) identityTokens[cacheKey] = new KeyValuePair<string, DateTime>(token, DateTime.UtcNow.AddSeconds(Math.Max(0, expiresIn - 60)));
            return token;
        }
    }
}

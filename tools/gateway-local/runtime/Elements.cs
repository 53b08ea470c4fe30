// The policy elements, each from Microsoft's policy reference (link beside its code). Microsoft's own
// model of each element: Azure/azure-api-management-policy-toolkit, src/Testing/Emulator/Policies/.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using Apim.PolicyExpressions;
using Newtonsoft.Json.Linq;

namespace Apim.Local
{
    /// <summary>The body API Management answers a policy's refusal with: `{ "statusCode": n, "message": "..." }`.</summary>
    public static class ErrorBody
    {
        public static byte[] Json(int status, string message)
        {
            var body = new JObject { ["statusCode"] = status, ["message"] = message };
            return Encoding.UTF8.GetBytes(body.ToString(Newtonsoft.Json.Formatting.None));
        }
    }

    /// <summary>Where set-header / set-body / set-status write: the request, the response, or a message being built.</summary>
    public abstract class MessageTarget
    {
        public abstract HeaderMap Headers { get; }
        public abstract void SetBody(byte[] body);
        public virtual void SetStatus(int code, string reason)
        {
            throw new PolicyError("set-status", "PolicyNotAllowed", "set-status applies to a response only");
        }
    }

    public sealed class RequestTarget : MessageTarget
    {
        private readonly Request request;
        public RequestTarget(Request request) { this.request = request; }
        public override HeaderMap Headers { get { return request.HeaderMap; } }
        public override void SetBody(byte[] body) { request.BodyContent = new MessageBody(body); }
    }

    public sealed class ResponseTarget : MessageTarget
    {
        public readonly Response Response;
        public ResponseTarget(Response response) { Response = response; }
        public override HeaderMap Headers { get { return Response.HeaderMap; } }

        public override void SetBody(byte[] body)
        {
            if (Response.Owner != null) Response.Owner.Dispose();
            Response.Owner = null;
            Response.Stream = null;
            Response.BodyContent = new MessageBody(body);
        }

        public override void SetStatus(int code, string reason)
        {
            Response.StatusCode = code;
            Response.StatusReason = reason;
        }
    }

    /// <summary>The request a send-request builds.</summary>
    public sealed class OutgoingRequest : MessageTarget
    {
        public readonly HeaderMap HeaderMap = new HeaderMap();
        public string Url;
        public string Method = "GET";
        public byte[] Body;
        public override HeaderMap Headers { get { return HeaderMap; } }
        public override void SetBody(byte[] body) { Body = body; }
    }

    /// <summary>One request's run through the composed pipeline.</summary>
    public sealed class Exec
    {
        public readonly ProxyContext Context;
        public readonly Gateway Gateway;
        /// <summary>global (0), API (1), operation (2); null where a scope has no document.</summary>
        public readonly PolicyDocument[] Scopes;
        public string Section;
        public int Level;
        public readonly Stack<MessageTarget> Targets = new Stack<MessageTarget>();
        public string BackendBaseUrl;
        public string OperationRemainder;
        /// <summary>Headers the cors policy adds to the response of an accepted cross-origin request.</summary>
        public readonly List<KeyValuePair<string, string>> CorsHeaders = new List<KeyValuePair<string, string>>();
        /// <summary>Headers policies add to whatever response the client finally gets (rate-limit-by-key's counters).</summary>
        public readonly List<KeyValuePair<string, string>> ResponseHeaders = new List<KeyValuePair<string, string>>();
        public bool CorsHandled;
        public bool Streaming;

        public Exec(ProxyContext context, Gateway gateway, PolicyDocument[] scopes)
        {
            Context = context;
            Gateway = gateway;
            Scopes = scopes;
        }

        public static readonly string[] ScopeNames = { "global", "api", "operation" };

        public MessageTarget Target
        {
            get
            {
                if (Targets.Count > 0) return Targets.Peek();
                if (Section == "inbound" || Section == "backend") return new RequestTarget(Context.Req);
                return new ResponseTarget(Context.Resp);
            }
        }

        // https://learn.microsoft.com/azure/api-management/api-management-howto-policies#scopes
        // A section runs the operation's policy; its <base/> runs the API's, whose <base/> runs the global one.
        // A scope without a document (or without the section) behaves as a bare <base/>.
        public void RunSection(string section, int level)
        {
            if (level < 0) return;
            var document = Scopes[level];
            List<Node> nodes;
            if (document == null || !document.Sections.TryGetValue(section, out nodes))
            {
                RunSection(section, level - 1);
                return;
            }
            var savedSection = Section;
            var savedLevel = Level;
            Section = section;
            Level = level;
            try
            {
                Run(nodes);
            }
            finally
            {
                Section = savedSection;
                Level = savedLevel;
            }
        }

        public void Run(List<Node> nodes)
        {
            foreach (var node in nodes)
            {
                try
                {
                    node.Run(this);
                }
                catch (PolicyError e)
                {
                    if (Context.Error == null || Context.Error.Message != e.Message)
                    {
                        Context.Error = new LastError
                        {
                            Source = e.Source,
                            Reason = e.Reason,
                            Message = e.Message,
                            Scope = ScopeNames[Level],
                            Section = Section,
                            Path = node.Path,
                            PolicyId = "",
                        };
                    }
                    throw;
                }
            }
        }
    }

    internal sealed class BaseNode : Node
    {
        public override void Run(Exec x) { x.RunSection(x.Section, x.Level - 1); }
    }

    // https://learn.microsoft.com/azure/api-management/choose-policy
    internal sealed class ChooseNode : Node
    {
        public readonly List<KeyValuePair<Value, List<Node>>> Whens = new List<KeyValuePair<Value, List<Node>>>();
        public List<Node> Otherwise;

        public override void Run(Exec x)
        {
            foreach (var when in Whens)
            {
                if (when.Key.Bool(x, "choose"))
                {
                    x.Run(when.Value);
                    return;
                }
            }
            if (Otherwise != null) x.Run(Otherwise);
        }
    }

    // https://learn.microsoft.com/azure/api-management/set-variable-policy
    internal sealed class SetVariableNode : Node
    {
        public string VariableName;
        public Value Value;
        public override void Run(Exec x) { x.Context.Vars.Set(VariableName, Value.Eval(x, "set-variable")); }
    }

    // https://learn.microsoft.com/azure/api-management/set-header-policy
    internal sealed class SetHeaderNode : Node
    {
        public Value HeaderName;
        public string ExistsAction;
        public List<Value> Values = new List<Value>();

        public override void Run(Exec x)
        {
            var headers = x.Target.Headers;
            var name = HeaderName.String(x, "set-header");
            if (ExistsAction == "delete")
            {
                headers.Remove(name);
                return;
            }
            var values = Values.Select(v => v.String(x, "set-header")).Where(v => v != null).ToArray();
            if (ExistsAction == "skip" && headers.ContainsKey(name)) return;
            if (ExistsAction == "append") headers.Append(name, values);
            else headers.Set(name, values);
        }
    }

    // https://learn.microsoft.com/azure/api-management/set-body-policy
    internal sealed class SetBodyNode : Node
    {
        public Value Body;

        public override void Run(Exec x)
        {
            var value = Body.Eval(x, "set-body");
            byte[] bytes = value as byte[];
            if (bytes == null)
            {
                var token = value as JToken;
                var text = token != null ? token.ToString(Newtonsoft.Json.Formatting.None) : Convert.ToString(value, CultureInfo.InvariantCulture);
                bytes = Encoding.UTF8.GetBytes(text ?? "");
            }
            x.Target.SetBody(bytes);
        }
    }

    // https://learn.microsoft.com/azure/api-management/set-status-policy
    internal sealed class SetStatusNode : Node
    {
        public Value Code;
        public Value Reason;
        public override void Run(Exec x)
        {
            x.Target.SetStatus(Code.Int(x, "set-status"), Reason == null ? "" : Reason.String(x, "set-status"));
        }
    }

    // https://learn.microsoft.com/azure/api-management/return-response-policy
    // "aborts pipeline execution and returns either a default or custom response to the caller":
    // nothing after it runs, in this section or any later one (outbound included).
    internal sealed class ReturnResponseNode : Node
    {
        public List<Node> Children;

        public override void Run(Exec x)
        {
            var response = new Response { FromPolicy = true };
            x.Targets.Push(new ResponseTarget(response));
            try
            {
                x.Run(Children);
            }
            finally
            {
                x.Targets.Pop();
            }
            throw new ReturnSignal(response);
        }
    }

    // https://learn.microsoft.com/azure/api-management/trace-policy
    internal sealed class TraceNode : Node
    {
        public Value Source;
        public string Severity;
        public Value Message;
        public List<KeyValuePair<string, Value>> Metadata = new List<KeyValuePair<string, Value>>();

        public override void Run(Exec x)
        {
            var metadata = new JObject();
            foreach (var pair in Metadata) metadata[pair.Key] = pair.Value.String(x, "trace") ?? "";
            var line = new JObject
            {
                ["source"] = Source.String(x, "trace") ?? "",
                ["severity"] = Severity,
                ["message"] = Message.String(x, "trace") ?? "",
                ["metadata"] = metadata,
            };
            x.Gateway.WriteLine("TRACE " + line.ToString(Newtonsoft.Json.Formatting.None));
        }
    }

    // https://learn.microsoft.com/azure/api-management/set-backend-service-policy
    internal sealed class SetBackendServiceNode : Node
    {
        public Value BackendId;
        public Value BaseUrl;

        public override void Run(Exec x)
        {
            if (BaseUrl != null)
            {
                x.BackendBaseUrl = BaseUrl.String(x, "set-backend-service");
                return;
            }
            var id = BackendId.String(x, "set-backend-service");
            string url;
            if (!x.Gateway.Backends.TryGetValue(id ?? "", out url))
                throw new PolicyError("set-backend-service", "BackendNotFound", "Backend with id '" + id + "' could not be found.");
            x.BackendBaseUrl = url;
        }
    }

    // https://learn.microsoft.com/azure/api-management/authentication-managed-identity-policy
    internal sealed class ManagedIdentityNode : Node
    {
        public Value Resource;
        public Value ClientId;
        public string OutputVariable;
        public bool IgnoreError;

        public override void Run(Exec x)
        {
            string token;
            try
            {
                token = x.Gateway.ManagedIdentityToken(Resource.String(x, Name), ClientId == null ? null : ClientId.String(x, Name));
            }
            catch (PolicyError)
            {
                throw;
            }
            catch (Exception e)
            {
                if (IgnoreError) return;
                throw new PolicyError("authentication-managed-identity", "TokenAcquisitionFailure",
                    "Managed identity token could not be acquired: " + e.Message);
            }
            x.Target.Headers.Set("Authorization", "Bearer " + token);
            if (OutputVariable != null) x.Context.Vars.Set(OutputVariable, token);
        }
    }

    // https://learn.microsoft.com/azure/api-management/cache-lookup-value-policy
    // https://learn.microsoft.com/azure/api-management/cache-store-value-policy
    // https://learn.microsoft.com/azure/api-management/cache-remove-value-policy
    internal sealed class CacheNode : Node
    {
        public string Kind;
        public Value Key;
        public Value CacheValue;
        public Value Duration;
        public Value DefaultValue;
        public string VariableName;

        public override void Run(Exec x)
        {
            var key = Key.String(x, Name);
            var cache = x.Gateway.Cache;
            if (Kind == "lookup")
            {
                object found;
                if (cache.TryGet(key, out found)) x.Context.Vars.Set(VariableName, found);
                else if (DefaultValue != null) x.Context.Vars.Set(VariableName, DefaultValue.Eval(x, Name));
            }
            else if (Kind == "store")
            {
                cache.Store(key, CacheValue.Eval(x, Name), TimeSpan.FromSeconds(Duration.Int(x, Name)));
            }
            else cache.Remove(key);
        }
    }

    // https://learn.microsoft.com/azure/api-management/rate-limit-by-key-policy
    // https://learn.microsoft.com/azure/api-management/quota-by-key-policy
    internal sealed class LimitNode : Node
    {
        public bool Quota;
        public Value Calls;
        public Value RenewalPeriod;
        public Value CounterKey;
        public Value IncrementCondition;
        public Value IncrementCount;
        public string RetryAfterHeader;
        public string RetryAfterVariable;
        public string RemainingHeader;
        public string RemainingVariable;
        public string TotalHeader;

        public override void Run(Exec x)
        {
            var calls = Calls.Int(x, Name);
            var period = RenewalPeriod.Int(x, Name);
            var key = CounterKey.String(x, Name) ?? "";
            var increment = IncrementCondition == null || IncrementCondition.Bool(x, Name);
            var count = IncrementCount == null ? 1 : IncrementCount.Int(x, Name);
            var result = x.Gateway.Counters.Hit(Quota ? "quota" : "rate", key, calls, period, Quota, increment ? count : 0);
            if (RemainingVariable != null) x.Context.Vars.Set(RemainingVariable, result.Remaining);
            if (RetryAfterVariable != null && !result.Allowed) x.Context.Vars.Set(RetryAfterVariable, result.RetryAfterSeconds);
            if (result.Allowed)
            {
                // These headers belong on the response the client gets, which forward-request has not made yet.
                if (RemainingHeader != null) x.ResponseHeaders.Add(new KeyValuePair<string, string>(RemainingHeader, result.Remaining.ToString(CultureInfo.InvariantCulture)));
                if (TotalHeader != null) x.ResponseHeaders.Add(new KeyValuePair<string, string>(TotalHeader, calls.ToString(CultureInfo.InvariantCulture)));
                return;
            }
            // 429 "Too Many Requests" (rate) / 403 "Forbidden" (quota), with Retry-After, then on-error.
            var response = x.Context.Resp;
            var retry = result.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            response.StatusCode = Quota ? 403 : 429;
            response.StatusReason = Quota ? "Forbidden" : "Too Many Requests";
            response.HeaderMap.Set("Retry-After", retry);
            response.HeaderMap.Set("Content-Type", "application/json");
            if (RetryAfterHeader != null) response.HeaderMap.Set(RetryAfterHeader, retry);
            if (RemainingHeader != null) response.HeaderMap.Set(RemainingHeader, "0");
            if (TotalHeader != null) response.HeaderMap.Set(TotalHeader, calls.ToString(CultureInfo.InvariantCulture));
            var error = Quota
                ? new PolicyError("quota-by-key", "QuotaExceeded", "Out of call volume quota. Quota will be replenished in " + TimeSpan.FromSeconds(result.RetryAfterSeconds).ToString(@"hh\:mm\:ss") + ".")
                : new PolicyError("rate-limit-by-key", "RateLimitExceeded", "Rate limit is exceeded. Try again in " + retry + " seconds.");
            response.BodyContent = new MessageBody(ErrorBody.Json(response.StatusCode, error.Message));
            throw error;
        }
    }

    // https://learn.microsoft.com/azure/api-management/cors-policy
    internal sealed class CorsNode : Node
    {
        public bool AllowCredentials;
        public bool TerminateUnmatched = true;
        public List<string> Origins = new List<string>();
        public List<string> Methods = new List<string>();
        public int? MaxAge;
        public List<string> AllowedHeaders = new List<string>();
        public List<string> ExposeHeaders = new List<string>();

        private bool OriginAllowed(string origin)
        {
            return Origins.Contains("*") || Origins.Any(o => string.Equals(o.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
        }

        private string AllowOriginValue(string origin)
        {
            return Origins.Contains("*") && !AllowCredentials ? "*" : origin;
        }

        public override void Run(Exec x)
        {
            var request = x.Context.Req;
            var origin = request.Headers.GetValueOrDefault("Origin", (string)null);
            if (origin == null || x.CorsHandled) return;
            x.CorsHandled = true;
            var preflight = request.Method == "OPTIONS" && request.Headers.ContainsKey("Access-Control-Request-Method");
            if (preflight)
            {
                var method = request.Headers.GetValueOrDefault("Access-Control-Request-Method", "");
                var asked = request.Headers.GetValueOrDefault("Access-Control-Request-Headers", "")
                    .Split(',').Select(h => h.Trim()).Where(h => h.Length > 0).ToList();
                var methodOk = Methods.Count == 0 ? method == "GET" || method == "POST" : Methods.Contains("*") || Methods.Contains(method, StringComparer.OrdinalIgnoreCase);
                var headersOk = AllowedHeaders.Contains("*") || asked.All(h => AllowedHeaders.Contains(h, StringComparer.OrdinalIgnoreCase));
                var answer = new Response();
                if (OriginAllowed(origin) && methodOk && headersOk)
                {
                    answer.HeaderMap.Set("Access-Control-Allow-Origin", AllowOriginValue(origin));
                    answer.HeaderMap.Set("Access-Control-Allow-Methods", Methods.Contains("*") ? method : string.Join(",", Methods));
                    if (asked.Count > 0) answer.HeaderMap.Set("Access-Control-Allow-Headers", string.Join(",", asked));
                    if (AllowCredentials) answer.HeaderMap.Set("Access-Control-Allow-Credentials", "true");
                    if (MaxAge != null) answer.HeaderMap.Set("Access-Control-Max-Age", MaxAge.Value.ToString(CultureInfo.InvariantCulture));
                }
                // A preflight ends here either way: matched with the CORS headers, unmatched with an empty
                // 200 (terminate-unmatched-request="true", or false with no other cors policy in scope).
                throw new ReturnSignal(answer);
            }
            if (OriginAllowed(origin))
            {
                x.CorsHeaders.Add(new KeyValuePair<string, string>("Access-Control-Allow-Origin", AllowOriginValue(origin)));
                if (AllowCredentials) x.CorsHeaders.Add(new KeyValuePair<string, string>("Access-Control-Allow-Credentials", "true"));
                if (ExposeHeaders.Count > 0) x.CorsHeaders.Add(new KeyValuePair<string, string>("Access-Control-Expose-Headers", string.Join(",", ExposeHeaders)));
                return;
            }
            // Unmatched simple request: terminate-unmatched-request="true" answers an empty 200 to GET/HEAD;
            // otherwise the request proceeds without CORS headers.
            if (TerminateUnmatched && (request.Method == "GET" || request.Method == "HEAD")) throw new ReturnSignal(new Response());
        }
    }

    // https://learn.microsoft.com/azure/api-management/forward-request-policy
    internal sealed class ForwardRequestNode : Node
    {
        public Value Timeout;
        public bool BufferResponse = true;

        public override void Run(Exec x)
        {
            var timeout = Timeout == null ? 300 : Timeout.Int(x, Name);
            var baseUrl = x.BackendBaseUrl ?? (x.Context.ApiInfo.ServiceUrl == null ? null : x.Context.ApiInfo.ServiceUrl.ToString());
            if (string.IsNullOrEmpty(baseUrl))
                throw new PolicyError("forward-request", "BackendConnectionFailure", "No backend service URL: the API has no serviceUrl and no set-backend-service ran.");
            var url = baseUrl.TrimEnd('/') + x.OperationRemainder + x.Context.Req.Url.QueryString;
            var request = x.Context.Req;
            var outgoing = new OutgoingRequest { Url = url, Method = request.Method };
            foreach (var header in request.HeaderMap) outgoing.HeaderMap.Set(header.Key, header.Value);
            outgoing.Body = request.BodyContent == null ? null : request.BodyContent.Bytes;
            var response = x.Gateway.Send(outgoing, timeout, "forward-request", BufferResponse);
            if (x.Context.Resp.Owner != null) x.Context.Resp.Owner.Dispose();
            x.Context.Resp = response;
            x.Streaming = !BufferResponse;
        }
    }

    // https://learn.microsoft.com/azure/api-management/send-request-policy
    internal sealed class SendRequestNode : Node
    {
        public string Mode = "new";
        public string ResponseVariable;
        public Value Timeout;
        public bool IgnoreError;
        public List<Node> Children;

        public override void Run(Exec x)
        {
            var outgoing = new OutgoingRequest();
            if (Mode == "copy")
            {
                var request = x.Context.Req;
                outgoing.Url = request.Url.ToString();
                outgoing.Method = request.Method;
                foreach (var header in request.HeaderMap) outgoing.HeaderMap.Set(header.Key, header.Value);
                outgoing.Body = request.BodyContent == null ? null : request.BodyContent.Bytes;
            }
            x.Targets.Push(outgoing);
            try
            {
                x.Run(Children);
            }
            finally
            {
                x.Targets.Pop();
            }
            Response response;
            try
            {
                if (outgoing.Url == null) throw new PolicyError("send-request", "BackendConnectionFailure", "send-request has no URL");
                response = x.Gateway.Send(outgoing, Timeout == null ? 60 : Timeout.Int(x, Name), "send-request", true);
            }
            catch (PolicyError)
            {
                // ignore-error: "If set to true and the request results in an error, the error is ignored,
                // and the response variable will contain a null value."
                if (!IgnoreError) throw;
                response = null;
            }
            if (ResponseVariable != null) x.Context.Vars.Set(ResponseVariable, response);
        }
    }

    internal sealed class SetUrlNode : Node
    {
        public Value Url;
        public override void Run(Exec x) { ((OutgoingRequest)x.Target).Url = Url.String(x, "set-url"); }
    }

    internal sealed class SetMethodNode : Node
    {
        public Value Method;
        public override void Run(Exec x) { ((OutgoingRequest)x.Target).Method = (Method.String(x, "set-method") ?? "GET").Trim().ToUpperInvariant(); }
    }

    public static class Elements
    {
        private static bool Flag(ElementReader r, string name, bool fallback)
        {
            return r.Choice(name, fallback ? "true" : "false", "true", "false") == "true";
        }

        public static Node Load(ElementReader r, string section, Loader loader)
        {
            switch (r.Name)
            {
                case "base":
                    r.Children();
                    if (r.Children().Count > 0) throw r.Error("<base> takes no content");
                    return new BaseNode();
                case "choose":
                {
                    var choose = new ChooseNode();
                    foreach (var child in r.Children("when", "otherwise"))
                    {
                        if (choose.Otherwise != null) throw child.Error("<otherwise> must be last");
                        if (child.Name == "when") choose.Whens.Add(new KeyValuePair<Value, List<Node>>(child.Attr("condition", true), loader.LoadNodes(child, section)));
                        else choose.Otherwise = loader.LoadNodes(child, section);
                        child.Done();
                    }
                    return choose;
                }
                case "set-variable":
                    r.Children();
                    if (r.Children().Count > 0) throw r.Error("<set-variable> takes no content");
                    return new SetVariableNode { VariableName = r.Raw("name", true), Value = r.Attr("value", true) };
                case "set-header":
                {
                    var node = new SetHeaderNode
                    {
                        HeaderName = r.Attr("name", true),
                        ExistsAction = r.Choice("exists-action", "override", "override", "skip", "append", "delete"),
                    };
                    foreach (var value in r.Children("value"))
                    {
                        node.Values.Add(value.Text());
                        value.Done();
                    }
                    return node;
                }
                case "set-body":
                    r.Choice("template", "none", "none");
                    return new SetBodyNode { Body = r.Text() };
                case "set-status":
                    return new SetStatusNode { Code = r.Attr("code", true), Reason = r.Attr("reason") };
                case "return-response":
                    return new ReturnResponseNode { Children = LoadChildren(r, loader, "return-response", "set-status", "set-header", "set-body") };
                case "trace":
                {
                    var node = new TraceNode
                    {
                        Source = r.Attr("source", true),
                        Severity = r.Choice("severity", "verbose", "verbose", "information", "error"),
                    };
                    foreach (var child in r.Children("message", "metadata"))
                    {
                        if (child.Name == "message") node.Message = child.Text();
                        else
                        {
                            node.Metadata.Add(new KeyValuePair<string, Value>(child.Raw("name", true), child.Attr("value", true)));
                            child.Children();
                        }
                        child.Done();
                    }
                    if (node.Message == null) throw r.Error("<message> is required");
                    return node;
                }
                case "cors":
                    return LoadCors(r);
                case "validate-azure-ad-token":
                    return TokenValidation.Load(r, loader);
                case "rate-limit-by-key":
                case "quota-by-key":
                {
                    var quota = r.Name == "quota-by-key";
                    var node = new LimitNode
                    {
                        Quota = quota,
                        Calls = r.Attr("calls", true),
                        RenewalPeriod = r.Attr("renewal-period", true),
                        CounterKey = r.Attr("counter-key", true),
                        IncrementCondition = r.Attr("increment-condition"),
                    };
                    if (!quota)
                    {
                        node.IncrementCount = r.Attr("increment-count");
                        node.RetryAfterHeader = r.Raw("retry-after-header-name");
                        node.RetryAfterVariable = r.Raw("retry-after-variable-name");
                        node.RemainingHeader = r.Raw("remaining-calls-header-name");
                        node.RemainingVariable = r.Raw("remaining-calls-variable-name");
                        node.TotalHeader = r.Raw("total-calls-header-name");
                    }
                    if (r.Children().Count > 0) throw r.Error("takes no content");
                    return node;
                }
                case "cache-lookup-value":
                    r.Choice("caching-type", "prefer-external", "internal", "external", "prefer-external");
                    return new CacheNode { Kind = "lookup", Key = r.Attr("key", true), VariableName = r.Raw("variable-name", true), DefaultValue = r.Attr("default-value") };
                case "cache-store-value":
                    r.Choice("caching-type", "prefer-external", "internal", "external", "prefer-external");
                    return new CacheNode { Kind = "store", Key = r.Attr("key", true), CacheValue = r.Attr("value", true), Duration = r.Attr("duration", true) };
                case "cache-remove-value":
                    r.Choice("caching-type", "prefer-external", "internal", "external", "prefer-external");
                    return new CacheNode { Kind = "remove", Key = r.Attr("key", true) };
                case "set-backend-service":
                {
                    var node = new SetBackendServiceNode { BackendId = r.Attr("backend-id"), BaseUrl = r.Attr("base-url") };
                    if ((node.BackendId == null) == (node.BaseUrl == null)) throw r.Error("exactly one of backend-id and base-url is required");
                    if (node.BackendId != null && !node.BackendId.IsExpression && !loader.Gateway.Backends.ContainsKey(node.BackendId.Text))
                        throw r.Error("backend-id \"" + node.BackendId.Text + "\" is not a backend of the configuration");
                    return node;
                }
                case "authentication-managed-identity":
                    return new ManagedIdentityNode
                    {
                        Resource = r.Attr("resource", true),
                        ClientId = r.Attr("client-id"),
                        OutputVariable = r.Raw("output-token-variable-name"),
                        IgnoreError = Flag(r, "ignore-error", false),
                    };
                case "forward-request":
                    if (section != "backend") throw r.Error("forward-request is allowed in the backend section only");
                    return new ForwardRequestNode { Timeout = r.Attr("timeout"), BufferResponse = Flag(r, "buffer-response", true) };
                case "send-request":
                    return new SendRequestNode
                    {
                        Mode = r.Choice("mode", "new", "new", "copy"),
                        ResponseVariable = r.Raw("response-variable-name"),
                        Timeout = r.Attr("timeout"),
                        IgnoreError = Flag(r, "ignore-error", false),
                        Children = LoadChildren(r, loader, "send-request", "set-url", "set-method", "set-header", "set-body", "authentication-managed-identity"),
                    };
                default:
                    throw r.Error("element is not implemented by the local gateway");
            }
        }

        /// <summary>Children of return-response / send-request: only the listed elements.</summary>
        private static List<Node> LoadChildren(ElementReader r, Loader loader, string parent, params string[] allowed)
        {
            var nodes = new List<Node>();
            foreach (var child in r.Children(allowed))
            {
                Node node;
                if (child.Name == "set-url") node = new SetUrlNode { Url = child.Text() };
                else if (child.Name == "set-method") node = new SetMethodNode { Method = child.Text() };
                else node = Load(child, parent, loader);
                node.Name = child.Name;
                node.Path = child.Path.TrimStart('\\');
                child.Done();
                nodes.Add(node);
            }
            return nodes;
        }

        private static Node LoadCors(ElementReader r)
        {
            var node = new CorsNode
            {
                AllowCredentials = Flag(r, "allow-credentials", false),
                TerminateUnmatched = Flag(r, "terminate-unmatched-request", true),
            };
            foreach (var child in r.Children("allowed-origins", "allowed-methods", "allowed-headers", "expose-headers"))
            {
                string item = child.Name == "allowed-origins" ? "origin" : child.Name == "allowed-methods" ? "method" : "header";
                if (child.Name == "allowed-methods") node.MaxAge = child.LiteralInt("preflight-result-max-age");
                var list = child.Name == "allowed-origins" ? node.Origins : child.Name == "allowed-methods" ? node.Methods
                    : child.Name == "allowed-headers" ? node.AllowedHeaders : node.ExposeHeaders;
                foreach (var entry in child.Children(item))
                {
                    var value = entry.Text();
                    if (value.IsExpression) throw entry.Error("cors takes literal values");
                    list.Add(value.Text.Trim());
                    entry.Done();
                }
                child.Done();
            }
            if (node.AllowCredentials && node.Origins.Contains("*")) throw r.Error("allow-credentials=\"true\" cannot be combined with the origin *");
            return node;
        }
    }
}

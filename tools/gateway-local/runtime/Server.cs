// Process entry point and request handling (process protocol: tools/gateway-local/contract.ts).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Apim.PolicyExpressions;
using Newtonsoft.Json.Linq;

namespace Apim.Local
{
    public static class Server
    {
        public const int LoadErrorExitCode = 2;

        public static int Main(string[] args)
        {
            Gateway gateway;
            try
            {
                if (args.Length != 1) throw new LoadException("usage: mono gateway.exe <config.json>");
                gateway = Gateway.Load(JObject.Parse(File.ReadAllText(args[0])), Generated.CompiledExpressions.All);
            }
            catch (LoadException e)
            {
                Console.Error.WriteLine("LOAD-ERROR " + e.Message.Replace("\n", " "));
                return LoadErrorExitCode;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine("LOAD-ERROR configuration could not be read: " + e.Message.Replace("\n", " "));
                return LoadErrorExitCode;
            }

            // Streams held open (SSE) must not starve other requests: .NET's defaults allow 2 connections
            // per backend origin and grow the thread pool slowly; API Management has neither limit.
            ServicePointManager.DefaultConnectionLimit = 1000;
            ServicePointManager.Expect100Continue = false;
            ThreadPool.SetMinThreads(64, 64);

            var port = gateway.Port == 0 ? FreePort() : gateway.Port;
            var listener = new HttpListener();
            listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
            listener.Start();
            gateway.Port = port;
            gateway.WriteLine("LISTENING http://127.0.0.1:" + port);

            // Mono here has no Mono.Posix for signal handlers: SIGTERM ends the process by the default action;
            // a closed stdin (the parent went away or stop() closed it) ends it with exit code 0.
            var stdinWatcher = new Thread(() =>
            {
                try
                {
                    var input = Console.OpenStandardInput();
                    var buffer = new byte[256];
                    while (input.Read(buffer, 0, buffer.Length) > 0) { }
                }
                catch (Exception) { }
                Environment.Exit(0);
            }) { IsBackground = true };
            stdinWatcher.Start();

            while (true)
            {
                var context = listener.GetContext();
                ThreadPool.QueueUserWorkItem(_ => Handle(gateway, context));
            }
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private static void Handle(Gateway gateway, HttpListenerContext http)
        {
            try
            {
                var response = Process(gateway, http);
                if (response.Key == null) return;
                Write(http.Response, response.Key, response.Value);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine("request failed: " + e);
                try
                {
                    http.Response.StatusCode = 500;
                    http.Response.Close();
                }
                catch (Exception) { }
            }
        }

        private static Response NotFound()
        {
            // The body API Management answers when no API or operation matches.
            var response = new Response { StatusCode = 404, StatusReason = "Resource Not Found" };
            response.HeaderMap.Set("Content-Type", "application/json");
            response.BodyContent = new MessageBody(Encoding.UTF8.GetBytes("{ \"statusCode\": 404, \"message\": \"Resource not found\" }"));
            return response;
        }

        private static KeyValuePair<Response, Exec> Process(Gateway gateway, HttpListenerContext http)
        {
            if (gateway.Switches.CacheEmptiedBetweenRequests) gateway.Cache.Clear();
            var incoming = http.Request;
            var rawPath = incoming.RawUrl.Split('?')[0];
            var path = Uri.UnescapeDataString(rawPath);
            var method = incoming.HttpMethod.ToUpperInvariant();

            // https://learn.microsoft.com/azure/api-management/api-management-terminology : an API is found
            // by its URL suffix (the longest path prefix), then the operation by method and URL template.
            var relative = path.TrimStart('/');
            var api = gateway.Apis
                .Where(a => a.PathPrefix == "" || string.Equals(relative, a.PathPrefix, StringComparison.OrdinalIgnoreCase)
                    || relative.StartsWith(a.PathPrefix + "/", StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(a => a.PathPrefix.Length)
                .FirstOrDefault();
            if (api == null) return new KeyValuePair<Response, Exec>(NotFound(), null);
            var remainder = api.PathPrefix == "" ? "/" + relative : relative.Substring(api.PathPrefix.Length);
            var matchPath = remainder == "" ? "/" : remainder;
            var operation = api.Operations.FirstOrDefault(o => o.Info.Method == method && o.Template.IsMatch(matchPath));
            // A CORS preflight is matched by the method it asks for when the API has no OPTIONS operation.
            var preflightMethod = incoming.Headers["Access-Control-Request-Method"];
            if (operation == null && method == "OPTIONS" && preflightMethod != null)
                operation = api.Operations.FirstOrDefault(o => o.Info.Method == preflightMethod.ToUpperInvariant() && o.Template.IsMatch(matchPath));
            if (operation == null) return new KeyValuePair<Response, Exec>(NotFound(), null);

            var context = new ProxyContext { RequestId = Guid.NewGuid(), Timestamp = DateTime.UtcNow, ApiInfo = api.Info, OperationInfo = operation.Info };
            var request = context.Req;
            request.Method = method;
            var publicUrl = new Uri("http://127.0.0.1:" + gateway.Port + incoming.RawUrl);
            request.Url = new Url(publicUrl);
            request.OriginalUrl = new Url(publicUrl);
            request.IpAddress = incoming.RemoteEndPoint == null ? "" : incoming.RemoteEndPoint.Address.ToString();
            foreach (string name in incoming.Headers.AllKeys) request.HeaderMap.Set(name, incoming.Headers[name]);
            var match = operation.Template.Match(matchPath);
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var group in operation.Template.GetGroupNames().Where(g => !char.IsDigit(g[0]))) parameters[group] = match.Groups[group].Value;
            request.MatchedParameters = parameters;
            if (incoming.HasEntityBody)
            {
                using (var copy = new MemoryStream())
                {
                    incoming.InputStream.CopyTo(copy);
                    request.BodyContent = new MessageBody(copy.ToArray());
                }
            }

            var x = new Exec(context, gateway, new[] { gateway.Global, api.Policy, operation.Policy }) { OperationRemainder = remainder };
            return new KeyValuePair<Response, Exec>(Run(x), x);
        }

        // https://learn.microsoft.com/azure/api-management/api-management-error-handling-policies
        // An error anywhere in inbound, backend or outbound stops those sections and runs on-error with
        // context.LastError; an error inside on-error answers 500.
        private static Response Run(Exec x)
        {
            var context = x.Context;
            try
            {
                x.RunSection("inbound", 2);
                x.RunSection("backend", 2);
                x.RunSection("outbound", 2);
                return context.Resp;
            }
            catch (ReturnSignal signal)
            {
                return signal.Response;
            }
            catch (Exception e)
            {
                var error = e as PolicyError;
                if (error == null || context.Error == null)
                {
                    context.Error = new LastError
                    {
                        Source = error != null ? error.Source : "gateway",
                        Reason = error != null ? error.Reason : "InternalError",
                        Message = e.Message,
                        Scope = "",
                        Section = x.Section ?? "",
                        Path = "",
                        PolicyId = "",
                    };
                }
                if (context.Error.Reason == "Timeout") Reset(context, 504, "Gateway Timeout");
                else if (context.Error.Reason == "BackendConnectionFailure") Reset(context, 500, "Internal Server Error");
                else if (!IsPolicyAnswer(context.Error.Reason)) Reset(context, 500, "Internal Server Error");
            }
            try
            {
                x.Targets.Clear();
                x.RunSection("on-error", 2);
                return context.Resp;
            }
            catch (ReturnSignal signal)
            {
                return signal.Response;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine("error in on-error: " + e.Message);
                return new Response { StatusCode = 500, StatusReason = "Internal Server Error" };
            }
        }

        /// <summary>Errors whose policy already set the response status (validate-azure-ad-token, rate limit, quota).</summary>
        private static bool IsPolicyAnswer(string reason)
        {
            return reason == "RateLimitExceeded" || reason == "QuotaExceeded" || reason.StartsWith("Token") || reason == "JwtInvalid";
        }

        private static void Reset(ProxyContext context, int status, string reason)
        {
            if (context.Resp.Owner != null) context.Resp.Owner.Dispose();
            context.Resp = new Response { StatusCode = status, StatusReason = reason };
        }

        private static readonly HashSet<string> SkippedResponseHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Content-Type",
        };

        private static void Write(HttpListenerResponse http, Response response, Exec x)
        {
            http.StatusCode = response.StatusCode;
            if (!string.IsNullOrEmpty(response.StatusReason)) http.StatusDescription = response.StatusReason;
            http.KeepAlive = true;
            if (x != null)
            {
                // The switch corsOnGatewayAnswers decides whether `cors` also decorates return-response answers.
                var cors = response.FromPolicy && !x.Gateway.Switches.CorsOnGatewayAnswers
                    ? Enumerable.Empty<KeyValuePair<string, string>>()
                    : x.CorsHeaders;
                foreach (var pair in cors.Concat(x.ResponseHeaders))
                    if (!response.HeaderMap.ContainsKey(pair.Key)) response.HeaderMap.Set(pair.Key, pair.Value);
            }
            foreach (var header in response.HeaderMap)
            {
                if (header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) http.ContentType = string.Join(",", header.Value);
                if (SkippedResponseHeaders.Contains(header.Key)) continue;
                foreach (var value in header.Value) http.Headers.Add(header.Key, value);
            }
            // Mono's HttpListener adds `Server: Mono-HTTPAPI/1.0` to any response without one: a version no real
            // gateway discloses. A backend's own Server header still passes through (API Management cannot
            // delete Server from responses: https://learn.microsoft.com/azure/api-management/set-header-policy).
            if (http.Headers["Server"] == null) http.Headers.Set("Server", "local-gateway");
            if (response.Stream != null)
            {
                http.SendChunked = true;
                var buffer = new byte[8192];
                var output = http.OutputStream;
                try
                {
                    int read;
                    while ((read = response.Stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        output.Write(buffer, 0, read);
                        output.Flush();
                    }
                }
                finally
                {
                    if (response.Owner != null) response.Owner.Dispose();
                    http.Close();
                }
                return;
            }
            var bytes = response.BodyContent == null ? new byte[0] : response.BodyContent.Bytes;
            http.ContentLength64 = bytes.Length;
            if (bytes.Length > 0) http.OutputStream.Write(bytes, 0, bytes.Length);
            http.Close();
        }
    }
}

// https://learn.microsoft.com/azure/api-management/validate-azure-ad-token-policy
// Error reasons: https://learn.microsoft.com/azure/api-management/api-management-error-handling-policies#predefined-errors-for-policies
using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Apim.PolicyExpressions;
using Newtonsoft.Json.Linq;

namespace Apim.Local
{
    internal sealed class TokenValidation : Node
    {
        public Value TenantId;
        public string HeaderName = "Authorization";
        public string QueryParameterName;
        public Value TokenValue;
        public int FailedCode = 401;
        public string FailedMessage;
        public string OutputVariable;
        public List<Value> ClientApplicationIds = new List<Value>();
        public List<Value> BackendApplicationIds = new List<Value>();
        public List<Value> Audiences = new List<Value>();
        public List<RequiredClaim> RequiredClaims = new List<RequiredClaim>();

        /// <summary>Lifetime checks allow this much clock difference between issuer and gateway.</summary>
        public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

        internal sealed class RequiredClaim
        {
            public string Name;
            public string Match;
            public string Separator;
            public List<Value> Values = new List<Value>();
        }

        public static Node Load(ElementReader r, Loader loader)
        {
            var node = new TokenValidation
            {
                TenantId = r.Attr("tenant-id", true),
                HeaderName = r.Raw("header-name"),
                QueryParameterName = r.Raw("query-parameter-name"),
                TokenValue = r.Attr("token-value"),
                FailedCode = r.LiteralInt("failed-validation-httpcode") ?? 401,
                FailedMessage = r.Raw("failed-validation-error-message"),
                OutputVariable = r.Raw("output-token-variable-name"),
            };
            if (node.HeaderName == null && node.QueryParameterName == null && node.TokenValue == null) node.HeaderName = "Authorization";
            foreach (var child in r.Children("client-application-ids", "backend-application-ids", "audiences", "required-claims"))
            {
                if (child.Name == "required-claims")
                {
                    foreach (var claim in child.Children("claim"))
                    {
                        var required = new RequiredClaim
                        {
                            Name = claim.Raw("name", true),
                            Match = claim.Choice("match", "all", "all", "any"),
                            Separator = claim.Raw("separator"),
                        };
                        foreach (var value in claim.Children("value"))
                        {
                            required.Values.Add(value.Text());
                            value.Done();
                        }
                        claim.Done();
                        node.RequiredClaims.Add(required);
                    }
                }
                else
                {
                    var item = child.Name == "audiences" ? "audience" : "application-id";
                    var list = child.Name == "audiences" ? node.Audiences : child.Name == "client-application-ids" ? node.ClientApplicationIds : node.BackendApplicationIds;
                    foreach (var value in child.Children(item))
                    {
                        list.Add(value.Text());
                        value.Done();
                    }
                }
                child.Done();
            }
            if (node.ClientApplicationIds.Count == 0) throw r.Error("<client-application-ids> is required");
            return node;
        }

        private PolicyError Fail(Exec x, string reason, string message)
        {
            // The failed-validation-httpcode becomes the response status; on-error then runs with LastError.
            x.Context.Resp.StatusCode = FailedCode;
            x.Context.Resp.StatusReason = FailedCode == 401 ? "Unauthorized" : "Forbidden";
            x.Context.Resp.HeaderMap.Set("Content-Type", "application/json");
            x.Context.Resp.BodyContent = new MessageBody(ErrorBody.Json(FailedCode, FailedMessage ?? message));
            return new PolicyError(x.Gateway.Switches.TokenValidationErrorSource, reason, message);
        }

        public override void Run(Exec x)
        {
            string token = null;
            if (TokenValue != null) token = TokenValue.String(x, Name);
            else if (HeaderName != null)
            {
                var header = x.Context.Req.Headers.GetValueOrDefault(HeaderName, (string)null);
                if (header != null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = header.Substring(7).Trim();
            }
            else
            {
                string[] values;
                if (x.Context.Req.Url.Query.TryGetValue(QueryParameterName, out values) && values.Length > 0) token = values[0];
            }
            if (string.IsNullOrEmpty(token)) throw Fail(x, "TokenNotPresent", "JWT not present.");

            var parts = token.Split('.');
            JObject header0, payload;
            byte[] signature;
            try
            {
                if (parts.Length != 3) throw new FormatException("not three parts");
                header0 = JObject.Parse(Encoding.UTF8.GetString(Base64Url.Decode(parts[0])));
                payload = JObject.Parse(Encoding.UTF8.GetString(Base64Url.Decode(parts[1])));
                signature = Base64Url.Decode(parts[2]);
            }
            catch (Exception)
            {
                throw Fail(x, "JwtInvalid", "JWT is malformed.");
            }
            var jwt = Jwt.Parse(token);
            var tenant = TenantId.String(x, Name);

            // Signature: RS256 with a key of the tenant's JWKS (OpenID metadata of the v2.0 endpoint).
            if ((string)header0["alg"] != "RS256") throw Fail(x, "TokenSignatureInvalid", "JWT algorithm is not allowed.");
            var kid = (string)header0["kid"];
            var keys = x.Gateway.TenantKeys(tenant, kid);
            var key = keys.Keys.FirstOrDefault(k => (string)k["kid"] == kid);
            if (key == null) throw Fail(x, "TokenSignatureKeyNotFound", "Signing key for the JWT was not found.");
            using (var rsa = new RSACryptoServiceProvider())
            {
                rsa.ImportParameters(new RSAParameters { Modulus = Base64Url.Decode((string)key["n"]), Exponent = Base64Url.Decode((string)key["e"]) });
                var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
                if (!rsa.VerifyData(signed, CryptoConfig.MapNameToOID("SHA256"), signature))
                    throw Fail(x, "TokenSignatureInvalid", "JWT signature is invalid.");
            }

            // Issuer: the tenant's v2.0 issuer (or its v1 form).
            var issuer = jwt.Issuer ?? "";
            var expectedIssuer = keys.Issuer.Replace("{tenantid}", tenant);
            var v1Issuer = "https://sts.windows.net/" + tenant + "/";
            if (issuer != expectedIssuer && issuer != v1Issuer) throw Fail(x, "TokenIssuerNotAllowed", "JWT issuer is not allowed.");
            // No separate `tid` comparison: the reference documents the issuer check, not one on `tid` (Entra puts
            // the issuer's tenant in both), so a policy that wants `tid` checked says so in <required-claims>.

            // Lifetime.
            var now = DateTime.UtcNow;
            if (jwt.ExpirationTime == null || jwt.ExpirationTime.Value + ClockSkew < now) throw Fail(x, "TokenExpired", "JWT has expired.");
            if (jwt.NotBefore != null && jwt.NotBefore.Value - ClockSkew > now) throw Fail(x, "TokenNotYetValid", "JWT is not yet valid.");

            // Audiences: <audiences> and <backend-application-ids> are both accepted audiences.
            var accepted = Audiences.Concat(BackendApplicationIds).Select(v => v.String(x, Name)).ToList();
            if (accepted.Count > 0 && !jwt.Audiences.Any(a => accepted.Contains(a)))
                throw Fail(x, "TokenAudienceNotAllowed", "JWT audience is not allowed.");

            // Client application: azp (v2 tokens) or appid (v1).
            var client = jwt.Claims.GetValueOrDefault("azp", (string)null) ?? jwt.Claims.GetValueOrDefault("appid", "");
            var clients = ClientApplicationIds.Select(v => v.String(x, Name)).ToList();
            if (!clients.Contains(client)) throw Fail(x, "TokenClaimValueNotAllowed", "JWT client application is not allowed.");

            foreach (var claim in RequiredClaims)
            {
                string[] values;
                if (!jwt.Claims.TryGetValue(claim.Name, out values)) throw Fail(x, "TokenClaimNotFound", "JWT is missing the required claim " + claim.Name + ".");
                var held = claim.Separator == null ? values : values.SelectMany(v => v.Split(new[] { claim.Separator }, StringSplitOptions.None)).ToArray();
                var wanted = claim.Values.Select(v => v.String(x, Name)).ToList();
                var ok = wanted.Count == 0 || (claim.Match == "all" ? wanted.All(held.Contains) : wanted.Any(held.Contains));
                if (!ok) throw Fail(x, "TokenClaimValueNotAllowed", "JWT claim " + claim.Name + " has a value that is not allowed.");
            }
            if (OutputVariable != null) x.Context.Vars.Set(OutputVariable, jwt);
        }
    }
}

// The API Management policy-expression object model: the interfaces and enums `context` exposes.
//
// Shared by the compile check (tools/expressions/compile.ts, with the throwing stub of the classes in
// ApiManagement.cs) and the local gateway runtime (tools/gateway-local/runtime/, which implements these
// interfaces with working classes): one source for the model both see.
// Written from Microsoft's reference, "API Management policy expressions":
//   https://learn.microsoft.com/azure/api-management/api-management-policy-expressions
// Editing rules: those of ApiManagement.cs (add only what the reference documents, with its link).

using System;
using System.Collections;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace Apim.PolicyExpressions
{
    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ContextVariables
    // The implicitly provided `context` variable (the page does not name its type; IProxyContext is ours).
    public interface IProxyContext
    {
        IApi Api { get; }
        IDeployment Deployment { get; }
        /// <summary>Time interval between the value of Timestamp and current time.</summary>
        TimeSpan Elapsed { get; }
        IGraphQL GraphQL { get; }
        ILastError LastError { get; }
        IOperation Operation { get; }
        IProduct Product { get; }
        IRequest Request { get; }
        /// <summary>Unique request identifier.</summary>
        Guid RequestId { get; }
        IResponse Response { get; }
        ISubscription Subscription { get; }
        /// <summary>Point in time when request was received.</summary>
        DateTime Timestamp { get; }
        /// <summary>Indicates if tracing is on or off.</summary>
        bool Tracing { get; }
        IUser User { get; }
        IReadOnlyDictionary<string, object> Variables { get; }
        void Trace(string message);
        IWorkspace Workspace { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-api
    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-iapi
    // `context.Api` is an IApi; the page lists the members of both rows, so the interface has their union.
    public interface IApi
    {
        string Id { get; }
        bool IsCurrentRevision { get; }
        string Name { get; }
        string Path { get; }
        IEnumerable<string> Protocols { get; }
        string Revision { get; }
        IUrl ServiceUrl { get; }
        ISubscriptionKeyParameterNames SubscriptionKeyParameterNames { get; }
        string Version { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-deployment
    public interface IDeployment
    {
        IGateway Gateway { get; }
        /// <summary>Returns 'managed' for managed gateways.</summary>
        string GatewayId { get; }
        string Region { get; }
        string ServiceId { get; }
        string ServiceName { get; }
        ISustainabilityInfo SustainabilityInfo { get; }
        IReadOnlyDictionary<string, X509Certificate2> Certificates { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-gateway
    public interface IGateway
    {
        string Id { get; }
        string InstanceId { get; }
        bool IsManaged { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-sustainability
    public interface ISustainabilityInfo
    {
        CarbonIntensityCategory CurrentCarbonIntensity { get; }
    }

    // https://learn.microsoft.com/azure/api-management/sustainability#carbon-intensity-categories
    public enum CarbonIntensityCategory
    {
        NotAvailable,
        VeryLow,
        Low,
        Medium,
        High,
        VeryHigh,
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-graphql
    public interface IGraphQL
    {
        IGraphQLDataObject GraphQLArguments { get; }
        IGraphQLDataObject Parent { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-igraphqldataobject
    // The reference lists its members as "TBD": none are declared.
    public interface IGraphQLDataObject
    {
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-lasterror
    // https://learn.microsoft.com/azure/api-management/api-management-error-handling-policies#lasterror
    public interface ILastError
    {
        string Source { get; }
        string Reason { get; }
        string Message { get; }
        string Scope { get; }
        string Section { get; }
        string Path { get; }
        string PolicyId { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-operation
    public interface IOperation
    {
        string Id { get; }
        string Method { get; }
        string Name { get; }
        string UrlTemplate { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-product
    public interface IProduct
    {
        bool ApprovalRequired { get; }
        IEnumerable<IGroup> Groups { get; }
        string Id { get; }
        string Name { get; }
        ProductState State { get; }
        int? SubscriptionsLimit { get; }
        bool SubscriptionRequired { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-product
    public enum ProductState
    {
        NotPublished,
        Published,
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-request
    public interface IRequest
    {
        /// <summary>Null if the request does not have a body.</summary>
        IMessageBody Body { get; }
        X509Certificate2 Certificate { get; }
        /// <summary>See GetValueOrDefault below (#ref-context-request-headers).</summary>
        IReadOnlyDictionary<string, string[]> Headers { get; }
        string IpAddress { get; }
        IReadOnlyDictionary<string, string> MatchedParameters { get; }
        string Method { get; }
        IUrl OriginalUrl { get; }
        IUrl Url { get; }
        /// <summary>Null if the request does not come from a private endpoint connection.</summary>
        IPrivateEndpointConnection PrivateEndpointConnection { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-response
    // Also the type of the response a send-request policy stores in its response-variable-name:
    // https://learn.microsoft.com/azure/api-management/api-management-sample-send-request
    // (`((IResponse)context.Variables["tokenstate"]).Body.As<JObject>()`).
    public interface IResponse
    {
        IMessageBody Body { get; }
        IReadOnlyDictionary<string, string[]> Headers { get; }
        int StatusCode { get; }
        string StatusReason { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-imessagebody
    public interface IMessageBody
    {
        /// <summary>
        /// Where T: string, byte[], JObject, JToken, JArray, XNode, XElement, XDocument. C# cannot express
        /// that list as a constraint: il-check.ts enforces it on every instantiation of As.
        /// </summary>
        T As<T>(bool preserveContent = false);

        /// <summary>Decoded URL-encoded form data.</summary>
        IDictionary<string, IList<string>> AsFormUrlEncodedContent(bool preserveContent = false);
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-iprivateendpointconnection
    public interface IPrivateEndpointConnection
    {
        string Name { get; }
        string GroupId { get; }
        string MemberName { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-subscription
    public interface ISubscription
    {
        DateTime CreatedDate { get; }
        DateTime? EndDate { get; }
        string Id { get; }
        string Key { get; }
        string Name { get; }
        string PrimaryKey { get; }
        string SecondaryKey { get; }
        DateTime? StartDate { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-user
    public interface IUser
    {
        string Email { get; }
        string FirstName { get; }
        IEnumerable<IGroup> Groups { get; }
        string Id { get; }
        IEnumerable<IUserIdentity> Identities { get; }
        string LastName { get; }
        string Note { get; }
        DateTime RegistrationDate { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-context-workspace
    public interface IWorkspace
    {
        string Id { get; }
        string Name { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-igroup
    public interface IGroup
    {
        string Id { get; }
        string Name { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-iurl
    public interface IUrl
    {
        string Host { get; }
        string Path { get; }
        int Port { get; }
        /// <summary>See GetValueOrDefault below (#ref-iurl-query).</summary>
        IReadOnlyDictionary<string, string[]> Query { get; }
        string QueryString { get; }
        string Scheme { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-iuseridentity
    public interface IUserIdentity
    {
        string Id { get; }
        string Provider { get; }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ref-isubscriptionkeyparameternames
    public interface ISubscriptionKeyParameterNames
    {
        string Header { get; }
        string Query { get; }
    }
}

// The API Management policy-expression object model, as a compile-only stub (GitHub issue 10).
//
// Written from Microsoft's reference, "API Management policy expressions":
//   https://learn.microsoft.com/azure/api-management/api-management-policy-expressions
// Each type below names the section of that page (or of the policy page) it comes from. Nothing here
// ever runs: every body is `throw null`. `tools/expressions/compile.ts` compiles each policy expression
// against this file, mscorlib, System.dll and System.Core.dll with `mcs`; `allowed-types.ts` holds the
// page's table of allowed .NET Framework types, which is enforced on the compiled IL (`il-check.ts`).
//
// Rules for editing (this file is reviewed like code):
// - Add only what the reference documents, with a link to the section, and keep the reference's names
//   and types. Anything defined here is allowed in expressions by definition.
// - Newtonsoft.Json and System.Xml.Linq are not on this machine, so the allowed part of them is declared
//   here too (the reference allows "All" members; the stub declares the commonly used ones: an expression
//   that needs another must add it here, with its documented signature).
// - No System.IO, no reflection, no threading, nothing the reference does not list.

using System;
using System.Collections;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Apim.PolicyExpressions
{
    // The interfaces and enums are in ApiManagement.Model.cs (shared with the local gateway runtime).

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ContextVariables
    // (row "BasicAuthCredentials")
    public sealed class BasicAuthCredentials
    {
        private BasicAuthCredentials() { }
        public string Password { get { throw null; } }
        public string UserId { get { throw null; } }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ContextVariables
    // (row "Jwt"). validate-jwt and validate-azure-ad-token store one in output-token-variable-name:
    // https://learn.microsoft.com/azure/api-management/validate-azure-ad-token-policy#attributes
    public sealed class Jwt
    {
        private Jwt() { }
        public string Algorithm { get { throw null; } }
        public IEnumerable<string> Audiences { get { throw null; } }
        /// <summary>See GetValueOrDefault below (row "Jwt.Claims.GetValueOrDefault").</summary>
        public IReadOnlyDictionary<string, string[]> Claims { get { throw null; } }
        public DateTime? ExpirationTime { get { throw null; } }
        public string Id { get { throw null; } }
        public string Issuer { get { throw null; } }
        public DateTime? IssuedAt { get { throw null; } }
        public DateTime? NotBefore { get { throw null; } }
        public string Subject { get { throw null; } }
        public string Type { get { throw null; } }
    }

    // https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ContextVariables
    // The extension methods of the context variable table.
    public static class PolicyExpressionExtensions
    {
        // #ref-context-request-headers, #ref-context-response-headers, #ref-iurl-query and the
        // Jwt.Claims row: "Returns comma-separated ... values or defaultValue if ... not found."
        // The reference shows two parameters; published policies commonly pass only the name, so the
        // default is optional here (a known leniency of this stub).
        public static string GetValueOrDefault(
            this IReadOnlyDictionary<string, string[]> values, string name, string defaultValue = null)
        {
            throw null;
        }

        // #ref-context-variables: "Returns variable value cast to type T or defaultValue if the variable
        // is not found." (Optional default: the same leniency as above.)
        public static T GetValueOrDefault<T>(
            this IReadOnlyDictionary<string, object> variables, string variableName, T defaultValue = default(T))
        {
            throw null;
        }

        // Row "BasicAuthCredentials AsBasic(input: this string)".
        public static BasicAuthCredentials AsBasic(this string input) { throw null; }

        // Row "bool TryParseBasic(input: this string, result: out BasicAuthCredentials)".
        public static bool TryParseBasic(this string input, out BasicAuthCredentials result) { throw null; }

        // Row "Jwt AsJwt(input: this string)".
        public static Jwt AsJwt(this string input) { throw null; }

        // Row "bool TryParseJwt(input: this string, result: out Jwt)".
        public static bool TryParseJwt(this string input, out Jwt result) { throw null; }

        // Rows "byte[] Encrypt(input: this byte[], ...)".
        public static byte[] Encrypt(this byte[] input, string alg, byte[] key, byte[] iv) { throw null; }
        public static byte[] Encrypt(this byte[] input, SymmetricAlgorithm alg) { throw null; }
        public static byte[] Encrypt(this byte[] input, SymmetricAlgorithm alg, byte[] key, byte[] iv) { throw null; }

        // Rows "byte[] Decrypt(input: this byte[], ...)".
        public static byte[] Decrypt(this byte[] input, string alg, byte[] key, byte[] iv) { throw null; }
        public static byte[] Decrypt(this byte[] input, SymmetricAlgorithm alg) { throw null; }
        public static byte[] Decrypt(this byte[] input, SymmetricAlgorithm alg, byte[] key, byte[] iv) { throw null; }

        // Row "bool VerifyNoRevocation(input: this System.Security.Cryptography.X509Certificates.X509Certificate2)".
        public static bool VerifyNoRevocation(this X509Certificate2 input) { throw null; }

        // #ref-imessagebody: the decoded form "supports IDictionary operations and the following
        // expressions: ToQueryString(), JsonConvert.SerializeObject(), ToFormUrlEncodedContent()".
        public static string ToQueryString(this IDictionary<string, IList<string>> form) { throw null; }
        public static string ToFormUrlEncodedContent(this IDictionary<string, IList<string>> form) { throw null; }
    }
}

// https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#CLRTypes
// Rows Newtonsoft.Json.Formatting (All) and Newtonsoft.Json.JsonConvert (SerializeObject, DeserializeObject).
namespace Newtonsoft.Json
{
    public enum Formatting
    {
        None = 0,
        Indented = 1,
    }

    public static class JsonConvert
    {
        public static string SerializeObject(object value) { throw null; }
        public static string SerializeObject(object value, Formatting formatting) { throw null; }
        public static object DeserializeObject(string value) { throw null; }
        public static T DeserializeObject<T>(string value) { throw null; }
    }
}

// https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#CLRTypes
// Rows Newtonsoft.Json.Linq.Extensions, JArray, JConstructor, JContainer, JObject, JProperty, JRaw,
// JToken, JTokenType, JValue (All members). Signatures follow Newtonsoft.Json 13; overloads that take a
// type the reference does not allow (JsonSerializer, JsonConverter, JsonReader, IFormatProvider,
// System.Type) are left out.
namespace Newtonsoft.Json.Linq
{
    public enum JTokenType
    {
        None = 0,
        Object = 1,
        Array = 2,
        Constructor = 3,
        Property = 4,
        Comment = 5,
        Integer = 6,
        Float = 7,
        String = 8,
        Boolean = 9,
        Null = 10,
        Undefined = 11,
        Date = 12,
        Raw = 13,
        Bytes = 14,
        Guid = 15,
        Uri = 16,
        TimeSpan = 17,
    }

    public abstract class JToken : IEnumerable<JToken>
    {
        internal JToken() { }

        public abstract JTokenType Type { get; }
        public abstract bool HasValues { get; }
        public JContainer Parent { get { throw null; } }
        public JToken Root { get { throw null; } }
        public JToken Next { get { throw null; } }
        public JToken Previous { get { throw null; } }
        public string Path { get { throw null; } }
        public virtual JToken First { get { throw null; } }
        public virtual JToken Last { get { throw null; } }
        public virtual JToken this[object key] { get { throw null; } set { throw null; } }

        public virtual T Value<T>(object key) { throw null; }
        public virtual IEnumerable<JToken> Children() { throw null; }
        public IEnumerable<T> Children<T>() where T : JToken { throw null; }
        public virtual IEnumerable<T> Values<T>() { throw null; }
        public T ToObject<T>() { throw null; }
        public JToken SelectToken(string path) { throw null; }
        public JToken SelectToken(string path, bool errorWhenNoMatch) { throw null; }
        public IEnumerable<JToken> SelectTokens(string path) { throw null; }
        public IEnumerable<JToken> SelectTokens(string path, bool errorWhenNoMatch) { throw null; }
        public JToken DeepClone() { throw null; }
        public void Remove() { throw null; }
        public void Replace(JToken value) { throw null; }
        public void AddAfterSelf(object content) { throw null; }
        public void AddBeforeSelf(object content) { throw null; }
        public IEnumerable<JToken> Ancestors() { throw null; }
        public IEnumerable<JToken> AncestorsAndSelf() { throw null; }
        public IEnumerable<JToken> AfterSelf() { throw null; }
        public IEnumerable<JToken> BeforeSelf() { throw null; }
        public override string ToString() { throw null; }
        public string ToString(Formatting formatting) { throw null; }

        public static JToken Parse(string json) { throw null; }
        public static JToken FromObject(object o) { throw null; }
        public static bool DeepEquals(JToken t1, JToken t2) { throw null; }

        IEnumerator<JToken> IEnumerable<JToken>.GetEnumerator() { throw null; }
        IEnumerator IEnumerable.GetEnumerator() { throw null; }

        public static explicit operator bool(JToken value) { throw null; }
        public static explicit operator bool?(JToken value) { throw null; }
        public static explicit operator char(JToken value) { throw null; }
        public static explicit operator char?(JToken value) { throw null; }
        public static explicit operator byte(JToken value) { throw null; }
        public static explicit operator byte?(JToken value) { throw null; }
        public static explicit operator sbyte(JToken value) { throw null; }
        public static explicit operator sbyte?(JToken value) { throw null; }
        public static explicit operator short(JToken value) { throw null; }
        public static explicit operator short?(JToken value) { throw null; }
        public static explicit operator ushort(JToken value) { throw null; }
        public static explicit operator ushort?(JToken value) { throw null; }
        public static explicit operator int(JToken value) { throw null; }
        public static explicit operator int?(JToken value) { throw null; }
        public static explicit operator uint(JToken value) { throw null; }
        public static explicit operator uint?(JToken value) { throw null; }
        public static explicit operator long(JToken value) { throw null; }
        public static explicit operator long?(JToken value) { throw null; }
        public static explicit operator ulong(JToken value) { throw null; }
        public static explicit operator ulong?(JToken value) { throw null; }
        public static explicit operator float(JToken value) { throw null; }
        public static explicit operator float?(JToken value) { throw null; }
        public static explicit operator double(JToken value) { throw null; }
        public static explicit operator double?(JToken value) { throw null; }
        public static explicit operator decimal(JToken value) { throw null; }
        public static explicit operator decimal?(JToken value) { throw null; }
        public static explicit operator DateTime(JToken value) { throw null; }
        public static explicit operator DateTime?(JToken value) { throw null; }
        public static explicit operator DateTimeOffset(JToken value) { throw null; }
        public static explicit operator DateTimeOffset?(JToken value) { throw null; }
        public static explicit operator Guid(JToken value) { throw null; }
        public static explicit operator Guid?(JToken value) { throw null; }
        public static explicit operator TimeSpan(JToken value) { throw null; }
        public static explicit operator TimeSpan?(JToken value) { throw null; }
        public static explicit operator string(JToken value) { throw null; }
        public static explicit operator byte[](JToken value) { throw null; }
        public static explicit operator Uri(JToken value) { throw null; }

        public static implicit operator JToken(bool value) { throw null; }
        public static implicit operator JToken(bool? value) { throw null; }
        public static implicit operator JToken(byte value) { throw null; }
        public static implicit operator JToken(sbyte value) { throw null; }
        public static implicit operator JToken(short value) { throw null; }
        public static implicit operator JToken(ushort value) { throw null; }
        public static implicit operator JToken(int value) { throw null; }
        public static implicit operator JToken(int? value) { throw null; }
        public static implicit operator JToken(uint value) { throw null; }
        public static implicit operator JToken(long value) { throw null; }
        public static implicit operator JToken(long? value) { throw null; }
        public static implicit operator JToken(ulong value) { throw null; }
        public static implicit operator JToken(float value) { throw null; }
        public static implicit operator JToken(double value) { throw null; }
        public static implicit operator JToken(double? value) { throw null; }
        public static implicit operator JToken(decimal value) { throw null; }
        public static implicit operator JToken(decimal? value) { throw null; }
        public static implicit operator JToken(DateTime value) { throw null; }
        public static implicit operator JToken(DateTimeOffset value) { throw null; }
        public static implicit operator JToken(Guid value) { throw null; }
        public static implicit operator JToken(TimeSpan value) { throw null; }
        public static implicit operator JToken(string value) { throw null; }
        public static implicit operator JToken(byte[] value) { throw null; }
        public static implicit operator JToken(Uri value) { throw null; }
    }

    public abstract class JContainer : JToken
    {
        internal JContainer() { }

        public int Count { get { throw null; } }
        public virtual void Add(object content) { throw null; }
        public void AddFirst(object content) { throw null; }
        public IEnumerable<JToken> Descendants() { throw null; }
        public IEnumerable<JToken> DescendantsAndSelf() { throw null; }
        public void Merge(object content) { throw null; }
        public void RemoveAll() { throw null; }
        public void ReplaceAll(object content) { throw null; }
    }

    public class JObject : JContainer, IDictionary<string, JToken>
    {
        public JObject() { }
        public JObject(JObject other) { }
        public JObject(params object[] content) { }
        public JObject(object content) { }

        public override JTokenType Type { get { throw null; } }
        public override bool HasValues { get { throw null; } }
        public JToken this[string propertyName] { get { throw null; } set { throw null; } }
        public override JToken this[object key] { get { throw null; } set { throw null; } }

        public IEnumerable<JProperty> Properties() { throw null; }
        public JProperty Property(string name) { throw null; }
        public JProperty Property(string name, StringComparison comparison) { throw null; }
        public IEnumerable<JToken> PropertyValues() { throw null; }
        public JToken GetValue(string propertyName) { throw null; }
        public JToken GetValue(string propertyName, StringComparison comparison) { throw null; }
        public bool TryGetValue(string propertyName, out JToken value) { throw null; }
        public bool TryGetValue(string propertyName, StringComparison comparison, out JToken value) { throw null; }
        public void Add(string propertyName, JToken value) { throw null; }
        public bool ContainsKey(string propertyName) { throw null; }
        public bool Remove(string propertyName) { throw null; }
        public IEnumerator<KeyValuePair<string, JToken>> GetEnumerator() { throw null; }

        public static new JObject Parse(string json) { throw null; }
        public static new JObject FromObject(object o) { throw null; }

        ICollection<string> IDictionary<string, JToken>.Keys { get { throw null; } }
        ICollection<JToken> IDictionary<string, JToken>.Values { get { throw null; } }
        int ICollection<KeyValuePair<string, JToken>>.Count { get { throw null; } }
        bool ICollection<KeyValuePair<string, JToken>>.IsReadOnly { get { throw null; } }
        void ICollection<KeyValuePair<string, JToken>>.Add(KeyValuePair<string, JToken> item) { throw null; }
        void ICollection<KeyValuePair<string, JToken>>.Clear() { throw null; }
        bool ICollection<KeyValuePair<string, JToken>>.Contains(KeyValuePair<string, JToken> item) { throw null; }
        void ICollection<KeyValuePair<string, JToken>>.CopyTo(KeyValuePair<string, JToken>[] array, int arrayIndex) { throw null; }
        bool ICollection<KeyValuePair<string, JToken>>.Remove(KeyValuePair<string, JToken> item) { throw null; }
        IEnumerator<KeyValuePair<string, JToken>> IEnumerable<KeyValuePair<string, JToken>>.GetEnumerator() { throw null; }
    }

    public class JArray : JContainer, IList<JToken>
    {
        public JArray() { }
        public JArray(JArray other) { }
        public JArray(params object[] content) { }
        public JArray(object content) { }

        public override JTokenType Type { get { throw null; } }
        public override bool HasValues { get { throw null; } }
        public JToken this[int index] { get { throw null; } set { throw null; } }
        public override JToken this[object key] { get { throw null; } set { throw null; } }
        public bool IsReadOnly { get { throw null; } }

        public void Add(JToken item) { throw null; }
        public void Clear() { throw null; }
        public bool Contains(JToken item) { throw null; }
        public void CopyTo(JToken[] array, int arrayIndex) { throw null; }
        public int IndexOf(JToken item) { throw null; }
        public void Insert(int index, JToken item) { throw null; }
        public bool Remove(JToken item) { throw null; }
        public void RemoveAt(int index) { throw null; }
        public IEnumerator<JToken> GetEnumerator() { throw null; }

        public static new JArray Parse(string json) { throw null; }
        public static new JArray FromObject(object o) { throw null; }

        int ICollection<JToken>.Count { get { throw null; } }
    }

    public class JProperty : JContainer
    {
        public JProperty(JProperty other) { }
        public JProperty(string name, params object[] content) { }
        public JProperty(string name, object content) { }

        public override JTokenType Type { get { throw null; } }
        public override bool HasValues { get { throw null; } }
        public string Name { get { throw null; } }
        public JToken Value { get { throw null; } set { throw null; } }

        public static new JProperty Parse(string json) { throw null; }
    }

    public class JConstructor : JContainer
    {
        public JConstructor() { }
        public JConstructor(JConstructor other) { }
        public JConstructor(string name) { }
        public JConstructor(string name, params object[] content) { }
        public JConstructor(string name, object content) { }

        public override JTokenType Type { get { throw null; } }
        public override bool HasValues { get { throw null; } }
        public string Name { get { throw null; } set { throw null; } }
        public override JToken this[object key] { get { throw null; } set { throw null; } }

        public static new JConstructor Parse(string json) { throw null; }
    }

    public class JValue : JToken, IComparable<JValue>, IEquatable<JValue>
    {
        public JValue(JValue other) { }
        public JValue(long value) { }
        public JValue(decimal value) { }
        public JValue(char value) { }
        public JValue(ulong value) { }
        public JValue(double value) { }
        public JValue(float value) { }
        public JValue(DateTime value) { }
        public JValue(DateTimeOffset value) { }
        public JValue(bool value) { }
        public JValue(string value) { }
        public JValue(Guid value) { }
        public JValue(Uri value) { }
        public JValue(TimeSpan value) { }
        public JValue(object value) { }

        public override JTokenType Type { get { throw null; } }
        public override bool HasValues { get { throw null; } }
        public object Value { get { throw null; } set { throw null; } }

        public static JValue CreateComment(string value) { throw null; }
        public static JValue CreateString(string value) { throw null; }
        public static JValue CreateNull() { throw null; }
        public static JValue CreateUndefined() { throw null; }

        public string ToString(string format) { throw null; }
        public int CompareTo(JValue obj) { throw null; }
        public bool Equals(JValue other) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public override int GetHashCode() { throw null; }
    }

    public class JRaw : JValue
    {
        public JRaw(JRaw other) : base(other) { }
        public JRaw(object rawJson) : base(rawJson) { }
    }

    // LINQ to JSON extension methods (IJEnumerable<T> results are declared as IEnumerable<T>).
    public static class Extensions
    {
        public static IEnumerable<JToken> Ancestors<T>(this IEnumerable<T> source) where T : JToken { throw null; }
        public static IEnumerable<JToken> AncestorsAndSelf<T>(this IEnumerable<T> source) where T : JToken { throw null; }
        public static IEnumerable<JToken> Descendants<T>(this IEnumerable<T> source) where T : JContainer { throw null; }
        public static IEnumerable<JToken> DescendantsAndSelf<T>(this IEnumerable<T> source) where T : JContainer { throw null; }
        public static IEnumerable<JProperty> Properties(this IEnumerable<JObject> source) { throw null; }
        public static IEnumerable<JToken> Values(this IEnumerable<JToken> source, object key) { throw null; }
        public static IEnumerable<JToken> Values(this IEnumerable<JToken> source) { throw null; }
        public static IEnumerable<U> Values<U>(this IEnumerable<JToken> source, object key) { throw null; }
        public static IEnumerable<U> Values<U>(this IEnumerable<JToken> source) { throw null; }
        public static U Value<U>(this IEnumerable<JToken> value) { throw null; }
        public static U Value<T, U>(this IEnumerable<T> value) where T : JToken { throw null; }
        public static IEnumerable<JToken> Children<T>(this IEnumerable<T> source) where T : JToken { throw null; }
        public static IEnumerable<U> Children<T, U>(this IEnumerable<T> source) where T : JToken { throw null; }
    }
}

// https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#CLRTypes
// Rows System.Xml.Linq.* (All members; XDocument all except Load). System.Xml.Linq.dll is not part of
// mono-mcs, so the commonly used members are declared here. System.Xml.XmlNodeType comes from the
// reference's row of that name.
namespace System.Xml
{
    public enum XmlNodeType
    {
        None = 0,
        Element = 1,
        Attribute = 2,
        Text = 3,
        CDATA = 4,
        EntityReference = 5,
        Entity = 6,
        ProcessingInstruction = 7,
        Comment = 8,
        Document = 9,
        DocumentType = 10,
        DocumentFragment = 11,
        Notation = 12,
        Whitespace = 13,
        SignificantWhitespace = 14,
        EndElement = 15,
        EndEntity = 16,
        XmlDeclaration = 17,
    }
}

namespace System.Xml.Linq
{
    using System.Xml;

    public sealed class XName : IEquatable<XName>
    {
        private XName() { }
        public string LocalName { get { throw null; } }
        public XNamespace Namespace { get { throw null; } }
        public string NamespaceName { get { throw null; } }
        public static XName Get(string expandedName) { throw null; }
        public static XName Get(string localName, string namespaceName) { throw null; }
        public bool Equals(XName other) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
        public static implicit operator XName(string expandedName) { throw null; }
        public static bool operator ==(XName left, XName right) { throw null; }
        public static bool operator !=(XName left, XName right) { throw null; }
    }

    public sealed class XNamespace
    {
        private XNamespace() { }
        public string NamespaceName { get { throw null; } }
        public static XNamespace None { get { throw null; } }
        public static XNamespace Xml { get { throw null; } }
        public static XNamespace Xmlns { get { throw null; } }
        public static XNamespace Get(string namespaceName) { throw null; }
        public XName GetName(string localName) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
        public static implicit operator XNamespace(string namespaceName) { throw null; }
        public static XName operator +(XNamespace ns, string localName) { throw null; }
        public static bool operator ==(XNamespace left, XNamespace right) { throw null; }
        public static bool operator !=(XNamespace left, XNamespace right) { throw null; }
    }

    public abstract class XObject
    {
        internal XObject() { }
        public string BaseUri { get { throw null; } }
        public XDocument Document { get { throw null; } }
        public abstract XmlNodeType NodeType { get; }
        public XElement Parent { get { throw null; } }
    }

    public abstract class XNode : XObject
    {
        internal XNode() { }
        public XNode NextNode { get { throw null; } }
        public XNode PreviousNode { get { throw null; } }
        public static XNodeDocumentOrderComparer DocumentOrderComparer { get { throw null; } }
        public static XNodeEqualityComparer EqualityComparer { get { throw null; } }
        public void AddAfterSelf(object content) { throw null; }
        public void AddAfterSelf(params object[] content) { throw null; }
        public void AddBeforeSelf(object content) { throw null; }
        public void AddBeforeSelf(params object[] content) { throw null; }
        public IEnumerable<XElement> Ancestors() { throw null; }
        public IEnumerable<XElement> Ancestors(XName name) { throw null; }
        public IEnumerable<XElement> ElementsAfterSelf() { throw null; }
        public IEnumerable<XElement> ElementsAfterSelf(XName name) { throw null; }
        public IEnumerable<XElement> ElementsBeforeSelf() { throw null; }
        public IEnumerable<XElement> ElementsBeforeSelf(XName name) { throw null; }
        public IEnumerable<XNode> NodesAfterSelf() { throw null; }
        public IEnumerable<XNode> NodesBeforeSelf() { throw null; }
        public bool IsAfter(XNode node) { throw null; }
        public bool IsBefore(XNode node) { throw null; }
        public void Remove() { throw null; }
        public void ReplaceWith(object content) { throw null; }
        public void ReplaceWith(params object[] content) { throw null; }
        public override string ToString() { throw null; }
        public static int CompareDocumentOrder(XNode n1, XNode n2) { throw null; }
        public static bool DeepEquals(XNode n1, XNode n2) { throw null; }
    }

    public abstract class XContainer : XNode
    {
        internal XContainer() { }
        public XNode FirstNode { get { throw null; } }
        public XNode LastNode { get { throw null; } }
        public void Add(object content) { throw null; }
        public void Add(params object[] content) { throw null; }
        public void AddFirst(object content) { throw null; }
        public void AddFirst(params object[] content) { throw null; }
        public IEnumerable<XNode> DescendantNodes() { throw null; }
        public IEnumerable<XElement> Descendants() { throw null; }
        public IEnumerable<XElement> Descendants(XName name) { throw null; }
        public XElement Element(XName name) { throw null; }
        public IEnumerable<XElement> Elements() { throw null; }
        public IEnumerable<XElement> Elements(XName name) { throw null; }
        public IEnumerable<XNode> Nodes() { throw null; }
        public void RemoveNodes() { throw null; }
        public void ReplaceNodes(object content) { throw null; }
        public void ReplaceNodes(params object[] content) { throw null; }
    }

    public class XElement : XContainer
    {
        public XElement(XName name) { }
        public XElement(XName name, object content) { }
        public XElement(XName name, params object[] content) { }
        public XElement(XElement other) { }

        public static IEnumerable<XElement> EmptySequence { get { throw null; } }
        public XAttribute FirstAttribute { get { throw null; } }
        public bool HasAttributes { get { throw null; } }
        public bool HasElements { get { throw null; } }
        public bool IsEmpty { get { throw null; } }
        public XAttribute LastAttribute { get { throw null; } }
        public XName Name { get { throw null; } set { throw null; } }
        public override XmlNodeType NodeType { get { throw null; } }
        public string Value { get { throw null; } set { throw null; } }

        public IEnumerable<XElement> AncestorsAndSelf() { throw null; }
        public IEnumerable<XElement> AncestorsAndSelf(XName name) { throw null; }
        public XAttribute Attribute(XName name) { throw null; }
        public IEnumerable<XAttribute> Attributes() { throw null; }
        public IEnumerable<XAttribute> Attributes(XName name) { throw null; }
        public IEnumerable<XNode> DescendantNodesAndSelf() { throw null; }
        public IEnumerable<XElement> DescendantsAndSelf() { throw null; }
        public IEnumerable<XElement> DescendantsAndSelf(XName name) { throw null; }
        public XNamespace GetDefaultNamespace() { throw null; }
        public XNamespace GetNamespaceOfPrefix(string prefix) { throw null; }
        public string GetPrefixOfNamespace(XNamespace ns) { throw null; }
        public void RemoveAll() { throw null; }
        public void RemoveAttributes() { throw null; }
        public void ReplaceAll(object content) { throw null; }
        public void ReplaceAll(params object[] content) { throw null; }
        public void ReplaceAttributes(object content) { throw null; }
        public void ReplaceAttributes(params object[] content) { throw null; }
        public void SetAttributeValue(XName name, object value) { throw null; }
        public void SetElementValue(XName name, object value) { throw null; }
        public void SetValue(object value) { throw null; }
        public static XElement Parse(string text) { throw null; }

        public static explicit operator string(XElement element) { throw null; }
        public static explicit operator bool(XElement element) { throw null; }
        public static explicit operator bool?(XElement element) { throw null; }
        public static explicit operator int(XElement element) { throw null; }
        public static explicit operator int?(XElement element) { throw null; }
        public static explicit operator long(XElement element) { throw null; }
        public static explicit operator long?(XElement element) { throw null; }
        public static explicit operator double(XElement element) { throw null; }
        public static explicit operator double?(XElement element) { throw null; }
        public static explicit operator decimal(XElement element) { throw null; }
        public static explicit operator decimal?(XElement element) { throw null; }
        public static explicit operator DateTime(XElement element) { throw null; }
        public static explicit operator DateTime?(XElement element) { throw null; }
        public static explicit operator Guid(XElement element) { throw null; }
        public static explicit operator Guid?(XElement element) { throw null; }
        public static explicit operator TimeSpan(XElement element) { throw null; }
        public static explicit operator TimeSpan?(XElement element) { throw null; }
    }

    // All members except Load (the reference's row says "All, except Load").
    public class XDocument : XContainer
    {
        public XDocument() { }
        public XDocument(params object[] content) { }
        public XDocument(XDeclaration declaration, params object[] content) { }
        public XDocument(XDocument other) { }

        public XDeclaration Declaration { get { throw null; } set { throw null; } }
        public XDocumentType DocumentType { get { throw null; } }
        public override XmlNodeType NodeType { get { throw null; } }
        public XElement Root { get { throw null; } }
        public static XDocument Parse(string text) { throw null; }
    }

    public class XAttribute : XObject
    {
        public XAttribute(XName name, object value) { }
        public XAttribute(XAttribute other) { }

        public static IEnumerable<XAttribute> EmptySequence { get { throw null; } }
        public bool IsNamespaceDeclaration { get { throw null; } }
        public XName Name { get { throw null; } }
        public XAttribute NextAttribute { get { throw null; } }
        public override XmlNodeType NodeType { get { throw null; } }
        public XAttribute PreviousAttribute { get { throw null; } }
        public string Value { get { throw null; } set { throw null; } }

        public void Remove() { throw null; }
        public void SetValue(object value) { throw null; }
        public override string ToString() { throw null; }

        public static explicit operator string(XAttribute attribute) { throw null; }
        public static explicit operator bool(XAttribute attribute) { throw null; }
        public static explicit operator bool?(XAttribute attribute) { throw null; }
        public static explicit operator int(XAttribute attribute) { throw null; }
        public static explicit operator int?(XAttribute attribute) { throw null; }
        public static explicit operator long(XAttribute attribute) { throw null; }
        public static explicit operator long?(XAttribute attribute) { throw null; }
        public static explicit operator double(XAttribute attribute) { throw null; }
        public static explicit operator double?(XAttribute attribute) { throw null; }
        public static explicit operator decimal(XAttribute attribute) { throw null; }
        public static explicit operator decimal?(XAttribute attribute) { throw null; }
        public static explicit operator DateTime(XAttribute attribute) { throw null; }
        public static explicit operator DateTime?(XAttribute attribute) { throw null; }
        public static explicit operator Guid(XAttribute attribute) { throw null; }
        public static explicit operator Guid?(XAttribute attribute) { throw null; }
    }

    public class XText : XNode
    {
        public XText(string value) { }
        public XText(XText other) { }
        public override XmlNodeType NodeType { get { throw null; } }
        public string Value { get { throw null; } set { throw null; } }
    }

    public class XCData : XText
    {
        public XCData(string value) : base(value) { }
        public XCData(XCData other) : base(other) { }
    }

    public class XComment : XNode
    {
        public XComment(string value) { }
        public XComment(XComment other) { }
        public override XmlNodeType NodeType { get { throw null; } }
        public string Value { get { throw null; } set { throw null; } }
    }

    public class XDeclaration
    {
        public XDeclaration(string version, string encoding, string standalone) { }
        public XDeclaration(XDeclaration other) { }
        public string Encoding { get { throw null; } set { throw null; } }
        public string Standalone { get { throw null; } set { throw null; } }
        public string Version { get { throw null; } set { throw null; } }
        public override string ToString() { throw null; }
    }

    public class XDocumentType : XNode
    {
        public XDocumentType(string name, string publicId, string systemId, string internalSubset) { }
        public XDocumentType(XDocumentType other) { }
        public string InternalSubset { get { throw null; } set { throw null; } }
        public string Name { get { throw null; } set { throw null; } }
        public override XmlNodeType NodeType { get { throw null; } }
        public string PublicId { get { throw null; } set { throw null; } }
        public string SystemId { get { throw null; } set { throw null; } }
    }

    public class XProcessingInstruction : XNode
    {
        public XProcessingInstruction(string target, string data) { }
        public XProcessingInstruction(XProcessingInstruction other) { }
        public string Data { get { throw null; } set { throw null; } }
        public override XmlNodeType NodeType { get { throw null; } }
        public string Target { get { throw null; } set { throw null; } }
    }

    public sealed class XNodeDocumentOrderComparer : IComparer<XNode>
    {
        public int Compare(XNode x, XNode y) { throw null; }
    }

    public sealed class XNodeEqualityComparer : IEqualityComparer<XNode>
    {
        public bool Equals(XNode x, XNode y) { throw null; }
        public int GetHashCode(XNode obj) { throw null; }
    }

    public static class Extensions
    {
        public static IEnumerable<XElement> Ancestors<T>(this IEnumerable<T> source) where T : XNode { throw null; }
        public static IEnumerable<XElement> Ancestors<T>(this IEnumerable<T> source, XName name) where T : XNode { throw null; }
        public static IEnumerable<XElement> AncestorsAndSelf(this IEnumerable<XElement> source) { throw null; }
        public static IEnumerable<XAttribute> Attributes(this IEnumerable<XElement> source) { throw null; }
        public static IEnumerable<XAttribute> Attributes(this IEnumerable<XElement> source, XName name) { throw null; }
        public static IEnumerable<XNode> DescendantNodes<T>(this IEnumerable<T> source) where T : XContainer { throw null; }
        public static IEnumerable<XElement> Descendants<T>(this IEnumerable<T> source) where T : XContainer { throw null; }
        public static IEnumerable<XElement> Descendants<T>(this IEnumerable<T> source, XName name) where T : XContainer { throw null; }
        public static IEnumerable<XElement> Elements<T>(this IEnumerable<T> source) where T : XContainer { throw null; }
        public static IEnumerable<XElement> Elements<T>(this IEnumerable<T> source, XName name) where T : XContainer { throw null; }
        public static IEnumerable<T> InDocumentOrder<T>(this IEnumerable<T> source) where T : XNode { throw null; }
        public static IEnumerable<XNode> Nodes<T>(this IEnumerable<T> source) where T : XContainer { throw null; }
        public static void Remove(this IEnumerable<XAttribute> source) { throw null; }
        public static void Remove<T>(this IEnumerable<T> source) where T : XNode { throw null; }
    }
}

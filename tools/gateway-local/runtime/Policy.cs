// Loads API Management policy documents into a tree of executable elements and runs them.
// Every element and attribute the loader accepts is implemented below, with the reference it follows;
// anything else is a load error that names it (never silently skipped).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Xml;
using Apim.PolicyExpressions;

namespace Apim.Local
{
    public sealed class LoadException : Exception
    {
        public LoadException(string message) : base(message) { }
    }

    /// <summary>An error raised by a policy: enters on-error with LastError set from it.</summary>
    public sealed class PolicyError : Exception
    {
        public readonly string Source;
        public readonly string Reason;

        public PolicyError(string source, string reason, string message) : base(message)
        {
            Source = source;
            Reason = reason;
        }
    }

    /// <summary>return-response (or cors answering a preflight): the pipeline stops, this response is sent.</summary>
    public sealed class ReturnSignal : Exception
    {
        public readonly Response Response;
        public ReturnSignal(Response response) { Response = response; }
    }

    /// <summary>An attribute value or element text: a literal, or a compiled @(...) / @{...} expression.</summary>
    public sealed class Value
    {
        public readonly string Text;
        private readonly Func<IProxyContext, object> expression;

        public Value(string text, Func<IProxyContext, object> expression)
        {
            Text = text;
            this.expression = expression;
        }

        public bool IsExpression { get { return expression != null; } }

        // https://learn.microsoft.com/azure/api-management/api-management-error-handling-policies#predefined-errors-for-policies
        // An expression that throws raises ExpressionValueEvaluationFailure.
        public object Eval(Exec x, string element)
        {
            if (expression == null) return Text;
            try
            {
                return expression(x.Context);
            }
            catch (Exception e)
            {
                throw new PolicyError(element, "ExpressionValueEvaluationFailure",
                    "Expression evaluation failed. " + e.GetType().Name + ": " + e.Message);
            }
        }

        public string String(Exec x, string element)
        {
            var value = Eval(x, element);
            if (value == null) return null;
            if (value is bool) return (bool)value ? "true" : "false";
            return Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        public bool Bool(Exec x, string element)
        {
            var value = Eval(x, element);
            if (value is bool) return (bool)value;
            bool parsed;
            if (value is string && bool.TryParse((string)value, out parsed)) return parsed;
            throw new PolicyError(element, "ExpressionValueEvaluationFailure",
                "Expression evaluation failed. The value is not a Boolean: " + value);
        }

        public int Int(Exec x, string element)
        {
            var text = String(x, element);
            int parsed;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out parsed)) return parsed;
            throw new PolicyError(element, "ExpressionValueEvaluationFailure", "Not an integer: " + text);
        }
    }

    public abstract class Node
    {
        public string Name;
        public string Path;
        public abstract void Run(Exec x);
    }

    public sealed class PolicyDocument
    {
        public readonly string Id;
        public readonly Dictionary<string, List<Node>> Sections = new Dictionary<string, List<Node>>();
        public PolicyDocument(string id) { Id = id; }
    }

    /// <summary>Reads one element's attributes and children; whatever it did not read is a load error.</summary>
    public sealed class ElementReader
    {
        public readonly XmlElement Element;
        public readonly string Path;
        private readonly Loader loader;
        private readonly HashSet<string> read = new HashSet<string>();

        public ElementReader(XmlElement element, string path, Loader loader)
        {
            Element = element;
            Path = path;
            this.loader = loader;
        }

        public string Name { get { return Element.Name; } }

        public LoadException Error(string message)
        {
            return new LoadException(loader.DocumentId + ": <" + Element.Name + "> at " + Path + ": " + message);
        }

        public string Raw(string name, bool required = false)
        {
            read.Add(name);
            var attribute = Element.GetAttributeNode(name);
            if (attribute == null)
            {
                if (required) throw Error("attribute " + name + " is required");
                return null;
            }
            return attribute.Value;
        }

        public Value Attr(string name, bool required = false)
        {
            var raw = Raw(name, required);
            return raw == null ? null : loader.MakeValue(raw, this);
        }

        public Value AttrOr(string name, string fallback)
        {
            return Attr(name) ?? new Value(fallback, null);
        }

        /// <summary>A literal attribute from a fixed set (these attributes take no expression here).</summary>
        public string Choice(string name, string fallback, params string[] allowed)
        {
            var raw = Raw(name);
            if (raw == null) return fallback;
            if (!allowed.Contains(raw))
                throw Error("attribute " + name + "=\"" + raw + "\" is not one of " + string.Join(", ", allowed));
            return raw;
        }

        public int? LiteralInt(string name)
        {
            var raw = Raw(name);
            if (raw == null) return null;
            int parsed;
            if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out parsed))
                throw Error("attribute " + name + "=\"" + raw + "\" is not an integer");
            return parsed;
        }

        /// <summary>The element's text (an expression or a literal); elements inside are a load error.</summary>
        public Value Text()
        {
            foreach (XmlNode child in Element.ChildNodes)
                if (child.NodeType == XmlNodeType.Element) throw Error("unexpected child element <" + child.Name + ">");
            return loader.MakeValue(Element.InnerText, this);
        }

        public List<ElementReader> Children(params string[] allowed)
        {
            var result = new List<ElementReader>();
            var counts = new Dictionary<string, int>();
            foreach (XmlNode child in Element.ChildNodes)
            {
                if (child.NodeType == XmlNodeType.Comment || child.NodeType == XmlNodeType.Whitespace
                    || child.NodeType == XmlNodeType.SignificantWhitespace) continue;
                if (child.NodeType != XmlNodeType.Element)
                {
                    if (child.Value.Trim() == "") continue;
                    throw Error("unexpected text \"" + child.Value.Trim() + "\"");
                }
                if (allowed.Length > 0 && !allowed.Contains(child.Name))
                    throw Error("element <" + child.Name + "> is not implemented by the local gateway here (allowed: "
                        + string.Join(", ", allowed) + ")");
                int count;
                counts.TryGetValue(child.Name, out count);
                counts[child.Name] = count + 1;
                result.Add(new ElementReader((XmlElement)child, Path + "\\" + child.Name + "[" + (count + 1) + "]", loader));
            }
            return result;
        }

        /// <summary>Every attribute must have been read by the element's loader.</summary>
        public void Done()
        {
            foreach (XmlAttribute attribute in Element.Attributes)
                if (!read.Contains(attribute.Name))
                    throw Error("attribute " + attribute.Name + " is not implemented by the local gateway");
        }
    }

    public sealed class Loader
    {
        public string DocumentId;
        private readonly IReadOnlyDictionary<string, Func<IProxyContext, object>> expressions;
        private readonly Gateway gateway;

        public Loader(IReadOnlyDictionary<string, Func<IProxyContext, object>> expressions, Gateway gateway)
        {
            this.expressions = expressions;
            this.gateway = gateway;
        }

        public Gateway Gateway { get { return gateway; } }

        public Value MakeValue(string raw, ElementReader at)
        {
            var trimmed = raw.Trim();
            if (trimmed.StartsWith("@(") || trimmed.StartsWith("@{"))
            {
                Func<IProxyContext, object> compiled;
                if (!expressions.TryGetValue(trimmed, out compiled))
                    throw at.Error("expression was not compiled into the runtime: " + trimmed);
                return new Value(trimmed, compiled);
            }
            return new Value(raw, null);
        }

        // https://learn.microsoft.com/azure/api-management/api-management-howto-policies#understanding-policy-configuration
        public PolicyDocument Load(string id, string xml)
        {
            DocumentId = id;
            var document = new XmlDocument { PreserveWhitespace = false, XmlResolver = null };
            try
            {
                document.LoadXml(xml);
            }
            catch (XmlException e)
            {
                throw new LoadException(id + ": not well-formed XML: " + e.Message);
            }
            var root = document.DocumentElement;
            if (root.Name != "policies") throw new LoadException(id + ": the root element is <" + root.Name + ">, not <policies>");
            var result = new PolicyDocument(id);
            var policies = new ElementReader(root, "", this);
            foreach (var section in policies.Children("inbound", "backend", "outbound", "on-error"))
            {
                if (result.Sections.ContainsKey(section.Name)) throw section.Error("section appears twice");
                section.Done();
                // LastError.Path is relative to the section: "choose[3]\when[1]".
                var inSection = new ElementReader(section.Element, "", this);
                result.Sections[section.Name] = LoadNodes(inSection, section.Name);
            }
            policies.Done();
            return result;
        }

        public List<Node> LoadNodes(ElementReader parent, string section)
        {
            var nodes = new List<Node>();
            foreach (var child in parent.Children())
            {
                var node = Elements.Load(child, section, this);
                node.Name = child.Name;
                node.Path = child.Path.TrimStart('\\');
                child.Done();
                nodes.Add(node);
            }
            return nodes;
        }
    }
}

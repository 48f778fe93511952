// A small JSON reader for the test vectors (Debian's Mono ships no JSON library in the
// packages install-deps.sh installs). Objects become Dictionary<string, object>, arrays
// List<object>, numbers long (or double), strings string, true/false bool, null null.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Hooksig.Tests
{
    internal sealed class MiniJson
    {
        private readonly string text;
        private int pos;

        private MiniJson(string text)
        {
            this.text = text;
        }

        public static object Parse(string text)
        {
            var reader = new MiniJson(text);
            object value = reader.Value();
            reader.SkipSpace();
            if (reader.pos != text.Length) throw reader.Error("trailing characters");
            return value;
        }

        private Exception Error(string what)
        {
            return new FormatException("JSON: " + what + " at offset " + pos);
        }

        private void SkipSpace()
        {
            while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) pos++;
        }

        private char Peek()
        {
            SkipSpace();
            if (pos >= text.Length) throw Error("unexpected end");
            return text[pos];
        }

        private void Expect(char c)
        {
            if (Peek() != c) throw Error("expected '" + c + "'");
            pos++;
        }

        private object Value()
        {
            char c = Peek();
            if (c == '{') return Object();
            if (c == '[') return Array();
            if (c == '"') return String();
            if (Literal("true")) return true;
            if (Literal("false")) return false;
            if (Literal("null")) return null;
            return Number();
        }

        private bool Literal(string word)
        {
            if (string.CompareOrdinal(text, pos, word, 0, word.Length) != 0) return false;
            pos += word.Length;
            return true;
        }

        private Dictionary<string, object> Object()
        {
            var result = new Dictionary<string, object>();
            Expect('{');
            if (Peek() == '}')
            {
                pos++;
                return result;
            }
            while (true)
            {
                if (Peek() != '"') throw Error("expected a key");
                string key = String();
                Expect(':');
                result[key] = Value();
                char c = Peek();
                pos++;
                if (c == '}') return result;
                if (c != ',') throw Error("expected ',' or '}'");
            }
        }

        private List<object> Array()
        {
            var result = new List<object>();
            Expect('[');
            if (Peek() == ']')
            {
                pos++;
                return result;
            }
            while (true)
            {
                result.Add(Value());
                char c = Peek();
                pos++;
                if (c == ']') return result;
                if (c != ',') throw Error("expected ',' or ']'");
            }
        }

        private string String()
        {
            Expect('"');
            var sb = new StringBuilder();
            while (true)
            {
                if (pos >= text.Length) throw Error("unterminated string");
                char c = text[pos++];
                if (c == '"') return sb.ToString();
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                char e = text[pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        // UTF-16 code units; surrogate pairs come out as two of them, as C# wants.
                        sb.Append((char)int.Parse(text.Substring(pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        pos += 4;
                        break;
                    default: throw Error("bad escape");
                }
            }
        }

        private object Number()
        {
            int start = pos;
            while (pos < text.Length && "+-0123456789.eE".IndexOf(text[pos]) >= 0) pos++;
            string s = text.Substring(start, pos - start);
            if (s.Length == 0) throw Error("unexpected character");
            long l;
            if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l)) return l;
            return double.Parse(s, CultureInfo.InvariantCulture);
        }
    }
}

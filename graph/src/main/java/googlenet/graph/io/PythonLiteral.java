package googlenet.graph.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of Python literal syntax that {@code .npy} headers are written in (numpy writes {@code repr} of a dict):
 * dicts, tuples, lists, strings in single or double quotes, integers (with an optional Python 2 {@code L} suffix),
 * True, False and None; and a Python-like {@code repr} of what it parsed, for messages. Nesting is bounded, so a
 * hostile header cannot exhaust the stack.
 */
final class PythonLiteral {
    /** Deepest nesting of tuples, lists and dicts accepted. */
    private static final int MAX_NESTING = 32;

    private PythonLiteral() {
    }

    /** Parses {@code text} as one literal; {@code source} names the file in errors. */
    static Object parse(String source, String text) throws FormatException {
        return new LiteralParser(source, text).parseWhole();
    }

    /** A Python tuple in a header. */
    record Tuple(List<Object> items) {
    }

    /** A Python list in a header. */
    record ListValue(List<Object> items) {
    }

    /** Python's None. */
    enum None { NONE }

    /**
     * Parses the subset of Python literal syntax numpy headers use: dicts, tuples, lists, strings in single or
     * double quotes, integers (with an optional Python 2 {@code L} suffix), True, False and None.
     */
    private static final class LiteralParser {
        private final String source;
        private final String text;
        private int pos;

        LiteralParser(String source, String text) {
            this.source = source;
            this.text = text;
        }

        Object parseWhole() throws FormatException {
            skipSpace();
            if (pos == text.length()) {
                throw new FormatException(source + ": header is empty; expected a dict such as "
                        + "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
            }
            Object value = parseValue(0);
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected text after the closing bracket");
            }
            return value;
        }

        private Object parseValue(int depth) throws FormatException {
            if (depth > MAX_NESTING) {
                throw error("nested more than " + MAX_NESTING + " levels deep");
            }
            skipSpace();
            if (pos == text.length()) {
                throw error("unexpected end of header");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return parseDict(depth);
                case '(':
                    return parseParenthesized(depth);
                case '[':
                    pos++;
                    return new ListValue(parseItems(']', depth).items());
                case '\'':
                case '"':
                    return parseString();
                default:
                    break;
            }
            if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
                return parseInteger();
            }
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < text.length()
                        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                    pos++;
                }
                String word = text.substring(start, pos);
                switch (word) {
                    case "True":
                        return Boolean.TRUE;
                    case "False":
                        return Boolean.FALSE;
                    case "None":
                        return None.NONE;
                    default:
                        pos = start;
                        throw error("unknown name '" + truncate(word) + "'");
                }
            }
            throw error("unexpected character '" + c + "'");
        }

        private Map<Object, Object> parseDict(int depth) throws FormatException {
            pos++; // '{'
            Map<Object, Object> map = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek('}')) {
                    pos++;
                    return map;
                }
                int keyAt = pos;
                Object key = parseValue(depth + 1);
                skipSpace();
                expect(':');
                Object value = parseValue(depth + 1);
                if (map.containsKey(key)) {
                    pos = keyAt;
                    throw error("duplicate key " + truncate(repr(key)));
                }
                map.put(key, value);
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else if (!peek('}')) {
                    throw error("expected ',' or '}'");
                }
            }
        }

        /** {@code ()} and {@code (x,)} and {@code (x, y)} are tuples; {@code (x)} is just x. */
        private Object parseParenthesized(int depth) throws FormatException {
            pos++; // '('
            Items items = parseItems(')', depth);
            if (items.items().size() == 1 && !items.trailingComma()) {
                return items.items().get(0);
            }
            return new Tuple(items.items());
        }

        private record Items(List<Object> items, boolean trailingComma) {
        }

        private Items parseItems(char close, int depth) throws FormatException {
            List<Object> items = new ArrayList<>();
            boolean trailingComma = false;
            while (true) {
                skipSpace();
                if (peek(close)) {
                    pos++;
                    return new Items(items, trailingComma);
                }
                items.add(parseValue(depth + 1));
                trailingComma = false;
                skipSpace();
                if (peek(',')) {
                    pos++;
                    trailingComma = true;
                } else if (!peek(close)) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        private String parseString() throws FormatException {
            char quote = text.charAt(pos);
            int start = pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == quote) {
                    return sb.toString();
                }
                if (c == '\n') {
                    break;
                }
                if (c == '\\' && pos < text.length()) {
                    char e = text.charAt(pos++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case '\\', '\'', '"' -> sb.append(e);
                        default -> sb.append('\\').append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
            pos = start;
            throw error("unterminated string");
        }

        private BigInteger parseInteger() throws FormatException {
            int start = pos;
            if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
                pos++;
                skipSpace();
            }
            int digitsStart = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == digitsStart) {
                pos = start;
                throw error("expected an integer");
            }
            String digits = text.substring(digitsStart, pos);
            if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
                pos++; // Python 2 long suffix, as old numpy wrote it
            }
            if (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                throw error("unsupported number (only integers are expected)");
            }
            BigInteger value = new BigInteger(digits);
            return text.charAt(start) == '-' ? value.negate() : value;
        }

        private void skipSpace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                    pos++;
                } else {
                    break;
                }
            }
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c) throws FormatException {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private FormatException error(String what) {
            return new FormatException(source + ": header is not a valid Python dict literal: " + what
                    + " at offset " + pos + " in " + snippet(text));
        }
    }

    /** Python-like repr of a parsed header value, for messages. */
    static String repr(Object value) {
        StringBuilder sb = new StringBuilder();
        repr(value, sb);
        return sb.toString();
    }

    private static void repr(Object value, StringBuilder sb) {
        if (sb.length() > 400) {
            return; // long enough for any message; truncate() cuts it anyway
        }
        switch (value) {
            case null -> sb.append("nothing");
            case String s -> sb.append('\'').append(s.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
            case Boolean b -> sb.append(b ? "True" : "False");
            case BigInteger i -> sb.append(i);
            case None _ -> sb.append("None");
            case Tuple(List<Object> items) -> {
                sb.append('(');
                reprItems(items, sb);
                if (items.size() == 1) sb.append(',');
                sb.append(')');
            }
            case ListValue(List<Object> items) -> {
                sb.append('[');
                reprItems(items, sb);
                sb.append(']');
            }
            case Map<?, ?> map -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) sb.append(", ");
                    first = false;
                    repr(e.getKey(), sb);
                    sb.append(": ");
                    repr(e.getValue(), sb);
                }
                sb.append('}');
            }
            default -> sb.append(value);
        }
    }

    private static void reprItems(List<Object> items, StringBuilder sb) {
        for (int i = 0; i < items.size() && sb.length() <= 400; i++) {
            if (i > 0) sb.append(", ");
            repr(items.get(i), sb);
        }
    }

    static String truncate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    static String snippet(String header) {
        return '"' + truncate(header.strip()) + '"';
    }
}

package dev.mlops.local.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Text from data made harmless for a terminal. Cell values, keys, dataset names and reasons reach the command
 * line's output from files anyone can upload; an ESC in one would let the file move the cursor, rewrite earlier
 * lines or retitle the window. Every character that controls a terminal is written as a visible escape instead:
 * C0 controls ({@code \x1b}), DEL and the C1 controls, and the bidirectional overrides that reorder what a line
 * shows ({@code \u202e}). Line feeds and tabs lay output out and stay as they are.
 */
final class TerminalText {

    private TerminalText() {
    }

    /** {@code text} with every terminal control written as a visible escape (null stays null). */
    static String escape(CharSequence text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int i = 0;
        while (i < n && !controls(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text.toString(); // the common case: nothing to escape, nothing copied
        }
        StringBuilder out = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!controls(c)) {
                out.append(c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** Whether a character controls a terminal (or reorders the line) rather than showing itself. */
    static boolean controls(char c) {
        if (c == '\n' || c == '\t') {
            return false;
        }
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /** {@code out}, escaping whatever is written through it; {@code autoFlush} as {@link PrintWriter}'s. */
    static PrintWriter escaping(Writer out, boolean autoFlush) {
        return new PrintWriter(new FilterWriter(out) {
            @Override
            public void write(int c) throws IOException {
                out.write(escape(String.valueOf((char) c)));
            }

            @Override
            public void write(char[] chars, int off, int len) throws IOException {
                out.write(escape(new String(chars, off, len)));
            }

            @Override
            public void write(String s, int off, int len) throws IOException {
                out.write(escape(s.substring(off, off + len)));
            }
        }, autoFlush);
    }
}

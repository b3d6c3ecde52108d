package dev.mlops.local.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTextTest {

    @Test
    void terminalControls_shouldBeWrittenAsVisibleEscapes_andPlainTextKept() {
        // GIVEN text from a file: a clear-screen, a window title, a bell, a carriage return, a C1 CSI, DEL and a
        // right-to-left override
        String hostile = "a\u001b[2Jb\u001b]0;owned\u0007c\rd\u009b31me\u007ff\u202eg";
        // WHEN / THEN
        assertThat(TerminalText.escape(hostile))
                .isEqualTo("a\\x1b[2Jb\\x1b]0;owned\\x07c\\x0dd\\x9b31me\\x7ff\\u202eg");
        assertThat(TerminalText.escape("setosa, 5.1\tcm\nnext line é ü 数据")).isEqualTo("setosa, 5.1\tcm\nnext line é ü 数据");
        assertThat(TerminalText.escape(null)).isNull();
    }

    @Test
    void aWriterThroughIt_shouldEscapeEveryWayTextIsWritten() {
        // GIVEN
        StringWriter target = new StringWriter();
        PrintWriter out = TerminalText.escaping(target, true);
        // WHEN
        out.println("key incoming/\u001b[31mred.csv");
        out.print('\u0007');
        out.write("x\u0000y".toCharArray(), 0, 3);
        out.printf("%s%n", "\u009b");
        out.flush();
        // THEN
        assertThat(target.toString()).isEqualTo("key incoming/\\x1b[31mred.csv\n\\x07x\\x00y\\x9b\n")
                .doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b");
    }
}

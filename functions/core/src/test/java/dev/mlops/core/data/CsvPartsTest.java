package dev.mlops.core.data;

import dev.mlops.core.errors.ContractException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvPartsTest {

    /** Bytes by range, counting what was read. */
    private static final class Bytes implements CsvParts.RangeSource {
        final byte[] bytes;
        final AtomicLong read = new AtomicLong();

        Bytes(String text) {
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open(long first, long last) {
            int end = (int) Math.min(last + 1, bytes.length);
            read.addAndGet(end - first);
            return new ByteArrayInputStream(bytes, (int) first, end - (int) first);
        }

        String text(CsvParts.Part p) {
            return new String(bytes, (int) p.first(), (int) p.bytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parts_shouldBeWholeLines_coveringEveryByteAfterTheHeaderOnce_inOrder() {
        // GIVEN 1,000 rows of varying width
        StringBuilder csv = new StringBuilder("id,value\n");
        for (int i = 0; i < 1_000; i++) {
            csv.append(i).append(',').append("x".repeat(i % 17)).append('\n');
        }
        Bytes source = new Bytes(csv.toString());
        // WHEN planned in parts of about 500 bytes
        CsvParts.Plan plan = CsvParts.plan(source, 500);
        // THEN every part starts a line and ends on a break, they tile the data, and together hold every row once
        assertThat(plan.headerLast()).isEqualTo("id,value\n".length() - 1);
        assertThat(plan.parts().size()).isGreaterThan(10);
        long next = plan.headerLast() + 1;
        List<String> rows = new ArrayList<>();
        for (CsvParts.Part p : plan.parts()) {
            assertThat(p.part()).isEqualTo(plan.parts().indexOf(p));
            assertThat(p.first()).isEqualTo(next);
            if (p.last() < source.size() - 1) {
                assertThat(p.bytes()).isGreaterThanOrEqualTo(500); // all but the last reach the target size
            }
            String text = source.text(p);
            assertThat(text).endsWith("\n");
            rows.addAll(List.of(text.split("\n")));
            next = p.last() + 1;
        }
        assertThat(next).isEqualTo(source.size());
        assertThat(rows).hasSize(1_000).first().isEqualTo("0,");
        assertThat(rows).last().isEqualTo("999," + "x".repeat(999 % 17));
    }

    @Test
    void planning_shouldReadOnlyAroundTheBoundaries_notTheWholeObject() {
        // GIVEN a 10 MB file, parts of 1 MB
        String row = "1.0,2.0,3.0,4.0,5.0,6.0,7.0,8.0,9.0,a\n";
        Bytes source = new Bytes("a,b,c,d,e,f,g,h,i,label\n" + row.repeat(10_000_000 / row.length()));
        // WHEN planned
        CsvParts.Plan plan = CsvParts.plan(source, 1_000_000);
        // THEN ten parts, and one window per boundary read (far less than the object)
        assertThat(plan.parts()).hasSize(10);
        assertThat(source.read.get()).isLessThan(11L * 64 * 1024);
    }

    @Test
    void aLastLineWithoutABreak_anEmptyFile_andAHeaderAlone_shouldBePlannedOrRefusedPlainly() {
        // GIVEN / WHEN / THEN the last row is kept without its line break
        Bytes noFinalBreak = new Bytes("a\n1\n2");
        assertThat(CsvParts.plan(noFinalBreak, 1).parts()).extracting(noFinalBreak::text).containsExactly("1\n", "2");
        // an empty object has no parts, a header without a line break is refused with the reason
        assertThat(CsvParts.plan(new Bytes(""), 10).parts()).isEmpty();
        assertThat(CsvParts.plan(new Bytes("a,b\n"), 10).parts()).isEmpty();
        assertThatThrownBy(() -> CsvParts.plan(new Bytes("a,b"), 10)).isInstanceOf(ContractException.class)
                .hasMessageContaining("no line break after it");
        assertThatThrownBy(() -> CsvParts.plan(new Bytes("a\n1\n"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void estimatedRows_shouldCountASmallFileExactly_andEstimateABigOneFromItsHead() {
        // GIVEN a small file (its last line without a break), a header alone, and 10 MB of rows 39 or 40 bytes long
        String header = "a,b,c,d,e,f,g,h,i,label\n";
        Bytes small = new Bytes("a\n1\n22\n333");
        Bytes headerOnly = new Bytes("a,b\n");
        StringBuilder big = new StringBuilder(header);
        int rows = 0;
        while (big.length() < 10_000_000) {
            big.append(rows % 7).append(".0,2.0,3.0,4.0,5.0,6.0,7.0,8.0,").append(rows % 3 == 0 ? "9.25" : "9.5")
                    .append(",a\n");
            rows++;
        }
        Bytes bigSource = new Bytes(big.toString());

        // WHEN / THEN the small file's rows are counted, the header alone has none
        assertThat(CsvParts.estimatedRows(small, CsvParts.plan(small, 10).headerLast())).isEqualTo(3);
        assertThat(CsvParts.estimatedRows(headerOnly, CsvParts.plan(headerOnly, 10).headerLast())).isZero();
        // and the big one's are estimated within 1 % from its first and last rows, not the whole object
        long before = bigSource.read.get();
        long estimate = CsvParts.estimatedRows(bigSource, header.length() - 1);
        assertThat((double) estimate).isCloseTo(rows, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(bigSource.read.get() - before).isEqualTo(2L * CsvParts.ESTIMATE_BYTES);
    }

    @Test
    void estimatedRows_whenTheFirstRowsAreShorterThanTheRest_shouldNotEstimateHigh() {
        // GIVEN 1 MB of 4-byte rows, then 9 MB of 40-byte rows: the head alone would say about 2.5M rows
        StringBuilder csv = new StringBuilder("x\n");
        long rows = 0;
        while (csv.length() < 1_000_000) {
            csv.append("1.5\n");
            rows++;
        }
        while (csv.length() < 10_000_000) {
            csv.append("1.5".repeat(13)).append('\n');
            rows++;
        }
        Bytes source = new Bytes(csv.toString());
        // WHEN
        long estimate = CsvParts.estimatedRows(source, 1);
        // THEN the longer lines (the tail's) size it: at most the rows there are, and not below the long rows alone
        assertThat(estimate).isLessThanOrEqualTo(rows).isGreaterThan(9_000_000 / 40);
    }
}

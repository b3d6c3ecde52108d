package dev.mlops.core.ports.contract;

import dev.mlops.core.ports.ObjectStore;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ObjectStore} promises; run on memory, the emulators and LocalStack. */
public abstract class ObjectStoreContract {

    protected abstract ObjectStore store();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void find_shouldReadWhatWasWritten_andNothingForAMissingKey() {
        // GIVEN
        String prefix = Fixtures.unique("contract") + "/";
        store().put(prefix + "a.json", utf8("{\"a\":1}"), "application/json");
        // WHEN / THEN
        assertThat(store().find(prefix + "a.json")).hasValueSatisfying(o -> assertThat(o.bytes()).isEqualTo(utf8("{\"a\":1}")));
        assertThat(store().find(prefix + "missing.json")).isEmpty();
        assertThat(store().head(prefix + "missing.json", null)).isEmpty();
        assertThat(store().open(prefix + "missing.json", null)).isEmpty();
    }

    @Test
    void metadataWrittenWithAnObject_shouldBeReadBackByHeadAndFind() {
        // GIVEN an object written with user metadata (what an upload or a retraining says about itself)
        String key = Fixtures.unique("contract") + "/retrain.csv";
        store().put(key, utf8("x,label\n1,a\n"), "text/csv", Map.of("label", "label", "cause-check", "20261127T100000Z-ab"));
        // WHEN / THEN
        assertThat(store().head(key, null)).hasValueSatisfying(h -> assertThat(h.metadata())
                .containsEntry("label", "label").containsEntry("cause-check", "20261127T100000Z-ab"));
        assertThat(store().find(key)).hasValueSatisfying(o -> assertThat(o.metadata())
                .containsEntry("cause-check", "20261127T100000Z-ab"));
    }

    @Test
    void aPinnedVersion_shouldSurviveAnOverwrite() throws Exception {
        // GIVEN a key written twice
        String key = Fixtures.unique("contract") + "/data.csv";
        String first = store().put(key, utf8("one"), "text/csv");
        store().put(key, utf8("two"), "text/csv");
        // WHEN / THEN the first version is still there by its id, the latest is the second
        assertThat(store().find(key, first)).hasValueSatisfying(o -> assertThat(o.bytes()).isEqualTo(utf8("one")));
        assertThat(store().find(key)).hasValueSatisfying(o -> assertThat(o.bytes()).isEqualTo(utf8("two")));
        try (InputStream in = store().open(key, first).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(utf8("one"));
        }
        assertThat(store().head(key, first)).hasValueSatisfying(h -> assertThat(h.size()).isEqualTo(3));
    }

    @Test
    void openRange_shouldReadTheBytesAskedFor_ofThePinnedVersion_andToTheEndPastIt() throws Exception {
        // GIVEN a key written twice
        String key = Fixtures.unique("contract") + "/parts.csv";
        String first = store().put(key, utf8("a,b\n1,2\n3,4\n"), "text/csv");
        store().put(key, utf8("overwritten"), "text/csv");
        // WHEN / THEN bytes 4 to 7 of the first version are its second line; a last byte past the end stops there
        try (InputStream in = store().openRange(key, first, 4, 7).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1,2\n");
        }
        try (InputStream in = store().openRange(key, first, 8, 1_000).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("3,4\n");
        }
        assertThat(store().openRange(key + ".missing", null, 0, 1)).isEmpty();
    }

    @Test
    void putStream_shouldWriteTheStreamedBytes() throws Exception {
        // GIVEN two streams joined, of a known length
        String key = Fixtures.unique("contract") + "/joined.csv";
        byte[] a = utf8("a,b\n");
        byte[] b = utf8("1,2\n");
        try (InputStream in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(a),
                new java.io.ByteArrayInputStream(b))) {
            // WHEN
            store().putStream(key, in, a.length + b.length, "text/csv");
        }
        // THEN
        assertThat(new String(store().find(key).orElseThrow().bytes(), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
    }

    @Test
    void concat_shouldWriteTheSourcesOneAfterTheOther_bigOrSmall() throws Exception {
        String prefix = Fixtures.unique("contract");
        // GIVEN sources of 5 MiB and more (S3 copies those in place when they start a part) and small ones
        byte[] big = new byte[5 * 1024 * 1024 + 3];
        java.util.Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = '\n';
        store().put(prefix + "/big0", big, "text/csv");
        store().put(prefix + "/big1", utf8("y\n" + "z".repeat(big.length - 3) + "\n"), "text/csv");
        store().put(prefix + "/small0", utf8("a,b\n"), "text/csv");
        store().put(prefix + "/small1", utf8("1,2\n"), "text/csv");
        // WHEN
        store().concat(prefix + "/joined-big.csv", List.of(prefix + "/big0", prefix + "/big1", prefix + "/small0"),
                "text/csv");
        store().concat(prefix + "/joined-small.csv", List.of(prefix + "/small0", prefix + "/small1"), "text/csv");
        store().concat(prefix + "/joined-mixed.csv", List.of(prefix + "/small0", prefix + "/big0", prefix + "/small1"),
                "text/csv");
        // THEN
        byte[] joined = store().find(prefix + "/joined-big.csv").orElseThrow().bytes();
        assertThat(joined).hasSize(big.length * 2 + 4);
        assertThat(java.util.Arrays.copyOfRange(joined, 0, big.length)).isEqualTo(big);
        assertThat(new String(joined, big.length, big.length + 4, StandardCharsets.UTF_8))
                .isEqualTo("y\n" + "z".repeat(big.length - 3) + "\na,b\n");
        assertThat(new String(store().find(prefix + "/joined-small.csv").orElseThrow().bytes(), StandardCharsets.UTF_8))
                .isEqualTo("a,b\n1,2\n");
        assertThat(store().head(prefix + "/joined-big.csv", null).orElseThrow().size()).isEqualTo(big.length * 2L + 4);
        byte[] mixed = store().find(prefix + "/joined-mixed.csv").orElseThrow().bytes();
        assertThat(mixed).hasSize(big.length + 8);
        assertThat(new String(mixed, 0, 4, StandardCharsets.UTF_8)).isEqualTo("a,b\n");
        assertThat(java.util.Arrays.copyOfRange(mixed, 4, 4 + big.length)).isEqualTo(big);
        assertThat(new String(mixed, 4 + big.length, 4, StandardCharsets.UTF_8)).isEqualTo("1,2\n");
    }

    @Test
    void list_shouldReturnKeysInOrderAfterStartAfter_evenWithOddCharacters() {
        // GIVEN keys with a space, a plus and a percent sign
        String prefix = Fixtures.unique("contract") + "/";
        for (String name : new String[] {"a b.csv", "c+d.csv", "e%f.csv", "g.csv"}) {
            store().put(prefix + name, utf8(name), "text/csv");
        }
        // WHEN
        var all = store().list(prefix, null);
        var after = store().list(prefix, prefix + "c+d.csv");
        // THEN
        assertThat(all).extracting(ObjectStore.ObjectInfo::key)
                .containsExactly(prefix + "a b.csv", prefix + "c+d.csv", prefix + "e%f.csv", prefix + "g.csv");
        assertThat(after).extracting(ObjectStore.ObjectInfo::key).containsExactly(prefix + "e%f.csv", prefix + "g.csv");
        assertThat(all.get(0).size()).isEqualTo(7);
    }

    @Test
    void copyAndJson_shouldRoundTrip() {
        // GIVEN
        String prefix = Fixtures.unique("contract") + "/";
        store().putJson(prefix + "doc.json", Map.of("name", "iris", "rows", 150));
        // WHEN
        store().copy(prefix + "doc.json", prefix + "copy.json");
        // THEN
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = store().findJson(prefix + "copy.json", Map.class).orElseThrow();
        assertThat(copy).containsEntry("name", "iris").containsEntry("rows", 150);
    }
}

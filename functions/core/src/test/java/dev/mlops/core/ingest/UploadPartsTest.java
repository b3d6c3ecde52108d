package dev.mlops.core.ingest;

import dev.mlops.core.pipeline.PartedUpload;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.CsvParts;
import dev.mlops.core.data.DatasetReport;
import dev.mlops.core.data.PartHashes;
import dev.mlops.core.data.Profile;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.SourceObject;
import dev.mlops.core.search.PinnedDataset;
import dev.mlops.core.ports.ValidationLauncher;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Validation in parts with the map's steps run one after the other on the in-memory ports: what the ingest
 * function plans, what each part's scan writes and what the merge concludes, against one pass over the same bytes.
 */
class UploadPartsTest {

    private final PipelineHarness p = new PipelineHarness();
    private final List<PartedUpload> started = new ArrayList<>();
    private final ValidationLauncher launcher = upload -> {
        started.add(upload);
        return "arn:aws:states:us-east-1:000000000000:execution:mlops-local-UploadValidation:" + upload.dataset()
                + "." + upload.id();
    };
    private final IngestionService ingestion = new IngestionService(p.store, p.datasets, p.runs, p.launcher,
            p.metrics, p.clock, IngestionService.DEFAULT_MAX_UPLOAD_BYTES,
            new IngestionService.InParts(4_000, 1_500, 10), launcher);
    private final UploadParts parts = new UploadParts(p.store, ingestion);
    private final byte[] wine = Datasets.read("wine").getBytes(StandardCharsets.UTF_8);

    @Test
    void anUploadOverTheThreshold_shouldBeValidatingUntilItsPartsAreMerged_thenConcludeAsOnePassDoes() {
        // GIVEN the same bytes read in one pass
        IngestionService.Outcome single = p.upload("one-pass", "wine.csv", Datasets.read("wine"), Map.of());
        // WHEN they are uploaded to a function that validates uploads over 4,000 bytes in parts of 1,500
        String key = Layout.uploadKey("in-parts", "wine.csv");
        String versionId = p.store.put(key, wine, Map.of());
        IngestionService.Outcome planned = ingestion.ingest(p.store.bucket(), key, versionId);
        // THEN the upload is VALIDATING, its parts planned, and one execution started
        assertThat(planned.status()).isEqualTo(IngestionService.Status.VALIDATING);
        assertThat(p.datasets.findUpload(key, versionId).orElseThrow().status()).isEqualTo(UploadStatus.VALIDATING);
        assertThat(started).hasSize(1);
        PartedUpload upload = Json.read(Json.bytes(started.get(0)), PartedUpload.class); // as the state machine passes it
        List<CsvParts.Part> planParts = List.of(Json.read(p.store.find(upload.partsKey()).orElseThrow().bytes(),
                CsvParts.Part[].class));
        assertThat(planParts).hasSize(upload.parts()).hasSizeGreaterThan(5);
        // WHEN every part is scanned (one twice, as a retried one is), then merged
        for (CsvParts.Part part : planParts) {
            parts.scanPart(upload, Json.read(Json.bytes(part), CsvParts.Part.class));
        }
        parts.scanPart(upload, planParts.get(2));
        IngestionService.Outcome merged = parts.merge(upload);
        // THEN it is VALID, its version the hash of its header's and parts' hashes, and its pipeline started
        assertThat(merged.status()).as(merged.reason()).isEqualTo(IngestionService.Status.VALID);
        List<String> hashes = new ArrayList<>(List.of(Sha256.hex(slice(0, upload.headerLast()))));
        for (CsvParts.Part part : planParts) {
            hashes.add(Sha256.hex(slice(part.first(), part.last())));
        }
        assertThat(merged.datasetVersion()).isEqualTo(PartHashes.version(hashes))
                .isEqualTo(hashList(wine, planParts, upload.headerLast()));
        // and the run reads the upload pinned by version and by where its parts end, to check it again
        SourceObject source = p.runs.find(merged.runId()).orElseThrow().request().source();
        assertThat(source.partEnds()).hasSize(planParts.size() + 1);
        assertThat(PinnedDataset.load(p.store, source).rows()).hasSize(178);
        // and read with its parts cut elsewhere, it is not the version that was validated
        List<Long> shifted = new ArrayList<>(source.partEnds());
        shifted.set(1, shifted.get(1) + 1);
        assertThatThrownBy(() -> PinnedDataset.load(p.store, new SourceObject(source.bucket(), source.key(),
                source.versionId(), source.sha256(), shifted))).isInstanceOf(IntegrityException.class);
        assertThat(p.datasets.findUpload(key, versionId).orElseThrow().status()).isEqualTo(UploadStatus.VALID);
        assertThat(p.runs.find(merged.runId())).isPresent();
        // and its report and profile have one pass's counts
        DatasetReport one = report("one-pass", single.datasetVersion());
        DatasetReport many = report("in-parts", merged.datasetVersion());
        assertThat(many.rows()).isEqualTo(one.rows());
        assertThat(many.bytes()).isEqualTo(one.bytes()).isEqualTo(wine.length);
        assertThat(many.errors()).isEqualTo(one.errors());
        assertThat(many.warnings()).isEqualTo(one.warnings());
        Profile p1 = profile("one-pass", single.datasetVersion());
        Profile pn = profile("in-parts", merged.datasetVersion());
        assertThat(pn.rows()).isEqualTo(p1.rows());
        assertThat(pn.labels()).isEqualTo(p1.labels());
        p1.features().forEach((name, f) -> {
            assertThat(pn.features().get(name).count()).as(name).isEqualTo(f.count());
            assertThat(pn.features().get(name).min()).as(name).isEqualTo(f.min());
            assertThat(pn.features().get(name).max()).as(name).isEqualTo(f.max());
        });
    }

    @Test
    void theSameBytesUploadedInPartsAgain_shouldBeADuplicate() {
        // GIVEN a big upload validated in parts
        String first = Layout.uploadKey("twice", "a.csv");
        IngestionService.Outcome one = runInParts(first);
        // WHEN the same bytes come again under another name
        IngestionService.Outcome again = runInParts(Layout.uploadKey("twice", "b.csv"));
        // THEN they are the same dataset version: a duplicate naming the first run
        assertThat(one.status()).isEqualTo(IngestionService.Status.VALID);
        assertThat(again.status()).isEqualTo(IngestionService.Status.DUPLICATE);
        assertThat(again.datasetVersion()).isEqualTo(one.datasetVersion());
        assertThat(again.runId()).isEqualTo(one.runId());
    }

    @Test
    void aMapThatFailed_shouldBeRecordedOnTheUpload_withTheStepsErrorAndCause() {
        // GIVEN an upload being validated in parts
        String key = Layout.uploadKey("failing", "wine.csv");
        String versionId = p.store.put(key, wine, Map.of());
        ingestion.ingest(p.store.bucket(), key, versionId);
        // WHEN its map fails
        IngestionService.Outcome failed = parts.failed(started.get(0), "States.ExceedToleratedFailureThreshold",
                "The specified tolerated failure threshold was exceeded");
        // THEN the upload says so, and how to start over
        assertThat(failed.status()).isEqualTo(IngestionService.Status.REJECTED);
        assertThat(p.datasets.findUpload(key, versionId).orElseThrow().reason())
                .contains("States.ExceedToleratedFailureThreshold").contains("upload the file again");
    }

    @Test
    void anUploadUnderTheThreshold_askingForParts_shouldBeValidatedInParts() {
        // GIVEN object metadata part-bytes under the upload's size, which is under the threshold
        IngestionService inline = new IngestionService(p.store, p.datasets, p.runs, p.launcher, p.metrics, p.clock,
                IngestionService.DEFAULT_MAX_UPLOAD_BYTES, new IngestionService.InParts(1L << 30, 1L << 28, 10),
                launcher);
        String key = Layout.uploadKey("asked", "wine.csv");
        String versionId = p.store.put(key, wine, Map.of(IngestionService.PART_BYTES, "3000"));
        // WHEN it is ingested
        IngestionService.Outcome outcome = inline.ingest(p.store.bucket(), key, versionId);
        // THEN it goes to the map, in parts of about 3,000 bytes
        assertThat(outcome.status()).isEqualTo(IngestionService.Status.VALIDATING);
        assertThat(started.get(0).parts()).isBetween(wine.length / 3_000 - 1, wine.length / 3_000 + 1);
    }

    private IngestionService.Outcome runInParts(String key) {
        String versionId = p.store.put(key, wine, Map.of());
        ingestion.ingest(p.store.bucket(), key, versionId);
        PartedUpload upload = started.get(started.size() - 1);
        List<CsvParts.Part> planParts = List.of(Json.read(p.store.find(upload.partsKey()).orElseThrow().bytes(),
                CsvParts.Part[].class));
        planParts.forEach(part -> parts.scanPart(upload, part));
        return parts.merge(upload);
    }

    /** The address {@link PartHashes.Reader} computes over the whole file, as training reads it. */
    private static String hashList(byte[] file, List<CsvParts.Part> parts, long headerLast) {
        List<Long> ends = new ArrayList<>(List.of(headerLast));
        parts.forEach(part -> ends.add(part.last()));
        try (PartHashes.Reader in = new PartHashes.Reader(new java.io.ByteArrayInputStream(file), ends)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return in.version();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private byte[] slice(long first, long last) {
        byte[] out = new byte[(int) (last - first + 1)];
        System.arraycopy(wine, (int) first, out, 0, out.length);
        return out;
    }

    private DatasetReport report(String dataset, String version) {
        return Json.read(p.store.find(Layout.validationReport(dataset, version)).orElseThrow().bytes(),
                DatasetReport.class);
    }

    private Profile profile(String dataset, String version) {
        return Json.read(p.store.find(Layout.profile(dataset, version)).orElseThrow().bytes(), Profile.class);
    }
}

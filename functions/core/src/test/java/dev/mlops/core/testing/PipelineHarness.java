package dev.mlops.core.testing;

import dev.mlops.core.Layout;
import dev.mlops.core.domain.Run;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.Promotion;
import dev.mlops.core.pipeline.Registration;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;
import dev.mlops.core.ports.memory.InMemoryDatasetCatalog;
import dev.mlops.core.ports.memory.InMemoryDriftCheckLog;
import dev.mlops.core.ports.memory.InMemoryModelRegistry;
import dev.mlops.core.ports.memory.InMemoryObjectStore;
import dev.mlops.core.ports.memory.InMemoryRunLog;
import dev.mlops.core.ports.memory.MutableClock;
import dev.mlops.core.ports.memory.RecordingLauncher;
import dev.mlops.core.ports.memory.RecordingMetrics;
import dev.mlops.core.ports.memory.RecordingRegistryEvents;
import dev.mlops.core.registry.RegistryCommands;
import dev.mlops.core.registry.RegistryQueries;
import dev.mlops.core.registry.RegistryService;
import dev.mlops.core.search.CandidateTrainer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline on in-memory ports, step by step as the state machine runs it (ingest →
 * train each candidate → register → promote when blessed, against the champion of the blessing),
 * so a test can stop between steps to make a race happen.
 */
public final class PipelineHarness {

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    public final InMemoryObjectStore store = new InMemoryObjectStore("mlops-local-000000000000-data", clock);
    public final InMemoryDatasetCatalog datasets = new InMemoryDatasetCatalog();
    public final InMemoryRunLog runs = new InMemoryRunLog(clock);
    public final InMemoryModelRegistry registry = new InMemoryModelRegistry(clock);
    public final InMemoryDriftCheckLog driftChecks = new InMemoryDriftCheckLog();
    public final RecordingLauncher launcher = new RecordingLauncher();
    public final RecordingMetrics metrics = new RecordingMetrics();
    public final IngestionService ingestion = new IngestionService(store, datasets, runs, launcher, metrics, clock);
    public final CandidateTrainer trainer = new CandidateTrainer(store);
    public final RecordingRegistryEvents events = new RecordingRegistryEvents();
    public final RegistryService registryService = new RegistryService(store, registry, runs, launcher, events, clock);
    public final RegistryQueries queries = new RegistryQueries(store, registry, runs, datasets);
    public final RegistryCommands commands = new RegistryCommands(store, registry, events, clock);

    /**
     * The training settings the harness gives a dataset that has no {@code config.json}: logistic
     * regression only, so the registry's, serving's and drift's tests train one quick candidate per
     * run. The search itself (every family, the default grid) is tested where it is the subject.
     */
    public static final Map<String, Object> ONE_CANDIDATE = Map.of("training",
            Map.of("families", List.of("logistic-regression")));

    /** Puts a file under incoming/ and runs ingestion on it, as the S3 event would. */
    public IngestionService.Outcome upload(String dataset, String file, String csv, Map<String, String> metadata) {
        clock.advance(Duration.ofSeconds(1));
        if (store.find(Layout.config(dataset)).isEmpty()) {
            store.putJson(Layout.config(dataset), ONE_CANDIDATE);
        }
        String key = "incoming/" + dataset + "/" + file;
        String version = store.put(key, csv.getBytes(StandardCharsets.UTF_8), metadata);
        return ingestion.ingest(store.bucket(), key, version);
    }

    public IngestionService.Outcome upload(String dataset, String csv) {
        return upload(dataset, dataset + ".csv", csv, Map.of());
    }

    /** The request the run's execution was started with. */
    public RunRequest request(String runId) {
        return launcher.started().stream().filter(r -> r.runId().equals(runId)).findFirst().orElseThrow();
    }

    /** The Map state: every candidate trained. */
    public List<TrainedCandidate> train(String runId) {
        RunRequest r = request(runId);
        List<TrainedCandidate> out = new ArrayList<>();
        for (int i = 0; i < r.candidates().size(); i++) {
            CandidateSpec c = r.candidates().get(i);
            out.add(trainer.train(new TrainingTask(r.runId(), r.dataset(), r.datasetVersion(), r.model(), r.label(),
                    r.source(), c, i)));
        }
        return out;
    }

    /** The Register state. */
    public Registration register(String runId, List<TrainedCandidate> trained) {
        RunRequest r = request(runId);
        return registryService.register(new RegistryTask.Register(r.runId(), r.dataset(), r.datasetVersion(), r.model(),
                r.label(), r.source(), trained, r.blessing()));
    }

    /** The Promote state, with the champion the registration was blessed against. */
    public Promotion promote(String runId, Registration registration) {
        return registryService.promote(new RegistryTask.Promote(runId, registration.model(), registration.version(),
                registration.championVersion()));
    }

    /** A whole execution: train, register, promote when blessed; the run as it ended. */
    public Run runToEnd(String runId) {
        Registration registration = register(runId, train(runId));
        if (registration.blessed()) {
            promote(runId, registration);
        }
        return runs.find(runId).orElseThrow();
    }
}

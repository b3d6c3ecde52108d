package dev.mlops.local.console;

import dev.mlops.core.ports.ObjectStore;

import java.util.List;
import java.util.Optional;

/** Every page of the console, each answered by the class of its section. */
final class Pages {

    private final ConsoleSources sources;
    private final ModelPages models;
    private final RunPages runs;
    private final DatasetPages datasets;
    private final MonitoringPage monitoring;

    Pages(ConsoleSources sources) {
        this.sources = sources;
        this.models = new ModelPages(sources);
        this.runs = new RunPages(sources);
        this.datasets = new DatasetPages(sources);
        this.monitoring = new MonitoringPage(sources);
    }

    String models() {
        return models.list();
    }

    String model(String model) {
        return models.model(model);
    }

    String version(String model, int version) {
        return models.version(model, version);
    }

    String monitoring(String model) {
        return monitoring.page(model);
    }

    String runs(String dataset) {
        return runs.list(dataset);
    }

    String run(String runId) {
        return runs.run(runId);
    }

    String compare(String a, String b) {
        return runs.compare(a, b);
    }

    String datasets() {
        return datasets.list();
    }

    String dataset(String dataset) {
        return datasets.dataset(dataset);
    }

    /** A report page or document of the bucket, as stored. */
    Optional<byte[]> report(String key) {
        return sources.store().find(key).map(ObjectStore.StoredObject::bytes);
    }

    String error(String title, String message) {
        return Markup.page(title, null, sources.description(), List.of(), new Markup().para(message)
                .raw("<p>" + Markup.link("/models", "Back to the models") + "</p>"));
    }
}

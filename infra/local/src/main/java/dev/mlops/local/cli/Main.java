package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mlops.aws.DatasetStore;
import dev.mlops.aws.RunStore;
import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.model.Sha256;
import dev.mlops.local.runtime.Events;
import dev.mlops.local.runtime.LocalEnvironment;
import dev.mlops.local.runtime.RuntimeInfo;
import dev.mlops.local.template.StackModel;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code ./mlops}: the local command line. Run without arguments for the usage. */
public final class Main {

    static final String USAGE = """
            usage: ./mlops COMMAND [--json] [--home DIR]

              demo                                 run the whole lifecycle on the bundled iris dataset
              local up                             start the local stack and keep it running (Ctrl-C stops it)
              local down                           stop the stack that `local up` started
              upload FILE --dataset NAME [--label COLUMN] [--model NAME] [--wait]
                                                   upload a CSV to incoming/NAME/ (the pipeline's trigger)
              invoke FUNCTION -e EVENT_FILE        invoke a function of template.yaml with an event (like sam local invoke)
              predict MODEL --instances FILE|-     POST a JSON array of instances to /v1/models/MODEL:predict
              drift check [--model NAME]           run the scheduled drift check now

            Commands use the stack `local up` started, or start one for their own duration.
            State lives in --home (default: $MLOPS_HOME or ./.mlops) and carries over between runs.
            --json prints one JSON document on stdout; progress goes to stderr.
            """;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String DRIFT_HANDLER = "dev.mlops.functions.drift.DriftCheckHandler";

    private final Path root;
    private final Path home;
    private final boolean json;

    private Main(Path root, Path home, boolean json) {
        this.root = root;
        this.home = home;
        this.json = json;
    }

    public static void main(String[] argv) {
        Console.captureStdout();
        int code;
        try {
            Args args = Args.parse(argv);
            Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath().normalize();
            String homeOption = args.option("--home");
            String homeEnv = System.getenv("MLOPS_HOME");
            Path home = homeOption != null ? Path.of(homeOption) : homeEnv != null ? Path.of(homeEnv) : root.resolve(".mlops");
            code = new Main(root, home.toAbsolutePath().normalize(), args.flag("--json")).run(args);
        } catch (Args.UsageException e) {
            System.err.println("error: " + e.getMessage() + "\n\n" + USAGE);
            code = 2;
        } catch (Exception e) {
            System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (System.getenv("MLOPS_DEBUG") != null) {
                e.printStackTrace();
            }
            code = 1;
        }
        Console.RESULT.flush();
        System.exit(code);
    }

    private int run(Args args) throws Exception {
        if (args.positional.isEmpty() || args.flag("--help") || args.flag("-h")) {
            Console.RESULT.print(USAGE);
            return args.positional.isEmpty() && !args.flag("--help") && !args.flag("-h") ? 2 : 0;
        }
        String command = args.positional.get(0);
        return switch (command) {
            case "demo" -> demo();
            case "local" -> switch (args.positional(1, "local up|down")) {
                case "up" -> localUp();
                case "down" -> localDown();
                default -> throw new Args.UsageException("unknown command: local " + args.positional.get(1));
            };
            case "upload" -> upload(Path.of(args.positional(1, "FILE")), args.required("NAME", "--dataset"),
                    args.option("--label"), args.option("--model"), args.flag("--wait"));
            case "invoke" -> invoke(args.positional(1, "FUNCTION"), Path.of(args.required("EVENT_FILE", "-e", "--event")));
            case "predict" -> predict(args.positional(1, "MODEL"), args.required("FILE|-", "--instances"));
            case "drift" -> {
                if (!"check".equals(args.positional(1, "drift check"))) {
                    throw new Args.UsageException("unknown command: drift " + args.positional.get(1));
                }
                yield driftCheck(args.option("--model"));
            }
            default -> throw new Args.UsageException("unknown command: " + command);
        };
    }

    // ------------------------------------------------------------------ local up / down

    private int localUp() throws Exception {
        if (RuntimeInfo.readLive(home).isPresent()) {
            throw new IllegalStateException("a local environment is already running on " + home
                    + " (pid " + RuntimeInfo.readLive(home).get().pid() + ")");
        }
        Console.progress("starting the local environment (data in " + home + ")");
        LocalEnvironment env = LocalEnvironment.start(root, home);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Console.progress("stopping the local environment");
            env.close();
            stopped.countDown();
        }, "local-shutdown"));
        RuntimeInfo info = env.info();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "running");
        out.put("pid", info.pid());
        out.put("api_url", info.apiUrl());
        out.put("lambda_url", info.lambdaUrl());
        out.put("s3", info.s3());
        out.put("dynamodb", info.dynamodb());
        out.put("stepfunctions", info.stepFunctions());
        out.put("emulator_start_ms", info.emulatorStartMillis());
        out.put("home", home.toString());
        if (json) {
            print(out);
        } else {
            Console.RESULT.println("local stack running; Ctrl-C or `./mlops local down` stops it");
            out.forEach((k, v) -> Console.RESULT.println("  " + k + ": " + v));
        }
        Console.RESULT.flush();
        stopped.await();
        return 0;
    }

    private int localDown() throws Exception {
        var running = RuntimeInfo.readLive(home);
        Map<String, Object> out = new LinkedHashMap<>();
        if (running.isEmpty()) {
            out.put("status", "not running");
            return report(out, "no local environment is running on " + home, 0);
        }
        RuntimeInfo info = running.get();
        ProcessHandle owner = ProcessHandle.of(info.pid()).orElseThrow();
        owner.destroy();
        try {
            owner.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            owner.destroyForcibly();
        }
        int leftovers = 0;
        for (long pid : info.emulatorPids()) {
            var child = ProcessHandle.of(pid);
            if (child.isPresent() && child.get().isAlive()) {
                leftovers++;
                child.get().descendants().forEach(ProcessHandle::destroyForcibly);
                child.get().destroyForcibly();
            }
        }
        out.put("status", "stopped");
        out.put("pid", info.pid());
        out.put("emulators_killed_forcibly", leftovers);
        return report(out, "local environment (pid " + info.pid() + ") stopped", 0);
    }

    // ------------------------------------------------------------------ upload

    private int upload(Path file, String dataset, String label, String model, boolean wait) throws Exception {
        try (Session session = Session.open(root, home)) {
            Map<String, Object> out = upload(session, file, dataset, label, model, wait || session.owned());
            boolean ok = "UPLOADED".equals(out.get("status")) || pipelineEnded(out);
            return report(out, summary(out), ok ? 0 : 1);
        }
    }

    /** The run ended as designed: the version was promoted, or registered and kept out of production. */
    private static boolean pipelineEnded(Map<String, Object> upload) {
        return "SUCCEEDED".equals(upload.get("run_status")) || "NOT_BLESSED".equals(upload.get("run_status"));
    }

    private Map<String, Object> upload(Session session, Path file, String dataset, String label, String model,
                                       boolean wait) throws Exception {
        Names.require("dataset", dataset);
        if (model != null) {
            Names.require("model", model);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        byte[] bytes = Files.readAllBytes(file);
        String version = Sha256.hex(bytes);
        String key = Layout.uploadKey(dataset, file.getFileName().toString());
        Layout.parseUpload(key); // same checks as ingestion, before anything is sent
        Map<String, String> metadata = new LinkedHashMap<>();
        if (label != null) {
            metadata.put("label", label);
        }
        if (model != null) {
            metadata.put("model", model);
        }
        session.clients().s3().putObject(b -> b.bucket(session.bucket()).key(key).metadata(metadata).contentType("text/csv"),
                RequestBody.fromBytes(bytes));
        Console.progress("uploaded " + file + " to s3://" + session.bucket() + "/" + key);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", dataset);
        out.put("dataset_version", version);
        out.put("key", key);
        if (!wait) {
            out.put("status", "UPLOADED");
            return out;
        }
        var dynamo = session.clients().dynamoDb();
        PipelineWatch watch = new PipelineWatch(new DatasetStore(dynamo, session.model().tableName("DatasetsTable")),
                new RunStore(dynamo, session.model().tableName("RunsTable")));
        PipelineWatch.Outcome outcome = watch.await(dataset, version, Duration.ofMinutes(15));
        out.put("status", outcome.dataset().status());
        if (outcome.run() == null) {
            out.put("validation_report", "s3://" + session.bucket() + "/" + outcome.dataset().reportKey());
            JsonNode report = JSON.readTree(session.clients().s3()
                    .getObjectAsBytes(b -> b.bucket(session.bucket()).key(outcome.dataset().reportKey())).asByteArray());
            out.put("problems", report.path("problems"));
            out.put("run_status", "NOT_STARTED");
            return out;
        }
        RunStore.Run run = outcome.run();
        out.put("run_id", run.runId());
        out.put("run_status", run.status());
        out.put("model", run.model());
        out.put("version", run.version());
        out.put("production_version", run.productionVersion());
        if (run.reason() != null) {
            out.put("reason", run.reason());
        }
        if (run.error() != null) {
            out.put("error", run.error());
            out.put("cause", run.cause());
        }
        return out;
    }

    private static String summary(Map<String, Object> out) {
        Object runStatus = out.get("run_status");
        if (runStatus == null) {
            return "uploaded " + out.get("key") + " (dataset version " + out.get("dataset_version") + ")";
        }
        if ("NOT_STARTED".equals(runStatus)) {
            return "dataset rejected by validation: " + out.get("problems") + "\nreport: " + out.get("validation_report");
        }
        return "run " + out.get("run_id") + ": " + runStatus + "; model " + out.get("model") + " v" + out.get("version")
                + "; production is v" + out.get("production_version")
                + (out.containsKey("reason") ? " (" + out.get("reason") + ")" : "")
                + (out.containsKey("error") ? "\nerror: " + out.get("error") + ": " + out.get("cause") : "");
    }

    // ------------------------------------------------------------------ invoke / predict / drift

    private int invoke(String function, Path eventFile) throws Exception {
        byte[] event = Files.readAllBytes(eventFile);
        try (Session session = Session.open(root, home)) {
            Session.Invocation result = session.invoke(function, event);
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("function", result.function());
                out.put("failed", result.failed());
                out.put(result.failed() ? "error" : "payload", parseOrText(result.payload()));
                print(out);
            } else {
                Console.RESULT.println(result.payload());
            }
            return result.failed() ? 1 : 0;
        }
    }

    private int predict(String model, String instancesSource) throws Exception {
        String text = "-".equals(instancesSource)
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(instancesSource));
        JsonNode instances = JSON.readTree(text);
        if (instances == null || !instances.isArray()) {
            throw new IllegalArgumentException("--instances must hold a JSON array of objects, e.g. [{\"x\": 1.0}]");
        }
        try (Session session = Session.open(root, home)) {
            HttpResponse<String> response = predict(session, model, instances);
            Console.RESULT.println(json ? response.body() : JSON.writeValueAsString(JSON.readTree(response.body())));
            return response.statusCode() < 400 ? 0 : 1;
        }
    }

    private static HttpResponse<String> predict(Session session, String model, JsonNode instances) throws IOException {
        URI uri = URI.create(session.info().apiUrl() + "/v1/models/"
                + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":predict");
        return session.post(uri, JSON.writeValueAsString(Map.of("instances", instances)));
    }

    private int driftCheck(String model) throws Exception {
        try (Session session = Session.open(root, home)) {
            Session.Invocation result = fireDriftSchedule(session, model);
            if (json) {
                print(parseOrText(result.payload()));
            } else {
                Console.RESULT.println(result.payload());
            }
            return result.failed() ? 1 : 0;
        }
    }

    /** Fires the template's schedule bound to the drift check function, as EventBridge would. */
    private static Session.Invocation fireDriftSchedule(Session session, String model) throws IOException {
        StackModel.Schedule schedule = session.model().schedules().stream()
                .filter(s -> session.model().function(s.functionId()).handler().startsWith(DRIFT_HANDLER + "::"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("template.yaml schedules no " + DRIFT_HANDLER));
        Map<String, Object> detail = model == null ? Map.of() : Map.of("model", model);
        return session.invoke(schedule.functionId(), Events.scheduled(schedule, detail));
    }

    // ------------------------------------------------------------------ demo

    private int demo() throws Exception {
        long t0 = System.nanoTime();
        Path data = root.resolve("data/iris.csv");
        try (Session session = Session.open(root, home)) {
            long ready = System.nanoTime();
            Map<String, Object> upload = upload(session, data, "iris", null, null, true);
            if (!pipelineEnded(upload)) {
                throw new IllegalStateException("the pipeline did not succeed: " + summary(upload));
            }
            long trained = System.nanoTime();

            // One real row of the dataset, without its label, is the request.
            CsvTable table;
            try (var in = Files.newInputStream(data)) {
                table = CsvParser.parse(in, CsvLimits.DEFAULT);
            }
            List<String> header = table.header();
            List<String> row = table.rows().get(0);
            Map<String, Object> instance = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (!header.get(i).equals("label")) {
                    instance.put(header.get(i), Double.parseDouble(row.get(i)));
                }
            }
            String model = (String) upload.get("model");
            HttpResponse<String> prediction = predict(session, model, JSON.valueToTree(List.of(instance)));
            if (prediction.statusCode() != 200) {
                throw new IllegalStateException("prediction failed: HTTP " + prediction.statusCode() + " " + prediction.body());
            }
            Session.Invocation drift = fireDriftSchedule(session, model);
            if (drift.failed()) {
                throw new IllegalStateException("drift check failed: " + drift.payload());
            }
            JsonNode check = JSON.readTree(drift.payload()).path("checks").path(0);

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dataset", upload.get("dataset"));
            out.put("dataset_version", upload.get("dataset_version"));
            out.put("run_id", upload.get("run_id"));
            out.put("run_status", upload.get("run_status"));
            out.put("model", model);
            out.put("production_version", upload.get("production_version"));
            out.put("instance", instance);
            out.put("true_label", row.get(header.indexOf("label")));
            out.put("prediction", JSON.readTree(prediction.body()));
            out.put("drift_report", "s3://" + session.bucket() + "/" + check.path("reportKey").asText());
            out.put("drift_detected", check.path("driftDetected").asBoolean());
            Map<String, Object> timings = new LinkedHashMap<>();
            timings.put("environment_ms", (ready - t0) / 1_000_000);
            timings.put("pipeline_ms", (trained - ready) / 1_000_000);
            timings.put("total_ms", (System.nanoTime() - t0) / 1_000_000);
            if (session.owned()) {
                timings.put("emulator_start_ms", session.info().emulatorStartMillis());
            }
            out.put("timings", timings);
            return report(out, "demo finished:\n" + JSON.writeValueAsString(out), 0);
        }
    }

    // ------------------------------------------------------------------ output

    private int report(Map<String, Object> out, String human, int code) throws IOException {
        if (json) {
            print(out);
        } else {
            Console.RESULT.println(human);
        }
        return code;
    }

    private static void print(Object value) throws IOException {
        Console.RESULT.println(JSON.writeValueAsString(value));
    }

    private static Object parseOrText(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return text;
        }
    }
}

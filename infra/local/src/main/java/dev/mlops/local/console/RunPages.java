package dev.mlops.local.console;

import dev.mlops.core.domain.Run;
import dev.mlops.core.registry.ModelCard;
import dev.mlops.core.search.Leaderboard;
import dev.mlops.local.console.ConsoleServer.NotFound;
import dev.mlops.local.console.Markup.Section;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pipeline runs: the recent ones, one run with its leaderboard (ranked by {@link Leaderboard}, the rule that chose
 * the registered candidate), and two runs side by side, as {@code ./mlops runs list|show} print them.
 */
final class RunPages {

    private static final int RECENT = 50;

    private final ConsoleSources sources;

    RunPages(ConsoleSources sources) {
        this.sources = sources;
    }

    String list(String dataset) {
        List<Run> runs = sources.runs().recent(dataset, RECENT);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            rows.add(List.of(radio("a", r.runId(), i == 1), radio("b", r.runId(), i == 0),
                    Markup.link(Markup.path("runs", r.runId()), r.runId()), Markup.badge(r.status().name()),
                    Markup.link(Markup.path("datasets", r.dataset()), r.dataset()),
                    r.version() == null ? "–" : Markup.link(Markup.path("models", r.model(), "versions",
                            r.version().toString()), r.model() + " v" + r.version()),
                    Markup.esc(cause(r)), Markup.time(r.startedAt()), Markup.time(r.endedAt())));
        }
        Markup body = new Markup();
        body.note("The " + RECENT + " most recent runs" + (dataset == null ? "" : " of " + dataset)
                + ", newest first. Pick two and compare them side by side.");
        body.raw("<form action=\"/runs/compare\" method=\"get\" class=\"compare\">");
        body.table(List.of("A", "B", "run", "status", "dataset", "registered", "started by", "started", "ended"),
                rows, "runs");
        if (runs.size() >= 2) {
            body.raw("<button type=\"submit\" id=\"compare\">Compare A and B</button>");
        }
        body.raw("</form>");
        return Markup.page("Runs", Section.RUNS, sources.description(), List.of(), body);
    }

    private static String radio(String name, String value, boolean checked) {
        return "<input type=\"radio\" name=\"" + name + "\" value=\"" + Markup.esc(value) + "\" aria-label=\""
                + name + ": " + Markup.esc(value) + "\"" + (checked ? " checked" : "") + ">";
    }

    private static String cause(Run r) {
        if (r.request() != null && r.request().cause() != null) {
            return "drift check " + r.request().cause().checkId() + " (" + r.request().cause().verdict() + ")";
        }
        return r.retryOf() != null ? "retry of " + r.retryOf() : "upload";
    }

    String run(String runId) {
        Run r = find(runId);
        Leaderboard board = leaderboard(r);
        Markup body = new Markup().facts(facts(r));
        body.heading(2, "Leaderboard").note(board.entries().size() + " candidates, ranked by validation "
                + board.selectionMetric() + " (the rule that chose the registered one); test rows play no part.");
        List<String> labels = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<Double> test = new ArrayList<>();
        for (Leaderboard.Entry e : board.entries()) {
            if (e.rank() != null) {
                labels.add("#" + e.candidateIndex() + " " + e.algorithm());
                scores.add(e.selectionScore());
                test.add(board.selectionMetric().equals("macro_f1") ? e.testMacroF1() : e.testAccuracy());
            }
        }
        body.chart("leaderboard-chart", "Validation and test " + board.selectionMetric() + " per candidate, best first",
                Map.of("kind", "bar", "labels", labels, "series", List.of(ModelPages.series("validation", scores),
                        ModelPages.series("test", test)), "x", "candidate", "y", board.selectionMetric(), "yMin", 0,
                        "yMax", 1));
        body.table(leaderboardHeaders(), leaderboardRows(board), "leaderboard");
        body.raw("<p>").raw(Markup.link("/runs", "Compare with another run")).raw("</p>");
        return Markup.page("Run " + runId, Section.RUNS, sources.description(),
                List.of(new String[] {"Runs", "/runs"}, new String[] {runId, null}), body);
    }

    String compare(String a, String b) {
        if (a == null || b == null) {
            throw new NotFound("compare needs two runs: /runs/compare?a=RUN&b=RUN");
        }
        Run ra = find(a);
        Run rb = find(b);
        Leaderboard la = leaderboard(ra);
        Leaderboard lb = leaderboard(rb);
        Markup body = new Markup();
        // The best score each family reached in each run: the search's outcome, family by family.
        Set<String> families = new LinkedHashSet<>();
        la.entries().forEach(e -> families.add(e.algorithm()));
        lb.entries().forEach(e -> families.add(e.algorithm()));
        body.chart("compare-chart", "Best validation " + la.selectionMetric() + " per family: A against B",
                Map.of("kind", "bar", "labels", List.copyOf(families), "series", List.of(
                                ModelPages.series("A " + a, best(la, families)), ModelPages.series("B " + b,
                                        best(lb, families))), "x", "family", "y", "best validation "
                                + la.selectionMetric(), "yMin", 0, "yMax", 1));
        body.raw("<div class=\"side-by-side\">");
        for (Object[] side : new Object[][] {{"A", ra, la}, {"B", rb, lb}}) {
            Run r = (Run) side[1];
            // Side by side there is no room for hyper-parameters: each family's cell shows them on hover.
            body.raw("<section class=\"side\" id=\"run-" + side[0] + "\">").heading(2, side[0] + ": " + r.runId())
                    .facts(facts(r)).table(compactHeaders(), compactRows((Leaderboard) side[2]), null)
                    .raw("</section>");
        }
        body.raw("</div>");
        return Markup.page("Runs compared", Section.RUNS, sources.description(),
                List.of(new String[] {"Runs", "/runs"}, new String[] {"A and B", null}), body);
    }

    private static List<Double> best(Leaderboard board, Set<String> families) {
        List<Double> out = new ArrayList<>();
        for (String f : families) {
            out.add(board.entries().stream().filter(e -> e.algorithm().equals(f) && e.selectionScore() != null)
                    .map(Leaderboard.Entry::selectionScore).max(Double::compare).orElse(null));
        }
        return out;
    }

    private Run find(String runId) {
        return sources.runs().find(runId).orElseThrow(() -> new NotFound("there is no run " + runId));
    }

    private Leaderboard leaderboard(Run r) {
        return Leaderboard.of(ModelCard.records(sources.store(), r.model(), r.runId()));
    }

    private static Map<String, String> facts(Run r) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("status", Markup.badge(r.status().name()) + " (attempt " + r.attempt() + ")");
        f.put("dataset", Markup.link(Markup.path("datasets", r.dataset()), r.dataset()) + " <code title=\""
                + Markup.esc(r.datasetVersion()) + "\">" + Markup.esc(r.datasetVersion().substring(0,
                Math.min(12, r.datasetVersion().length()))) + "</code>");
        f.put("registered", r.version() == null ? "nothing" : Markup.link(Markup.path("models", r.model(), "versions",
                r.version().toString()), r.model() + " v" + r.version()));
        f.put("production after", r.productionVersion() == null ? "–" : "v" + r.productionVersion());
        f.put("started by", Markup.esc(cause(r)));
        f.put("started", Markup.time(r.startedAt()));
        f.put("ended", Markup.time(r.endedAt()));
        if (r.reason() != null) {
            f.put("reason", Markup.esc(r.reason()));
        }
        if (r.error() != null) {
            f.put("error", Markup.esc(r.error() + ": " + r.cause()));
        }
        return f;
    }

    private static List<String> compactHeaders() {
        return List.of("rank", "#", "family", "val acc", "val F1", "test acc", "test F1", "fit s");
    }

    private static List<List<String>> compactRows(Leaderboard board) {
        List<List<String>> rows = new ArrayList<>();
        for (Leaderboard.Entry e : board.entries()) {
            String family = "<span title=\"" + Markup.esc(new java.util.TreeMap<>(e.hyperParameters()).toString())
                    + "\">" + Markup.esc(e.algorithm()) + "</span>";
            if (e.rank() == null) {
                rows.add(List.of("–", String.valueOf(e.candidateIndex()), family, "skipped: "
                        + Markup.esc(e.reason()), "", "", "", ""));
                continue;
            }
            rows.add(List.of(e.rank() == 1 ? "<b>1</b>" : e.rank().toString(), String.valueOf(e.candidateIndex()),
                    family, Markup.number(e.validationAccuracy(), 4), Markup.number(e.validationMacroF1(), 4),
                    Markup.number(e.testAccuracy(), 4), Markup.number(e.testMacroF1(), 4),
                    e.fitMillis() == null ? "–" : Markup.number(e.fitMillis() / 1000.0, 2)));
        }
        return rows;
    }

    private static List<String> leaderboardHeaders() {
        return List.of("rank", "#", "family", "val acc", "val F1", "val log-loss", "test acc", "test F1", "fit s",
                "hyper-parameters");
    }

    private static List<List<String>> leaderboardRows(Leaderboard board) {
        List<List<String>> rows = new ArrayList<>();
        for (Leaderboard.Entry e : board.entries()) {
            if (e.rank() == null) {
                rows.add(List.of("–", String.valueOf(e.candidateIndex()), Markup.esc(e.algorithm()),
                        "skipped: " + Markup.esc(e.reason()), "", "", "", "", "", ""));
                continue;
            }
            rows.add(List.of(e.rank() == 1 ? "<b>1</b>" : e.rank().toString(), String.valueOf(e.candidateIndex()),
                    Markup.esc(e.algorithm()), Markup.number(e.validationAccuracy(), 4),
                    Markup.number(e.validationMacroF1(), 4), Markup.number(e.validationLogLoss(), 4),
                    Markup.number(e.testAccuracy(), 4), Markup.number(e.testMacroF1(), 4),
                    e.fitMillis() == null ? "–" : Markup.number(e.fitMillis() / 1000.0, 2),
                    Markup.esc(new java.util.TreeMap<>(e.hyperParameters()).toString())));
        }
        return rows;
    }
}

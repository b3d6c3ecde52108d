package dev.mlops.local.cli;

import dev.mlops.local.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in a real browser: {@code ./mlops demo} leaves a model trained, drifted and retrained; {@code
 * ./mlops ui --port 0} serves that state through the real launcher; Debian's Chromium, driven by its
 * chromium-driver through Selenium (never a downloaded browser), opens every page, checks what it shows and that
 * the browser logged no error (a script error, a blocked resource, a policy violation), and saves a screenshot
 * of each page in {@code infra/local/target/console-screenshots/}.
 *
 * <p>Skipped, saying so, only where Chromium or its driver is absent; {@code .ci/run} installs both and sets
 * {@code MLOPS_REQUIRE_BROWSER=1}, under which their absence fails the test instead.
 */
class ConsoleBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path work;

    private ChromeDriver browser;
    private String base;
    private Path shots;
    private final List<String> consoleErrors = new ArrayList<>();

    @Test
    void everyPage_shouldShowTheDemosModel_itsRuns_datasets_andMonitoring_withoutBrowserErrors() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && "1".equals(System.getenv("MLOPS_REQUIRE_BROWSER"))) {
            throw new AssertionError("MLOPS_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + DRIVER + " is missing "
                    + "(apt-get install chromium chromium-driver)");
        }
        assumeTrue(present, "the console's browser test needs Debian's chromium and chromium-driver ("
                + CHROMIUM + ", " + DRIVER + "): apt-get install chromium chromium-driver; .ci/run installs them");
        shots = Files.createDirectories(Repo.file("infra/local/target/console-screenshots"));

        // GIVEN the demo's state: iris trained (v1), drifted, retrained (v2) and promoted
        Path home = work.resolve("home");
        Process demo = mlops(home, "demo").redirectOutput(work.resolve("demo.out").toFile())
                .redirectError(work.resolve("demo.err").toFile()).start();
        assertThat(demo.waitFor(15, TimeUnit.MINUTES)).as("the demo ended").isTrue();
        assertThat(demo.exitValue()).as(Files.readString(work.resolve("demo.err"))).isZero();

        // AND ./mlops ui serving it, on a free port of the loopback interface
        Process ui = mlops(home, "ui", "--port", "0").redirectError(work.resolve("ui.err").toFile()).start();
        try {
            String url = firstLine(ui);
            assertThat(url).as("ui's first line of stdout: " + Files.readString(work.resolve("ui.err")))
                    .startsWith("http://127.0.0.1:");
            base = url.replaceAll("/$", "");
            browser = chromium();
            try {
                everyPage();
            } finally {
                browser.quit();
            }
        } finally {
            ui.destroy(); // SIGTERM: ./mlops ui stops its server and the stack it started
            assertThat(ui.waitFor(2, TimeUnit.MINUTES)).as("ui stopped").isTrue();
        }
        // THEN no page made the browser log an error
        assertThat(consoleErrors).as("errors Chromium logged").isEmpty();
    }

    private void everyPage() throws Exception {
        // The models: iris, with v2 in production
        open("/models", "models");
        assertThat(text("#models")).contains("iris", "v2");

        // One model: both versions, the chart drawn, the audit trail with the promotion
        open("/models/iris", "model");
        assertThat(rows("#versions")).hasSize(2);
        assertThat(text("#versions")).contains("v1", "v2", "production");
        assertThat(text("#audit")).contains("promote");
        assertChartsDrawn();

        // A version: metrics, lineage, its report pages, the training report framed
        open("/models/iris/versions/2", "version");
        assertThat(text("#class-metrics-table")).contains("setosa", "versicolor", "virginica");
        assertThat(text("#reports")).contains("training report", "validation report of its data", "model card");
        assertThat(browser.findElements(By.cssSelector("iframe.report"))).hasSize(1);
        assertChartsDrawn();
        String trainingReport = href("#reports a[href$='/report.html']");
        open("/models/iris/versions/1", "version-1");
        assertThat(text("#reports")).contains("drift check");

        // Monitoring: the check on the timeline, the retraining and the promotion marked
        open("/models/iris/monitoring", "monitoring");
        assertThat(rows("#checks")).isNotEmpty();
        assertThat(text("#checks")).contains("DRIFTED", "v1");
        assertThat(text("#events")).contains("retraining", "promote");
        assertChartsDrawn();
        String driftReport = href("#checks a[href^='/reports/']");

        // Runs: the upload's and the retraining's; two compared side by side
        open("/runs", "runs");
        assertThat(rows("#runs")).hasSize(2);
        assertThat(text("#runs")).contains("upload", "drift check");
        browser.findElement(By.id("compare")).click();
        waitForNavigationTo("/runs/compare?");
        assertThat(browser.getCurrentUrl()).contains("/runs/compare?", "a=iris-", "b=iris-");
        assertThat(browser.findElements(By.cssSelector(".side"))).hasSize(2);
        assertChartsDrawn();
        shoot("runs-compared");
        String run = browser.findElement(By.cssSelector("#run-A h2")).getText().replaceFirst("^A: ", "");
        open("/runs/" + run, "run");
        assertThat(rows("#leaderboard")).isNotEmpty();
        assertChartsDrawn();

        // Datasets: iris, its two versions (the upload and the retraining's), its uploads, no dead letters
        open("/datasets", "datasets");
        assertThat(text("#datasets")).contains("iris");
        open("/datasets/iris", "dataset");
        assertThat(rows("#versions")).hasSize(2);
        assertThat(rows("#uploads")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.findElements(By.cssSelector("#dead-letters tbody tr"))).isEmpty();
        assertChartsDrawn();
        String validationReport = href("#versions a[href^='/reports/']");

        // The report pages themselves, as the console serves them
        open(driftReport, "report-drift");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("DRIFTED");
        // a card is outlined by its verdict, its background stays white (the badge alone is filled)
        assertThat(browser.executeScript("return getComputedStyle(document.querySelector('.card.drifted'))"
                + ".backgroundColor")).isEqualTo("rgb(255, 255, 255)");
        open(trainingReport, "report-training");
        assertThat(browser.getPageSource()).contains("Leaderboard", "predicted class");
        open(validationReport, "report-validation");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("VALID");

        // A page that does not exist: a 404 page in the console's frame, not a stack trace
        open("/models/no-such-model", "not-found");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
    }

    // ------------------------------------------------------------------ helpers

    private ProcessBuilder mlops(Path home, String... args) {
        List<String> command = new ArrayList<>(List.of(Repo.file("mlops").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--home", home.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Repo.root().toFile());
        builder.environment().put("MLOPS_SKIP_BUILD", "1"); // this build is the one running
        builder.environment().remove("MLOPS_HOME");
        return builder;
    }

    /** The process's first line of stdout (the console's address), waiting for the stack it starts. */
    private static String firstLine(Process process) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (java.io.IOException e) {
                return "error: " + e;
            }
        });
        return line.get(5, TimeUnit.MINUTES);
    }

    /** Debian's Chromium through Debian's driver: headless, no network of its own, a fresh profile. */
    private ChromeDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(work.resolve("profile")),
                "--window-size=1280,900", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(work.resolve("chromedriver.log").toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /** Opens a page of the console, waits for it, keeps its screenshot and what the browser logged. */
    private void open(String path, String name) throws Exception {
        browser.get(base + path);
        waitForLoad();
        shoot(name);
    }

    /**
     * A click that submits a form starts the navigation after click() returns: until then the old page is
     * "complete", so wait for the address first (CI once read /runs right after the click).
     */
    private void waitForNavigationTo(String part) throws InterruptedException {
        for (int i = 0; i < 100 && !browser.getCurrentUrl().contains(part); i++) {
            Thread.sleep(100);
        }
        waitForLoad();
    }

    private void waitForLoad() throws InterruptedException {
        JavascriptExecutor js = browser;
        for (int i = 0; i < 100 && !"complete".equals(js.executeScript("return document.readyState")); i++) {
            Thread.sleep(100);
        }
    }

    /** A screenshot of the whole page (through the DevTools protocol, beyond the window), and the browser's errors. */
    @SuppressWarnings("unchecked")
    private void shoot(String name) throws Exception {
        Map<String, Object> metrics = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double height = Math.min(8000, ((Number) size.get("height")).doubleValue());
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", 1280, "height", height,
                        "scale", 1)));
        Files.write(shots.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue() && !expected404(name, e.getMessage())) {
                consoleErrors.add(name + ": " + e.getMessage());
            }
        }
    }

    /** The not-found page is answered with 404 on purpose; Chromium logs that status as an error. */
    private static boolean expected404(String page, String message) {
        return page.equals("not-found") && message.contains("404");
    }

    private void assertChartsDrawn() {
        List<WebElement> canvases = browser.findElements(By.cssSelector("figure.chart canvas"));
        assertThat(canvases).as("charts on " + browser.getCurrentUrl()).isNotEmpty();
        assertThat(canvases).allSatisfy(c -> assertThat(c.getAttribute("data-drawn"))
                .as("chart " + c.getAttribute("id") + " drawn by Chart.js").isEqualTo("true"));
    }

    /** The path of the first link a selector finds. */
    private String href(String css) {
        return browser.findElement(By.cssSelector(css)).getAttribute("href").substring(base.length());
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private List<WebElement> rows(String table) {
        return browser.findElements(By.cssSelector(table + " tbody tr"));
    }
}

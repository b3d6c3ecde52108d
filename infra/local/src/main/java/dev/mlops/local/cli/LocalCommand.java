package dev.mlops.local.cli;

import dev.mlops.local.runtime.FunctionOutput;
import dev.mlops.local.runtime.LocalEnvironment;
import dev.mlops.local.runtime.RuntimeInfo;
import dev.mlops.local.template.StackModel;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code ./mlops local up|down}: a local stack that outlives single commands. */
@Command(name = "local",
        description = "Start or stop the local stack.",
        subcommands = {LocalCommand.Up.class, LocalCommand.Down.class},
        synopsisSubcommandLabel = "COMMAND")
final class LocalCommand extends CommandGroup {

    /** {@code local up}: starts the stack and blocks until a signal or {@code local down} stops it. */
    @Command(name = "up", description = {"Start the local stack and keep it running (Ctrl-C stops it).",
            "An emulator that dies is named and started again on its port with its data; one that cannot be",
            "started again stops the stack (exit code 1)."})
    static final class Up extends BaseCommand {

        @Override
        public Integer call() throws Exception {
            if (RuntimeInfo.readLive(home()).isPresent()) {
                throw new IllegalStateException("a local environment is already running on " + home()
                        + " (pid " + RuntimeInfo.readLive(home()).get().pid() + ")");
            }
            var options = environmentOptions();
            Console.progress("starting the local environment (data in " + home() + "; the functions' logs in "
                    + FunctionOutput.logFile(home()) + ")");
            Console.routeFunctionOutput(verbose());
            LocalEnvironment env = LocalEnvironment.start(root(), home(), options);
            env.onFatal(why -> {
                // An emulator is gone for good: say which, and stop (the shutdown hook stops the rest).
                Console.ERR.println("error: " + why + "; stopping the local environment");
                System.exit(MlopsCommand.FAILED);
            });
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Console.progress("stopping the local environment");
                env.close();
                stopped.countDown();
            }, "local-shutdown"));
            Map<String, Object> out = StackDescription.of(env.model(), env.info(), home());
            if (json()) {
                print(out);
            } else {
                out().println("local stack running; Ctrl-C or `./mlops local down` stops it");
                out().println("  endpoint (every service: aws --endpoint-url, boto3 endpoint_url): " + out.get("endpoint"));
                out().println("  region " + StackModel.REGION + ", bucket " + out.get("bucket") + ", IAM "
                        + (env.info().iamEnforced() ? "enforced for the functions" : "not enforced (--no-iam, or python3 lacks the SAM translator)"));
                out().println("  api_url: " + out.get("api_url"));
                for (var s : StackDescription.schedules(env.model(), env.info())) {
                    out().println("  schedule " + s.get("name") + " (" + s.get("expression") + ") -> " + s.get("function")
                            + ": next firing " + s.get("next_firing")
                            + ((double) s.get("speedup") > 1 ? " (" + s.get("speedup") + "x speed-up)" : ""));
                }
                for (String note : dev.mlops.local.template.CodeDeployments.localNotes(options.template())) {
                    out().println("  code deployment, " + note);
                }
                out().println("  names, tables, functions, state machines, endpoints: `./mlops local up --json`");
            }
            out().flush(); // whoever started us reads this while we keep running
            stopped.await();
            return MlopsCommand.OK;
        }
    }

    /** {@code local down}: stops the stack {@code local up} runs on this home, and any emulator it left. */
    @Command(name = "down", description = "Stop the stack that `local up` started.")
    static final class Down extends BaseCommand {

        @Override
        public Integer call() throws Exception {
            var running = RuntimeInfo.readLive(home());
            Map<String, Object> out = new LinkedHashMap<>();
            if (running.isEmpty()) {
                out.put("status", "not running");
                return report(out, "no local environment is running on " + home(), MlopsCommand.OK);
            }
            RuntimeInfo info = running.get();
            ProcessHandle owner = ProcessHandle.of(info.pid()).orElseThrow();
            owner.destroy();
            try {
                owner.onExit().get(90, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
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
            return report(out, "local environment (pid " + info.pid() + ") stopped", MlopsCommand.OK);
        }
    }
}

package dev.mlops.local.cli;

import dev.mlops.local.runtime.LocalScheduler;
import dev.mlops.local.runtime.RuntimeInfo;
import dev.mlops.local.template.StackModel;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an AWS client needs to use a running local stack: the region, the endpoint that serves every service (and
 * each emulator's own), credentials, and the names AWS would give the template's resources; with the schedules'
 * next firings. {@code ./mlops local up} prints it.
 */
final class StackDescription {

    private StackDescription() {
    }

    static Map<String, Object> of(StackModel model, RuntimeInfo info, Path home) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "running");
        out.put("pid", info.pid());
        out.put("region", StackModel.REGION);
        out.put("account", StackModel.ACCOUNT);
        out.put("stack", StackModel.STACK_NAME);
        // Every AWS client works against the gateway (aws --endpoint-url, AWS_ENDPOINT_URL, endpointOverride).
        out.put("endpoint", info.gateway());
        out.put("credentials", Map.of("aws_access_key_id", "local", "aws_secret_access_key", "local",
                "note", "any key other than the functions' own acts as the account's administrator"));
        out.put("iam_enforced", info.iamEnforced());
        out.put("api_url", info.apiUrl());
        Map<String, Object> endpoints = new LinkedHashMap<>();
        endpoints.put("s3", info.gateway());
        endpoints.put("dynamodb", info.gateway());
        endpoints.put("stepfunctions", info.gateway());
        endpoints.put("events", info.gateway());
        endpoints.put("lambda", info.gateway());
        endpoints.put("s3_emulator", info.s3());
        endpoints.put("dynamodb_emulator", info.dynamodb());
        endpoints.put("stepfunctions_emulator", info.stepFunctions());
        endpoints.put("events_local", info.events());
        endpoints.put("lambda_local", info.lambdaUrl());
        out.put("endpoints", endpoints);
        out.put("bucket", model.bucket().name());
        Map<String, String> tables = new LinkedHashMap<>();
        model.tables().forEach(t -> tables.put(t.logicalId(), t.name()));
        out.put("tables", tables);
        Map<String, Object> functions = new LinkedHashMap<>();
        model.functions().forEach(f -> functions.put(f.logicalId(), Map.of("name", f.name(), "arn", f.arn())));
        out.put("functions", functions);
        Map<String, String> machines = new LinkedHashMap<>();
        model.stateMachines().forEach(m -> machines.put(m.logicalId(), m.arn()));
        out.put("state_machines", machines);
        Map<String, String> buses = new LinkedHashMap<>();
        model.eventBuses().forEach(b -> buses.put(b.logicalId(), "arn:aws:events:" + StackModel.REGION + ":"
                + StackModel.ACCOUNT + ":event-bus/" + b.name()));
        out.put("event_buses", buses);
        out.put("schedules", schedules(model, info));
        out.put("home", home.toString());
        out.put("emulator_start_ms", info.emulatorStartMillis());
        return out;
    }

    /** Each schedule with its next firing (schedule time runs {@code --schedule-speedup} times faster). */
    static List<Map<String, Object>> schedules(StackModel model, RuntimeInfo info) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LocalScheduler.NextFiring next : LocalScheduler.nextFirings(model, Instant.parse(info.startedAt()),
                info.scheduleSpeedup(), Instant.now())) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", next.schedule().name());
            s.put("function", next.function());
            s.put("expression", next.schedule().expression());
            s.put("speedup", info.scheduleSpeedup());
            s.put("next_firing", next.at().toString());
            out.add(s);
        }
        return out;
    }
}

package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.local.template.StackModel;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The events AWS delivers, in their real JSON shapes, as the local runtime must deliver them. */
public final class Events {

    private static final ObjectMapper JSON = dev.mlops.core.Json.MAPPER;

    private Events() {
    }

    /**
     * An S3 {@code ObjectCreated:Put} notification. As on AWS, the key is URL-encoded
     * (form encoding: a space is "+"), with "/" left as is.
     */
    public static byte[] s3ObjectCreated(String configurationId, String bucket, String key, long size, String eTag,
                                         String versionId, long sequencer) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
        object.put("size", size);
        object.put("eTag", eTag == null ? "" : eTag.replace("\"", ""));
        if (versionId != null) {
            object.put("versionId", versionId);
        }
        object.put("sequencer", String.format("%016X", sequencer));
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        s3.put("bucket", Map.of("name", bucket, "ownerIdentity", Map.of("principalId", "local"),
                "arn", "arn:aws:s3:::" + bucket));
        s3.put("object", object);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", StackModel.REGION);
        record.put("eventTime", Instant.now().toString());
        record.put("eventName", "ObjectCreated:Put");
        record.put("userIdentity", Map.of("principalId", "local"));
        record.put("requestParameters", Map.of("sourceIPAddress", "127.0.0.1"));
        record.put("responseElements", Map.of("x-amz-request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16),
                "x-amz-id-2", UUID.randomUUID().toString()));
        record.put("s3", s3);
        return write(Map.of("Records", List.of(record)));
    }

    /** An EventBridge {@code Scheduled Event} for a schedule of the template, with an optional detail. */
    public static byte[] scheduled(StackModel.Schedule schedule, Map<String, Object> detail) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", StackModel.ACCOUNT);
        event.put("time", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
        event.put("region", StackModel.REGION);
        event.put("resources", List.of("arn:aws:events:" + StackModel.REGION + ":" + StackModel.ACCOUNT + ":rule/"
                + StackModel.STACK_NAME + "-" + schedule.functionId() + schedule.name()));
        event.put("detail", detail);
        return write(event);
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

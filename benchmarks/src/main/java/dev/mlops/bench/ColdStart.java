package dev.mlops.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * A cold start as Lambda's Java runtime does one, in a new JVM: load the handler class by name,
 * construct it (SDK clients, adapters), deserialise the event with the runtime's serializers (event
 * types) or its Jackson serializer (our payloads), answer, serialise the answer. Prints the
 * wall-clock time at the answer, the outcome and the JVM's own figures; the script that started the
 * JVM subtracts its start time.
 *
 * <pre>
 *   java [flags] -cp FUNCTION_LAMBDA_JAR:SERIALIZATION_JAR:benchmarks/target/classes \
 *        dev.mlops.bench.ColdStart HANDLER_CLASS EVENT_FILE
 * </pre>
 * The function's environment (bucket, tables, emulator endpoints) comes from the process environment,
 * as on Lambda: {@link StackEnvironment} prints it for a running local stack.
 */
public final class ColdStart {

    private ColdStart() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        Class<?> type = Class.forName(args[0]);
        Object instance = type.getDeclaredConstructor().newInstance();
        String outcome;
        if (instance instanceof RequestStreamHandler stream) {
            try (InputStream file = new FileInputStream(args[1])) {
                stream.handleRequest(file, new ByteArrayOutputStream(), null);
                outcome = "ok";
            } catch (RuntimeException | java.io.IOException e) {
                outcome = "error=" + e.getClass().getSimpleName();
            }
            report(outcome);
            return;
        }
        RequestHandler handler = (RequestHandler) instance;
        Object input;
        try (InputStream file = new FileInputStream(args[1])) {
            input = serializer(inputType(type)).fromJson(file);
        }
        try {
            Object output = handler.handleRequest(input, null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (output != null) {
                serializer((Class<Object>) output.getClass()).toJson(output, out);
            }
            outcome = output instanceof APIGatewayV2HTTPResponse r ? "status=" + r.getStatusCode() : "ok";
        } catch (RuntimeException e) {
            outcome = "error=" + e.getClass().getSimpleName();
        }
        report(outcome);
    }

    private static void report(String outcome) {
        long answeredAt = System.currentTimeMillis();
        System.out.println("answered_at_ms=" + answeredAt + " " + outcome + " jvm_uptime_ms="
                + ManagementFactory.getRuntimeMXBean().getUptime() + " classes_loaded="
                + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        System.exit(0);
    }

    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, ColdStart.class.getClassLoader())
                : JacksonFactory.getInstance().getSerializer(type);
    }

    private static Class<?> inputType(Class<?> handlerClass) {
        for (Type t : handlerClass.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                Type input = p.getActualTypeArguments()[0];
                return input instanceof ParameterizedType pi ? (Class<?>) pi.getRawType() : (Class<?>) input;
            }
        }
        throw new IllegalArgumentException(handlerClass.getName() + " does not implement RequestHandler<I, O>");
    }
}

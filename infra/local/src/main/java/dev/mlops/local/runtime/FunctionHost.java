package dev.mlops.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import dev.mlops.aws.FunctionEnvironment;
import dev.mlops.local.template.StackModel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Hosts one function of the template in this JVM, as Lambda would: the handler class is loaded by
 * name, constructed with the function's environment, and given events serialised the way the
 * Lambda Java runtime does (its own serializers for aws-lambda-java-events types, plain Jackson
 * otherwise). Like Lambda, an instance handles one invocation at a time; concurrent invocations get
 * more instances, each with its own cold start.
 */
public final class FunctionHost {

    /** The result of one invocation: a payload, or the error Lambda would report. */
    public record Result(byte[] payload, FunctionError error) {
        public boolean failed() {
            return error != null;
        }
    }

    private final StackModel.Function function;
    private final Map<String, String> environment;
    private final Class<?> handlerClass;
    private final ConcurrentLinkedDeque<Object> idle = new ConcurrentLinkedDeque<>();
    private final FaultInjection faults;

    public FunctionHost(StackModel.Function function, Map<String, String> localEnvironment) {
        this(function, localEnvironment, new FaultInjection());
    }

    /** A host whose invocations go through {@code faults} first (see {@link FaultInjection}). */
    public FunctionHost(StackModel.Function function, Map<String, String> localEnvironment, FaultInjection faults) {
        this.function = function;
        this.environment = localEnvironment;
        this.faults = faults;
        String className = function.handler().split("::")[0];
        try {
            this.handlerClass = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("handler class " + className + " of " + function.logicalId()
                    + " is not on the class path", e);
        }
    }

    public StackModel.Function function() {
        return function;
    }

    /** Invokes the function with a JSON payload. */
    public Result invoke(byte[] payload) {
        Result result = run(payload);
        faults.count(function.logicalId(), result.failed());
        return result;
    }

    private Result run(byte[] payload) {
        var fault = faults.take(function.logicalId(), payload);
        if (fault.isPresent()) {
            FaultInjection.Fault f = fault.get();
            if (!f.delay().isZero()) {
                try {
                    Thread.sleep(f.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (f.errorType() != null) {
                return new Result(null, new FunctionError(f.errorType(), f.errorMessage(), java.util.List.of()));
            }
        }
        String requestId = UUID.randomUUID().toString();
        try {
            return FunctionEnvironment.with(environment, () -> {
                Object instance = acquire();
                try {
                    return new Result(call(instance, payload, requestId), null);
                } catch (Exception e) {
                    return new Result(null, FunctionError.of(e));
                } finally {
                    idle.push(instance);
                }
            });
        } catch (RuntimeException constructionFailed) {
            return new Result(null, FunctionError.of(constructionFailed));
        }
    }

    /**
     * Retires the function's instances, as Lambda's shutdown phase does: an instance that is {@link AutoCloseable}
     * is closed (the inference function writes the captures it still holds), with its environment.
     */
    public void close() {
        Object instance;
        while ((instance = idle.poll()) != null) {
            if (instance instanceof AutoCloseable closeable) {
                try {
                    FunctionEnvironment.with(environment, () -> {
                        try {
                            closeable.close();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return null;
                    });
                } catch (RuntimeException e) {
                    System.err.println("[local] closing " + function.logicalId() + ": " + e.getMessage());
                }
            }
        }
    }

    private Object acquire() {
        Object instance = idle.poll();
        if (instance != null) {
            return instance;
        }
        try {
            return handlerClass.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private byte[] call(Object instance, byte[] payload, String requestId) throws Exception {
        LocalContext context = new LocalContext(requestId, function.name(), function.arn(), function.timeoutSeconds());
        if (instance instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        }
        if (instance instanceof RequestHandler handler) {
            Class<?> inputType = inputType(handlerClass);
            Object input = serializerFor(inputType).fromJson(new ByteArrayInputStream(payload));
            Object output = handler.handleRequest(input, context);
            if (output == null) {
                return "null".getBytes();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            serializerFor((Class<Object>) output.getClass()).toJson(output, out);
            return out.toByteArray();
        }
        throw new IllegalStateException(handlerClass.getName() + " is neither a RequestHandler nor a RequestStreamHandler");
    }

    /**
     * The same choice the Lambda Java runtime makes: event types get their dedicated serializers,
     * anything else the runtime's own Jackson POJO serializer (the runtime's mapping, not ours).
     */
    static <T> PojoSerializer<T> serializerFor(Class<T> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, FunctionHost.class.getClassLoader());
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    /** The {@code I} of {@code RequestHandler<I, O>} implemented by the handler class. */
    public static Class<?> inputType(Class<?> handlerClass) {
        for (Type t : handlerClass.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                Type input = p.getActualTypeArguments()[0];
                return input instanceof ParameterizedType pi ? (Class<?>) pi.getRawType() : (Class<?>) input;
            }
        }
        throw new IllegalArgumentException(handlerClass.getName() + " does not implement RequestHandler<I, O> directly");
    }
}

package dev.mlops.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * What the Lambda Java runtime does with a handler: loads the class named by the function's {@code Handler},
 * constructs it once, and gives it events serialised the way the runtime does (its own serializers for
 * aws-lambda-java-events types, plain Jackson otherwise).
 */
public final class HandlerCall {

    private final Class<?> handlerClass;
    private final Object instance;

    private HandlerCall(Class<?> handlerClass, Object instance) {
        this.handlerClass = handlerClass;
        this.instance = instance;
    }

    /** The class of a template {@code Handler} ({@code class::method}), loaded but not initialised. */
    static Class<?> handlerClass(String handler) throws ClassNotFoundException {
        return Class.forName(handler.split("::")[0], false, HandlerCall.class.getClassLoader());
    }

    /** Loads and constructs the handler (Lambda's init phase): whatever the constructor throws is thrown. */
    static HandlerCall construct(String handler) throws Throwable {
        Class<?> type = handlerClass(handler);
        try {
            return new HandlerCall(type, type.getDeclaredConstructor().newInstance());
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The handler instance (closed when the environment shuts down, if it is {@link AutoCloseable}). */
    Object instance() {
        return instance;
    }

    /** Invokes the handler with a JSON payload; its answer as JSON bytes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    byte[] call(byte[] payload, Context context) throws Exception {
        if (instance instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        }
        if (instance instanceof RequestHandler handler) {
            Object input = serializerFor(inputType(handlerClass)).fromJson(new ByteArrayInputStream(payload));
            Object output = handler.handleRequest(input, context);
            if (output == null) {
                return "null".getBytes(StandardCharsets.UTF_8);
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
            return LambdaEventSerializers.serializerFor(type, HandlerCall.class.getClassLoader());
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

package dev.mlops.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.mlops.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.ParameterizedType;

/**
 * A state machine task handler: reads its input and writes its output with {@link Json}
 * (snake_case, strict), not with the Lambda runtime's own POJO mapping, which would ignore our
 * Jackson configuration. A malformed input is a {@link dev.mlops.core.errors.ContractException}
 * naming the field, which is what Step Functions sees as the error. {@code I} is the task's input type.
 *
 * @param <I> the task input
 * @param <O> the task output
 */
public abstract class TaskHandler<I, O> implements RequestStreamHandler {

    private final Class<I> inputType = inputType(getClass());

    /** Handles one task. */
    protected abstract O handle(I input, Context context);

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(Json.bytes(handle(Json.read(input.readAllBytes(), inputType), context)));
    }

    /** The {@code I} a handler class binds. */
    @SuppressWarnings("unchecked")
    public static <I> Class<I> inputType(Class<?> handlerClass) {
        Class<?> c = handlerClass;
        while (c.getSuperclass() != TaskHandler.class) {
            c = c.getSuperclass();
        }
        return (Class<I>) ((ParameterizedType) c.getGenericSuperclass()).getActualTypeArguments()[0];
    }
}

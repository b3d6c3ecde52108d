package dev.mlops.core.ports.memory;

import dev.mlops.core.errors.TransientException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A switch in front of one of our ports: while {@link #down()} is on, every call fails the way an
 * unreachable AWS service does in the adapters ({@link TransientException}); calls are counted.
 *
 * @param <T> the port interface
 */
public final class Outage<T> {

    private final T port;
    private volatile boolean down;
    private final AtomicInteger calls = new AtomicInteger();

    private Outage(Class<T> type, T delegate) {
        this.port = type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(delegate, args);
            }
            calls.incrementAndGet();
            if (down) {
                throw new TransientException(type.getSimpleName() + " unreachable (test outage)", null);
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    /** Wraps {@code delegate}, up. */
    public static <T> Outage<T> of(Class<T> type, T delegate) {
        return new Outage<>(type, delegate);
    }

    /** The port to hand to the code under test. */
    public T port() {
        return port;
    }

    public void down() {
        down = true;
    }

    public void up() {
        down = false;
    }

    /** Calls made through {@link #port()} so far. */
    public int calls() {
        return calls.get();
    }
}

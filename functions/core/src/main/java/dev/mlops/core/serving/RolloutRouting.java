package dev.mlops.core.serving;

import dev.mlops.core.domain.Rollout;
import org.apache.datasketches.hash.MurmurHash3;

import java.nio.charset.StandardCharsets;

/**
 * Which version answers a request during a rollout, and which one is scored beside it off the request path. The
 * choice is a stable hash of the request's key (its {@code X-Request-Key} header, else the caller's identity, else
 * the request id: {@link ServingService.Request#key()}), salted with the model and the challenger, into one of
 * {@value #BUCKETS} buckets: a key always gets the same version during a rollout, a canary that steps up keeps the
 * keys it had (a bucket below 10 % is below 50 % too), and each rollout draws its own keys.
 *
 * <ul>
 *   <li><b>canary</b>: keys whose bucket is below the rollout's share are answered by the challenger, production
 *       scoring them in the shadow (for the comparison); the others by production alone;</li>
 *   <li><b>shadow</b>: production answers every request; keys whose bucket is below the shadow share are also scored
 *       by the challenger, in the shadow.</li>
 * </ul>
 */
final class RolloutRouting {

    /** Buckets of the hash: shares are honoured to 0.01 %. */
    static final int BUCKETS = 10_000;

    /** The route of one request: whether the challenger answers it, and whether the other version is scored. */
    enum Route {
        /** Production answers; nothing else is scored. */
        PRODUCTION,
        /** Production answers; the challenger scores it in the shadow. */
        PRODUCTION_SHADOWED,
        /** The challenger answers; production scores it in the shadow. */
        CHALLENGER
    }

    private RolloutRouting() {
    }

    static Route route(Rollout rollout, String key) {
        boolean chosen = bucket(rollout.model(), rollout.challenger(), key) < Math.round(rollout.share() * BUCKETS);
        if (!chosen) {
            return Route.PRODUCTION;
        }
        return rollout.canary() ? Route.CHALLENGER : Route.PRODUCTION_SHADOWED;
    }

    /** The key's bucket, 0 to {@value #BUCKETS} - 1, for this model's rollout of this challenger. */
    static int bucket(String model, int challenger, String key) {
        byte[] bytes = (model + '\u0000' + challenger + '\u0000' + key).getBytes(StandardCharsets.UTF_8);
        return (int) Long.remainderUnsigned(MurmurHash3.hash(bytes, 0x6d6c6f7073L)[0], BUCKETS);
    }
}

package dev.mlops.core.drift;

/**
 * Special functions needed by the drift statistics: log-gamma, for the one-sided Smirnov sum in
 * {@link KolmogorovSmirnov}.
 */
final class SpecialFunctions {

    private static final double HALF_LOG_2_PI = 0.5 * Math.log(2.0 * Math.PI);
    private static final double LANCZOS_G = 607.0 / 128.0;
    private static final double[] LANCZOS = {
        0.99999999999999709182,
        57.156235665862923517,
        -59.597960355475491248,
        14.136097974741747174,
        -0.49191381609762019978,
        .33994649984811888699e-4,
        .46523628927048575665e-4,
        -.98374475304879564677e-4,
        .15808870322491248884e-3,
        -.21026444172410488319e-3,
        .21743961811521264320e-3,
        -.16431810653676389022e-3,
        .84418223983852743293e-4,
        -.26190838401581408670e-4,
        .36899182659531622704e-5,
    };

    private SpecialFunctions() {}

    /** Natural logarithm of the gamma function for {@code x > 0} (Lanczos approximation). */
    static double logGamma(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            return Double.NaN;
        }
        if (x < 0.5) {
            // Gamma(x) = Gamma(x + 1) / x keeps the approximation in its accurate range.
            return logGamma(x + 1.0) - Math.log(x);
        }
        double sum = LANCZOS[0];
        for (int i = LANCZOS.length - 1; i > 0; i--) {
            sum += LANCZOS[i] / (x + i);
        }
        double tmp = x + LANCZOS_G + 0.5;
        return (x + 0.5) * Math.log(tmp) - tmp + HALF_LOG_2_PI + Math.log(sum / x);
    }
}
